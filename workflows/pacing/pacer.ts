/**
 * Paces one organisation's Xero calls on what Xero itself reports (`X-MinLimit-Remaining`,
 * `X-DayLimit-Remaining`), so that in steady state no call is ever answered 429:
 *   - at most `concurrency` calls in flight (Xero allows 5; one is left for admin calls);
 *   - an urgent call (reading what a webhook announced) takes the next free turn before any other;
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

export interface PacedCallOptions {
  /**
   * Goes ahead of calls that are not: while an urgent call waits, no other starts. Reads of what Xero's
   * webhooks announced are urgent, so a payment is taken in between push batches, not after the last one.
   */
  urgent?: boolean;
}

export class XeroPacer {
  private readonly budget: XeroBudget;
  waitingForBudget: 'minute' | 'day' | undefined;
  /** Urgent calls waiting for their turn. */
  private urgentWaiting = 0;

  constructor(private readonly config: PacingConfig) {
    this.budget = new XeroBudget(config);
  }

  /** Runs one Xero activity under the pacer; `rateLimits` in its result is what Xero answered (absent: no call made). */
  async run<T extends { rateLimits?: ObservedLimits }>(call: () => Promise<T>, { urgent = false }: PacedCallOptions = {}): Promise<T> {
    const generation = urgent ? await this.acquireUrgently() : await this.acquire();
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

  private async acquireUrgently(): Promise<number> {
    this.urgentWaiting++;
    try {
      return await this.acquire(true);
    } finally {
      this.urgentWaiting--;
    }
  }

  /** Resolves when one more call may start, with the window generation to hand back when it finishes. */
  private async acquire(urgent = false): Promise<number> {
    for (;;) {
      if (!urgent && this.urgentWaiting > 0) {
        await condition(() => this.urgentWaiting === 0);
        continue;
      }
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
