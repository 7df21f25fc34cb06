/**
 * Turns on the Xero queue by how far into its pass an organisation is. The queue's dispatch rate is Xero's
 * app-wide limit; its fairness keys share that rate round-robin between the organisations whose calls are
 * queued at that moment, but an organisation that joins late (its workflow's first tasks still waiting for a
 * worker while others are already through) starts level with them: it is given no credit for the turns it
 * missed, so with many organisations woken at once those that got going first finish far ahead.
 *
 * So each call also carries a priority level (Temporal's priorityKey: 1 is dispatched before 2, and fairness
 * shares each level by organisation): an organisation's first call of a pass at level 1, its second at 2, its
 * third at 3, its fourth at 4, every later one at 5. One that joins late catches up with those that started
 * early, and a small sync is not held behind the long tail of a large one. The count starts again with every
 * pass, so yesterday's resync does not push today's three records to the back.
 *
 * Workflow code: plain counting, deterministic.
 */
import type { XeroCallsProxy } from './activities.ts';

/** Levels the server knows by default (`matching.priorityLevels`: 5); calls past the fourth share the last. */
export const TURN_LEVELS = [1, 2, 3, 4, 5] as const;

/** The priority level of a pass's call, counted from 0. */
export function turnLevel(callsBefore: number): number {
  return TURN_LEVELS[Math.min(callsBefore, TURN_LEVELS.length - 1)]!;
}

export class XeroTurns {
  private callsThisPass = 0;
  /** The Xero calls, each scheduled at the level of its turn in the pass. */
  readonly calls: XeroCallsProxy;

  constructor(proxyAt: (priorityKey: number) => XeroCallsProxy) {
    const levels = new Map<number, Record<string, (...args: unknown[]) => Promise<unknown>>>(
      TURN_LEVELS.map((level) => [level, proxyAt(level) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>]),
    );
    // Each call picks its level when it is made (when the activity is scheduled), in the order the pass makes them.
    this.calls = new Proxy({} as XeroCallsProxy, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        return (...args: unknown[]) => levels.get(turnLevel(this.callsThisPass++))![name]!(...args);
      },
    });
  }

  /** A new pass: its first call goes at level 1 again. */
  newPass(): void {
    this.callsThisPass = 0;
  }
}
