/**
 * What Xero says is left of an organisation's call budget, read from the headers every answer carries
 * (`X-MinLimit-Remaining`, `X-DayLimit-Remaining`, `X-AppMinLimit-Remaining`). The organisation's
 * workflow paces itself on these (workflows/pacing), so that in steady state it never sees a 429.
 */
export interface RateLimitHeaders {
  minuteRemaining?: number;
  dayRemaining?: number;
  appMinuteRemaining?: number;
}

/** The rate-limit headers of one answer, and when it arrived. */
export interface ObservedRateLimits extends RateLimitHeaders {
  /** Epoch ms when the answer arrived: the workflow aligns its view of Xero's minute window on it. */
  observedAt: number;
}

export function readRateLimitHeaders(headers: Record<string, unknown> | undefined): RateLimitHeaders {
  const get = (name: string) => {
    for (const [k, v] of Object.entries(headers ?? {})) {
      if (k.toLowerCase() === name) {
        const n = Number(v);
        return Number.isFinite(n) ? n : undefined;
      }
    }
    return undefined;
  };
  return {
    minuteRemaining: get('x-minlimit-remaining'),
    dayRemaining: get('x-daylimit-remaining'),
    appMinuteRemaining: get('x-appminlimit-remaining'),
  };
}

export function observeRateLimits(headers: Record<string, unknown> | undefined, now = Date.now()): ObservedRateLimits {
  return { ...readRateLimitHeaders(headers), observedAt: now };
}
