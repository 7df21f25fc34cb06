/**
 * Xero's rate limits, per organisation: 60 calls a minute (a fixed window that starts with the tenant's
 * first call, so windows reset at different moments per tenant), 5,000 a day, 5 in flight; and per app
 * 10,000 calls a minute across all organisations. A breach is a 429 with `X-Rate-Limit-Problem`; minute
 * and day breaches say when to come back with `Retry-After`.
 *
 * `Retry-After` is whole seconds (HTTP), so under a time scale it is the scaled wait rounded up (at least 1);
 * `X-Sandbox-Retry-After-Ms` carries the exact scaled wait for benchmarks that want precision.
 */
import { DAY, MINUTE } from './clock.ts';
import type { RateLimitProblem } from './counters.ts';
import type { SandboxStore } from './store.ts';

interface Window {
  start: number;
  count: number;
}

export interface LimitDecision {
  ok: boolean;
  problem?: RateLimitProblem;
  /** Real milliseconds until the breached window resets (minute / day / appminute). */
  retryAfterMs?: number;
  headers: Record<string, string>;
  /** Call when the request has finished (releases its in-flight slot). */
  release: () => void;
}

export class RateLimiter {
  #minute = new Map<string, Window>();
  #day = new Map<string, Window>();
  #appMinute = new Map<string, Window>();
  #inFlight = new Map<string, number>();

  constructor(private readonly store: SandboxStore) {}

  reset(): void {
    this.#minute.clear();
    this.#day.clear();
    this.#appMinute.clear();
    this.#inFlight.clear();
  }

  /** The current window for a key, starting a new one if the old has run out. */
  #window(map: Map<string, Window>, key: string, length: number, now: number): Window {
    let w = map.get(key);
    if (!w || now >= w.start + this.store.clock.scaled(length)) {
      w = { start: now, count: 0 };
      map.set(key, w);
    }
    return w;
  }

  inFlight(tenantId: string): number {
    return this.#inFlight.get(tenantId) ?? 0;
  }

  /** Checks every limit for one call and, when it may go ahead, counts it. */
  admit(tenantId: string, clientId: string): LimitDecision {
    const { limits, clock } = this.store;
    const now = clock.now();
    const minute = this.#window(this.#minute, tenantId, MINUTE, now);
    const day = this.#window(this.#day, tenantId, DAY, now);
    const app = this.#window(this.#appMinute, clientId, MINUTE, now);
    const inFlight = this.inFlight(tenantId);
    const headers = (m: number, d: number, a: number) => ({
      'X-MinLimit-Remaining': String(Math.max(0, m)),
      'X-DayLimit-Remaining': String(Math.max(0, d)),
      'X-AppMinLimit-Remaining': String(Math.max(0, a)),
    });
    const refuse = (problem: RateLimitProblem, w?: Window, length?: number): LimitDecision => ({
      ok: false,
      problem,
      retryAfterMs: w && length ? Math.max(0, w.start + clock.scaled(length) - now) : undefined,
      headers: headers(limits.perMinute - minute.count, limits.perDay - day.count, limits.appPerMinute - app.count),
      release: () => {},
    });
    if (app.count >= limits.appPerMinute) return refuse('appminute', app, MINUTE);
    if (day.count >= limits.perDay) return refuse('day', day, DAY);
    if (minute.count >= limits.perMinute) return refuse('minute', minute, MINUTE);
    if (inFlight >= limits.inFlight) return refuse('concurrent');
    minute.count += 1;
    day.count += 1;
    app.count += 1;
    const peaks = this.store.counters.appMinutePeak;
    if (app.count > (peaks[clientId] ?? 0)) peaks[clientId] = app.count;
    this.#inFlight.set(tenantId, inFlight + 1);
    let released = false;
    return {
      ok: true,
      headers: headers(limits.perMinute - minute.count, limits.perDay - day.count, limits.appPerMinute - app.count),
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight.set(tenantId, Math.max(0, this.inFlight(tenantId) - 1));
      },
    };
  }
}

/** The headers of a 429 for a breach (or an injected one). */
export function rateLimitHeaders(problem: RateLimitProblem, retryAfterMs: number | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'X-Rate-Limit-Problem': problem };
  if (retryAfterMs !== undefined && problem !== 'concurrent') {
    headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    headers['X-Sandbox-Retry-After-Ms'] = String(Math.ceil(retryAfterMs));
  }
  return headers;
}
