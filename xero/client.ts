/**
 * One Accounting API call for one organisation, with what every call needs: a valid access token (refreshed
 * once on a 401; the token provider serialises refreshes across processes), the `xero-tenant-id` header, a
 * time limit (XERO_CALL_TIMEOUT_MS), and Xero's answer classified: the body with the rate-limit headers, or a
 * typed failure.
 *
 * A call may name the scope it needs (`needs`, from xero/scopes.ts). When the connection's granted scopes
 * are known to lack it, the call is not made at all (`scope_missing`, no budget spent); when Xero refuses it
 * with 401 even after a fresh token, that is the same finding (Xero answers a missing scope with 401, the
 * status of an expired token): the grant works, it just does not cover this call.
 *
 * What to do about a failure differs by caller: activities turn it into Temporal's retry decisions
 * (activities/xero-call.ts), the API into an answer an admin can act on. A connection that cannot be used at
 * all (not connected, needs re-authorisation) throws `XeroConnectionUnavailable` from the token provider.
 */
import type { AccountingApi } from 'xero-node';
import { accountingApi } from './accounting-api.ts';
import type { XeroAccessProvider } from './access.ts';
import { classifyXeroError, type XeroFailure } from './errors.ts';
import { observeRateLimits, type ObservedRateLimits } from './rate-headers.ts';
import { lacksScope, type ScopeNeed } from './scopes.ts';

export type AccountingCall<T> = (api: AccountingApi, tenantId: string) => Promise<{ response: { headers?: Record<string, unknown>; status?: number }; body?: T }>;

/** One HTTP request to Xero's Accounting API and its outcome, for whoever counts them (metrics). */
export interface XeroCallObservation {
  orgId: string;
  method: string;
  url: string;
  /** HTTP status; 0 when Xero did not answer. */
  status: number;
  rateLimits: ObservedRateLimits;
  /** For a 429: which limit (minute, day, concurrent, appminute). */
  rateLimitProblem?: string;
}

export type XeroCallObserver = (call: XeroCallObservation) => void;

/** `rateLimits` is absent only when no call reached Xero (a scope the app lacks). */
export type XeroAnswer<T> =
  | { ok: true; body: T; rateLimits: ObservedRateLimits }
  | { ok: false; failure: XeroFailure; rateLimits?: ObservedRateLimits };

export interface CallOptions {
  /** The scope this call needs, for calls the sync can do without (checks): see xero/scopes.ts. */
  needs?: ScopeNeed;
  /** Aborts the request: the activity making it was cancelled (timed out at the server, worker shutting down). */
  signal?: AbortSignal;
}

export interface XeroClient {
  call<T>(orgId: string, call: AccountingCall<T>, options?: CallOptions): Promise<XeroAnswer<T>>;
}

export function scopeMissing(need: ScopeNeed, status = 0, headers: Record<string, string> = {}): XeroFailure {
  return { kind: 'scope_missing', status, message: `The Xero app lacks ${need.scope}`, missingScope: need.scope, headers };
}

export interface XeroClientOptions {
  apiUrl: string;
  access: XeroAccessProvider;
  /** XERO_CALL_TIMEOUT_MS: the longest one request may take. */
  timeoutMs?: number;
  /** Told of every request sent (each attempt: a 401 then its retry are two). */
  onCall?: XeroCallObserver;
}

export function createXeroClient({ apiUrl, access, timeoutMs, onCall }: XeroClientOptions): XeroClient {
  return {
    async call<T>(orgId: string, call: AccountingCall<T>, options: CallOptions = {}): Promise<XeroAnswer<T>> {
      let granted = await access.forOrg(orgId);
      if (options.needs && lacksScope(granted.scopes, options.needs)) return { ok: false, failure: scopeMissing(options.needs) };
      for (let attempt = 0; ; attempt++) {
        let sent: { method: string; url: string } | undefined;
        const api = accountingApi({ apiUrl, accessToken: granted.accessToken, timeoutMs, signal: options.signal, onRequest: onCall && ((method, url) => (sent = { method, url })) });
        try {
          const { response, body } = await call(api, granted.tenantId);
          const rateLimits = observeRateLimits(response.headers);
          if (sent) onCall?.({ orgId, ...sent, status: response.status ?? 200, rateLimits });
          return { ok: true, body: body as T, rateLimits };
        } catch (error) {
          const failure = classifyXeroError(error);
          const rateLimits = observeRateLimits(failure.headers);
          if (sent) onCall?.({ orgId, ...sent, status: failure.status, rateLimits, rateLimitProblem: failure.rateLimitProblem });
          if (failure.kind === 'auth' && attempt === 0) {
            // Expired or rotated under us: one refresh (unless another caller already did), then the same call.
            granted = await access.afterUnauthorized(orgId, granted.accessToken);
            continue;
          }
          if (failure.kind === 'auth' && options.needs) return { ok: false, failure: scopeMissing(options.needs, failure.status, failure.headers), rateLimits };
          return { ok: false, failure, rateLimits };
        }
      }
    },
  };
}
