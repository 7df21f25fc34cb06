/**
 * The pacer as it was before `rate-budget.ts` (kept verbatim): runs begun by that code replay with it
 * until they continue as new (`patched('rate-budget-v2')` in the tenant workflow chooses). Its known
 * faults, fixed in the new one: out-of-order answers could read as a new window (a stray 429), and a
 * window whose end was never learnt could stall it. Delete once no such run can be open
 * (after `deprecatePatch`), i.e. when every organisation's workflow has continued as new since.
 */
import { condition, sleep } from '@temporalio/workflow';
import type { ObservedBudgetLike } from '../rate-budget.ts';
import type { Pacer, PacingConfig } from '../pacing.ts';

export class XeroPacerV1 implements Pacer {
  private inFlight = 0;
  /** Calls we may still start in Xero's current minute window (undefined: a fresh window, full budget). */
  private minuteLeft?: number;
  private lastReported?: number;
  private windowEndsAt?: number;
  private dayLeft?: number;
  waitingForBudget: 'minute' | 'day' | undefined;

  constructor(private readonly config: PacingConfig) {}

  /** Resolves when one more call may start; the caller must `release` it. */
  async acquire(): Promise<void> {
    for (;;) {
      await condition(() => this.inFlight < this.config.concurrency);
      const now = Date.now();
      if (this.windowEndsAt !== undefined && now >= this.windowEndsAt) {
        // Xero's window has reset by now: a full minute's budget again.
        this.minuteLeft = undefined;
        this.windowEndsAt = undefined;
      }
      const minute = (this.minuteLeft ?? this.config.perMinute) - this.config.minuteReserve;
      const day = (this.dayLeft ?? this.config.perDay) - this.config.dayReserve;
      if (minute > 0 && day > 0) {
        this.inFlight++;
        this.minuteLeft = (this.minuteLeft ?? this.config.perMinute) - 1;
        if (this.dayLeft !== undefined) this.dayLeft--;
        this.waitingForBudget = undefined;
        return;
      }
      if (day <= 0) {
        // Xero's day limit is a rolling 24 hours: look again in an hour (scaled like the minute).
        this.waitingForBudget = 'day';
        await sleep(this.config.windowMs * 60);
        this.dayLeft = undefined;
      } else {
        this.waitingForBudget = 'minute';
        await sleep(Math.max(1, (this.windowEndsAt ?? now + this.config.windowMs) - now));
      }
    }
  }

  /** The call finished; `budget` is what Xero reported with its answer (absent when no call was made). */
  release(budget?: ObservedBudgetLike, madeCall = true): void {
    this.inFlight--;
    if (!madeCall && this.minuteLeft !== undefined) this.minuteLeft++; // the slot was not used
    if (!budget) return;
    if (budget.minuteRemaining !== undefined) {
      const reset = this.lastReported === undefined || budget.minuteRemaining > this.lastReported;
      if (reset) {
        this.windowEndsAt = budget.observedAt + this.config.windowMs;
        this.minuteLeft = budget.minuteRemaining - this.inFlight;
      } else {
        // Calls still in flight may or may not be counted in this figure: assume they are not.
        this.minuteLeft = Math.min(this.minuteLeft ?? Infinity, budget.minuteRemaining - this.inFlight);
      }
      this.lastReported = budget.minuteRemaining;
    }
    if (budget.dayRemaining !== undefined) this.dayLeft = Math.min(this.dayLeft ?? Infinity, budget.dayRemaining - this.inFlight);
  }

  /** Runs one Xero activity under the pacer. */
  async run<T extends { budget?: ObservedBudgetLike }>(call: () => Promise<T>): Promise<T> {
    await this.acquire();
    let result: T | undefined;
    try {
      result = await call();
      return result;
    } finally {
      this.release(result?.budget, result ? result.budget !== undefined : true);
    }
  }

  snapshot() {
    return { minuteLeft: this.minuteLeft, dayLeft: this.dayLeft, inFlight: this.inFlight, waitingForBudget: this.waitingForBudget };
  }
}
