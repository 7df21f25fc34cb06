/**
 * Paces one organisation's Xero calls on what Xero itself reports (`X-MinLimit-Remaining`,
 * `X-DayLimit-Remaining`), so that in steady state no call is ever answered 429:
 *   - at most `concurrency` calls in flight (Xero allows 5; one is left for admin calls);
 *   - when the minute budget is spent, wait on a durable timer until Xero's window has reset;
 *   - when the day budget is spent, wait in long steps and let the organisation's status say so.
 *
 * How the budget and Xero's window are learnt from the answers is in `budget.ts` (pure, unit-tested);
 * this class only waits on it.
 *
 * Workflow code: deterministic (workflow time, durable timers), no I/O.
 */
import { condition, sleep } from '@temporalio/workflow';
import { XeroBudget, type BudgetLimits, type ObservedLimits } from './budget.ts';

export interface PacingConfig extends BudgetLimits {
  /** How long one Xero call may take before it is abandoned and retried (same Idempotency-Key). */
  callTimeoutMs: number;
}

export interface PacerSnapshot {
  minuteLeft?: number;
  dayLeft?: number;
  inFlight: number;
  waitingForBudget?: 'minute' | 'day';
}

export class XeroPacer {
  private readonly budget: XeroBudget;
  waitingForBudget: 'minute' | 'day' | undefined;

  constructor(private readonly config: PacingConfig) {
    this.budget = new XeroBudget(config);
  }

  /** Runs one Xero activity under the pacer; `rateLimits` in its result is what Xero answered (absent: no call made). */
  async run<T extends { rateLimits?: ObservedLimits }>(call: () => Promise<T>): Promise<T> {
    const generation = await this.acquire();
    let result: T | undefined;
    try {
      result = await call();
      return result;
    } finally {
      this.budget.finish(generation, result?.rateLimits, result ? result.rateLimits !== undefined : true);
    }
  }

  snapshot(): PacerSnapshot {
    return { ...this.budget.snapshot(), waitingForBudget: this.waitingForBudget };
  }

  /** Resolves when one more call may start, with the window generation to hand back when it finishes. */
  private async acquire(): Promise<number> {
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
}
