/**
 * Activities tell the Temporal server they are alive while they run: a heartbeat every few seconds from a
 * timer, whatever the activity is waiting on (Xero, the database). With a heartbeat timeout on the proxy,
 * an attempt lost with its worker (kill -9, a crashed host) is retried on another worker seconds after the
 * loss, instead of when its start-to-close timeout (sized for a slow Xero answer) runs out.
 *
 * Heartbeats are also how an activity learns it was cancelled or timed out at the server; the Xero call
 * then aborts its request (activities/xero-call.ts). The SDK throttles what reaches the server (at most one
 * per 80 % of the heartbeat timeout), so the timer costs next to nothing.
 */
import { Context } from '@temporalio/activity';

/** How often a running activity heartbeats; well inside the proxies' heartbeat timeout. */
export const HEARTBEAT_EVERY_MS = 2_000;

export function heartbeating<A extends unknown[], R>(activity: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    const context = Context.current();
    const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
}

/** Every activity of a set, heartbeating. */
export function heartbeatingAll<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, heartbeating(fn)])) as T;
}
