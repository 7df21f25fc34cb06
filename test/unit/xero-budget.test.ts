/**
 * The rate budget against a simulated Xero minute window (fixed, starting with the first call after the
 * last one ran out, counted when a request arrives), with random latencies so that answers of concurrent
 * calls come back out of order. Pure and deterministic: a seeded random source and a simulated clock.
 */
import { describe, expect, it } from 'vitest';
import { XeroBudget, type BudgetLimits } from '../../workflows/pacing/budget.ts';

const LIMITS: BudgetLimits = { perMinute: 60, perDay: 5_000, windowMs: 60_000, concurrency: 4, minuteReserve: 1, dayReserve: 0 };

/** Xero's per-organisation minute window, as FACTS.md describes it. */
class SimulatedXero {
  private windowStart = -Infinity;
  private count = 0;
  refused = 0;
  constructor(private readonly limits: BudgetLimits) {}
  arrive(at: number): { ok: boolean; remaining: number } {
    if (at >= this.windowStart + this.limits.windowMs) {
      this.windowStart = at;
      this.count = 0;
    }
    if (this.count >= this.limits.perMinute) {
      this.refused++;
      return { ok: false, remaining: 0 };
    }
    this.count++;
    return { ok: true, remaining: this.limits.perMinute - this.count };
  }
}

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

/**
 * Runs `calls` calls as fast as the budget allows, as a discrete-event simulation: each call reaches Xero
 * somewhere within its latency (where Xero counts it) and is answered at the end of it.
 */
function simulate({ calls, latency, seed, limits = LIMITS }: { calls: number; latency: [number, number]; seed: number; limits?: BudgetLimits }) {
  const random = seeded(seed);
  const xero = new SimulatedXero(limits);
  const budget = new XeroBudget(limits);
  type Call = { arriveAt: number; answerAt: number; generation: number; seen?: { ok: boolean; remaining: number } };
  const events: Array<{ at: number; kind: 'arrive' | 'answer'; call: Call }> = [];
  let now = 0;
  let started = 0;
  let answered = 0;
  let wakeAt = 0;
  while (answered < calls) {
    while (started < calls && now >= wakeAt) {
      const decision = budget.tryStart(now);
      if (!decision.go) {
        if (decision.waitFor !== 'concurrency') wakeAt = decision.until;
        break;
      }
      const took = latency[0] + random() * (latency[1] - latency[0]);
      const call: Call = { arriveAt: now + took * random(), answerAt: now + took, generation: decision.generation };
      events.push({ at: call.arriveAt, kind: 'arrive', call }, { at: call.answerAt, kind: 'answer', call });
      started++;
    }
    events.sort((a, b) => a.at - b.at || (a.kind === 'arrive' ? -1 : 1));
    const next = events[0];
    if (next && (now >= wakeAt || next.at <= wakeAt)) {
      events.shift();
      now = Math.max(now, next.at);
      if (next.kind === 'arrive') {
        next.call.seen = xero.arrive(next.at);
      } else {
        budget.finish(next.call.generation, { minuteRemaining: next.call.seen!.remaining, dayRemaining: 4_000, observedAt: next.at });
        answered++;
      }
    } else {
      now = wakeAt;
    }
  }
  return { elapsed: now, refused: xero.refused };
}

describe('XeroBudget', () => {
  it('never exceeds the minute window, with answers out of order, over many windows', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { refused } = simulate({ calls: 1_000, latency: [20, 900], seed });
      expect(refused).toBe(0);
    }
  });

  it('uses the budget: 401 calls take about 6.7 windows (59 a window, one kept for admin calls)', () => {
    const { elapsed } = simulate({ calls: 401, latency: [30, 120], seed: 42 });
    // 401 calls at 59 per window need 6 full windows and part of a 7th; the window end is learnt from
    // answers, so each wait is a few latencies longer than Xero's own.
    const floor = 6 * LIMITS.windowMs;
    expect(elapsed).toBeGreaterThan(floor);
    expect(elapsed).toBeLessThan(floor + LIMITS.windowMs * 0.1);
  });

  it('starts at most `concurrency` calls at once', () => {
    const budget = new XeroBudget(LIMITS);
    const decisions = Array.from({ length: 6 }, () => budget.tryStart(0));
    expect(decisions.filter((d) => d.go)).toHaveLength(4);
    expect(decisions[4]).toEqual({ go: false, waitFor: 'concurrency' });
  });

  it('waits for the window when Xero reports the minute spent, then starts afresh', () => {
    const budget = new XeroBudget(LIMITS);
    const first = budget.tryStart(0);
    if (!first.go) throw new Error('expected to start');
    budget.finish(first.generation, { minuteRemaining: 0, dayRemaining: 100, observedAt: 50 });
    const wait = budget.tryStart(60);
    expect(wait).toEqual({ go: false, waitFor: 'minute', until: 50 + 60_000 + 600 });
    expect(budget.tryStart(50 + 60_000 + 600)).toMatchObject({ go: true });
  });

  it('waits on the day limit, keeping the reserve for admin calls', () => {
    const budget = new XeroBudget({ ...LIMITS, dayReserve: 10 });
    const first = budget.tryStart(0);
    if (!first.go) throw new Error('expected to start');
    budget.finish(first.generation, { minuteRemaining: 50, dayRemaining: 10, observedAt: 10 });
    expect(budget.tryStart(20)).toEqual({ go: false, waitFor: 'day', until: 20 + 60 * 60_000 });
  });

  it('gives back the slot of an activity that made no call', () => {
    const budget = new XeroBudget({ ...LIMITS, perMinute: 2, minuteReserve: 0 });
    const a = budget.tryStart(0);
    if (!a.go) throw new Error('expected to start');
    budget.finish(a.generation, undefined, false);
    expect(budget.tryStart(1)).toMatchObject({ go: true });
    expect(budget.tryStart(2)).toMatchObject({ go: true });
    expect(budget.tryStart(3)).toMatchObject({ go: false, waitFor: 'minute' });
  });
});
