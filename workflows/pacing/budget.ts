/**
 * What one organisation may still spend of Xero's call budget, learnt from Xero's own answers
 * (`X-MinLimit-Remaining`, `X-DayLimit-Remaining`, read by xero/rate-headers.ts). Pure state, no timers:
 * `XeroPacer` waits on it with durable timers, and unit tests drive it with a fake clock.
 *
 * Xero's minute window is fixed but starts with the organisation's first call after the previous one
 * ran out, and Xero does not say when it ends. Two facts bound it safely:
 *   - a window that counted a call answered at time t began before t, so it ends by t + windowMs;
 *   - a remaining count that goes UP by more than the calls in flight could explain is a new window
 *     (answers of concurrent calls may arrive out of order, so a small rise is not).
 * Every estimate errs towards waiting a little too long, never towards a 429.
 */
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';

export interface BudgetLimits {
  perMinute: number;
  perDay: number;
  /** Xero's minute (60,000 ms; shorter against a time-scaled sandbox). */
  windowMs: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Calls per minute and per day left unused for admin actions (test connection, lookups). */
  minuteReserve: number;
  dayReserve: number;
}

/** What one answer said of the budget (xero/rate-headers.ts `ObservedRateLimits` has this shape). */
export type ObservedLimits = Pick<ObservedRateLimits, 'minuteRemaining' | 'dayRemaining' | 'observedAt'>;

/** What `tryStart` decided: go ahead (with the window generation to hand back), or wait. */
export type StartDecision = { go: true; generation: number } | { go: false; waitFor: 'concurrency' } | { go: false; waitFor: 'minute' | 'day'; until: number };

export class XeroBudget {
  inFlight = 0;
  /** The lowest remaining count Xero reported in the current window (counts only fall within a window). */
  private lowestReported?: number;
  /** Calls started since the current window began (used until Xero's first answer in it). */
  private startedInWindow = 0;
  /** An upper bound for the end of the current window; undefined until an answer or a wait sets it. */
  private windowEndsAt?: number;
  /** Bumped whenever we conclude a window has ended; answers to calls of an older window are ignored. */
  private generation = 0;
  private lowestDayReported?: number;

  constructor(private readonly limits: BudgetLimits) {}

  /**
   * Calls we may still start in this window. Recomputed from Xero's latest count rather than carried
   * forward: every call in flight is assumed not counted yet (some are, so this errs low while they are
   * in flight, and recovers as they answer).
   */
  private minuteLeft(): number {
    return this.lowestReported !== undefined ? this.lowestReported - this.inFlight : this.limits.perMinute - this.startedInWindow;
  }

  private dayLeft(): number {
    return (this.lowestDayReported ?? this.limits.perDay) - this.inFlight;
  }

  tryStart(now: number): StartDecision {
    if (this.inFlight >= this.limits.concurrency) return { go: false, waitFor: 'concurrency' };
    if (this.windowEndsAt !== undefined && now >= this.windowEndsAt) this.startNewWindow();
    if (this.dayLeft() - this.limits.dayReserve <= 0) {
      // Xero's day is a rolling 24 hours: look again in an hour (scaled like the minute).
      return { go: false, waitFor: 'day', until: now + this.limits.windowMs * 60 };
    }
    if (this.minuteLeft() - this.limits.minuteReserve <= 0) {
      // The current window began no later than now, so it is over one window from now at the latest.
      this.windowEndsAt ??= now + this.limits.windowMs;
      return { go: false, waitFor: 'minute', until: this.windowEndsAt + this.margin() };
    }
    this.inFlight++;
    this.startedInWindow++;
    return { go: true, generation: this.generation };
  }

  /** After a day-limit wait: ask Xero again rather than trust the old count. */
  forgetDay(): void {
    this.lowestDayReported = undefined;
  }

  /** A call started under `generation` finished; `observed` is what Xero reported (absent: no call was made). */
  finish(generation: number, observed: ObservedLimits | undefined, madeCall = true): void {
    this.inFlight--;
    if (!madeCall && generation === this.generation) this.startedInWindow--; // the slot was not used
    if (!observed) return;
    if (observed.dayRemaining !== undefined) this.lowestDayReported = Math.min(this.lowestDayReported ?? Infinity, observed.dayRemaining);
    const remaining = observed.minuteRemaining;
    if (remaining === undefined || generation !== this.generation) return;

    const endsBy = observed.observedAt + this.limits.windowMs;
    if (this.lowestReported !== undefined && remaining > this.lowestReported + this.limits.concurrency) {
      // Xero's window reset while we were calling: this answer is in a window that began before it arrived.
      this.windowEndsAt = endsBy;
      this.lowestReported = remaining;
      return;
    }
    // Same window (or the first answer we see of it).
    if (this.windowEndsAt === undefined || endsBy < this.windowEndsAt) this.windowEndsAt = endsBy;
    this.lowestReported = Math.min(this.lowestReported ?? Infinity, remaining);
  }

  snapshot() {
    return { minuteLeft: this.minuteLeft(), dayLeft: this.lowestDayReported === undefined ? undefined : this.dayLeft(), inFlight: this.inFlight };
  }

  private startNewWindow(): void {
    this.lowestReported = undefined;
    this.startedInWindow = 0;
    this.windowEndsAt = undefined;
    this.generation++;
  }

  /** Clocks of the worker hosts and Xero's differ a little: wait 1% of a window longer. */
  private margin(): number {
    return Math.ceil(this.limits.windowMs / 100);
  }
}
