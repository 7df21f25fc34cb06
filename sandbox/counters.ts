/** What the sandbox counts, for tests and benchmarks (read through the control API). */

export type RateLimitProblem = 'minute' | 'day' | 'concurrent' | 'appminute';

export interface Counters {
  /** Accounting calls answered, by organisation then by "METHOD /Resource". */
  calls: Record<string, Record<string, number>>;
  /** 429s served, by kind; `injected` counts the fault-injected ones. */
  rateLimited: Record<RateLimitProblem | 'injected', number>;
  /** Fault injection: 5xx answers by status, and requests held without an answer. */
  faults: { byStatus: Record<string, number>; timeouts: number };
  tokens: { authorizationCode: number; refreshed: number; clientCredentials: number; invalidGrant: number; revoked: number };
  idempotentReplays: number;
  emailsSent: Record<string, number>;
  /** The most calls an app (client id) made in one of its minute windows: Xero's app-wide limit is 10,000. */
  appMinutePeak: Record<string, number>;
}

export function emptyCounters(): Counters {
  return {
    calls: {},
    rateLimited: { minute: 0, day: 0, concurrent: 0, appminute: 0, injected: 0 },
    faults: { byStatus: {}, timeouts: 0 },
    tokens: { authorizationCode: 0, refreshed: 0, clientCredentials: 0, invalidGrant: 0, revoked: 0 },
    idempotentReplays: 0,
    emailsSent: {},
    appMinutePeak: {},
  };
}

export function countCall(counters: Counters, tenantId: string, endpoint: string): void {
  const perTenant = (counters.calls[tenantId] ??= {});
  perTenant[endpoint] = (perTenant[endpoint] ?? 0) + 1;
}
