/**
 * Fault injection, so the sync can be seen coping with a bad day at Xero: a share of 5xx answers,
 * requests that never get an answer (after Xero did the work, or before), added latency, and 429 storms.
 */
import { problem } from './accounting/errors.ts';
import type { FaultSettings } from './options.ts';

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'rate429' }
  | { kind: 'error'; status: number }
  | { kind: 'timeout'; mode: FaultSettings['timeoutMode'] };

export function decideFault(faults: FaultSettings, method: string, random: () => number = Math.random): FaultDecision {
  if (faults.methods.length > 0 && !faults.methods.includes(method.toUpperCase())) return { kind: 'none' };
  if (faults.rate429 > 0 && random() < faults.rate429) return { kind: 'rate429' };
  if (faults.timeoutRate > 0 && random() < faults.timeoutRate) return { kind: 'timeout', mode: faults.timeoutMode };
  if (faults.errorRate > 0 && random() < faults.errorRate && faults.errorStatuses.length > 0) {
    return { kind: 'error', status: faults.errorStatuses[Math.floor(random() * faults.errorStatuses.length)]! };
  }
  return { kind: 'none' };
}

/** A small seeded generator (mulberry32): the same seed gives the same faults on the same calls. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Bodies like Xero's when its own side fails. */
export function serverErrorBody(status: number): Record<string, unknown> {
  if (status === 503) return problem(503, 'Service Unavailable', 'The Xero API is temporarily unavailable. Please try again later.');
  return problem(status, 'An error occurred', 'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
