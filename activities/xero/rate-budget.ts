/**
 * What Xero says is left of an organisation's budget, read from the headers every response carries.
 * The workflow paces itself on these, so that in steady state it never sees a 429.
 */
export interface RateBudget {
  minuteRemaining?: number;
  dayRemaining?: number;
  appMinuteRemaining?: number;
}

export function readRateBudget(headers: Record<string, unknown> | undefined): RateBudget {
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
