/**
 * Paces one organisation's Xero calls on what Xero itself reports (`X-MinLimit-Remaining`,
 * `X-DayLimit-Remaining`), so that in steady state no call is ever answered 429:
 *   - at most `concurrency` calls in flight (Xero allows 5; one is left for admin calls);
 *   - when the minute budget is spent, wait on a durable timer until Xero's window has reset;
 *   - when the day budget is spent, wait in long steps and let the organisation's status say so.
 *
 * How the budget and Xero's window are learnt from the answers is in `rate-budget.ts` (pure, unit-tested);
 * this class only waits on it.
 *
 * Workflow code: deterministic (workflow time, durable timers), no I/O.
 */
import { condition, sleep } from '@temporalio/workflow';
import { RateBudget, type BudgetLimits, type ObservedBudgetLike } from './rate-budget.ts';

export type { ObservedBudgetLike } from './rate-budget.ts';

export interface PacingConfig extends BudgetLimits {
  /** How long one Xero call may take before it is abandoned and retried (same Idempotency-Key). */
  callTimeoutMs: number;
}

/** What the organisation's workflow needs of a pacer (the current one, or the one old runs replay with). */
export interface Pacer {
  readonly waitingForBudget: 'minute' | 'day' | undefined;
  run<T extends { budget?: ObservedBudgetLike }>(call: () => Promise<T>): Promise<T>;
  snapshot(): { minuteLeft?: number; dayLeft?: number; inFlight: number; waitingForBudget?: 'minute' | 'day' };
}

export class XeroPacer implements Pacer {
  private readonly budget: RateBudget;
  waitingForBudget: 'minute' | 'day' | undefined;

  constructor(private readonly config: PacingConfig) {
    this.budget = new RateBudget(config);
  }

  /** Resolves when one more call may start, with the window generation to hand back to `release`. */
  async acquire(): Promise<number> {
    for (;;) {
      const decision = this.budget.tryStart(Date.now()); // workflow time: deterministic
      if (decision.go) {
        this.waitingForBudget = undefined;
        return decision.generation;
      }
      if (decision.waitFor === 'concurrency') {
        await condition(() => this.budget.inFlight < this.config.concurrency);
        continue;
      }
      this.waitingForBudget = decision.waitFor;
      await sleep(Math.max(1, decision.until - Date.now()));
      if (decision.waitFor === 'day') this.budget.forgetDay();
    }
  }

  /** The call finished; `budget` is what Xero reported with its answer (absent when no call was made). */
  release(generation: number, budget?: ObservedBudgetLike, madeCall = true): void {
    this.budget.finish(generation, budget, madeCall);
  }

  /** Runs one Xero activity under the pacer. */
  async run<T extends { budget?: ObservedBudgetLike }>(call: () => Promise<T>): Promise<T> {
    const generation = await this.acquire();
    let result: T | undefined;
    try {
      result = await call();
      return result;
    } finally {
      this.release(generation, result?.budget, result ? result.budget !== undefined : true);
    }
  }

  snapshot() {
    return { ...this.budget.snapshot(), waitingForBudget: this.waitingForBudget };
  }
}
