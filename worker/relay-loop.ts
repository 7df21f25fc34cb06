/**
 * A background pass that repeats in the worker process: the relay and the outbox dispatcher. One pass at a
 * time; the next starts `intervalMs` after the previous ended, or at once when the pass says there is more.
 * A failing pass is logged and retried next interval: the database or Temporal being away is not fatal.
 * The database being unreachable (down, restarting) is said once per outage, at warn, and again when it is back,
 * not as an error with the query every interval.
 */
import type { Logger } from '../config/logger.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';

export interface PollingLoop {
  /** Lets the pass in progress finish, then stops. */
  stop(): Promise<void>;
  /** There is work now: run a pass at once (or, if one is running, right after it) instead of at the next interval. */
  kick(): void;
}

export function startPollingLoop({
  name,
  intervalMs,
  logger,
  pass,
}: {
  name: string;
  intervalMs: number;
  logger: Logger;
  /** Returns true when it stopped at a batch limit and should run again at once. */
  pass: () => Promise<boolean>;
}): PollingLoop {
  let stopped = false;
  let running = false;
  let kicked = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let unavailableSince: number | undefined;

  const runPass = async () => {
    running = true;
    kicked = false;
    let again = false;
    try {
      again = await pass();
      if (unavailableSince !== undefined) {
        logger.info({ loop: name, unavailableMs: Date.now() - unavailableSince }, 'background pass: the database is reachable again');
        unavailableSince = undefined;
      }
    } catch (err) {
      if (!isDatabaseUnavailable(err)) logger.error({ err, loop: name }, 'background pass failed; retrying next interval');
      else if (unavailableSince === undefined) {
        unavailableSince = Date.now();
        // The driver's own words (connect ECONNREFUSED ...), not the query's text and parameters.
        const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
        logger.warn({ loop: name, reason: cause instanceof Error ? cause.message : String(cause) }, 'background pass: the database is unavailable; retrying every interval');
      }
    }
    running = false;
    if (!stopped) timer = setTimeout(tick, again || kicked ? 0 : intervalMs);
  };
  const tick = () => {
    current = runPass();
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
    kick() {
      if (stopped) return;
      if (running) {
        kicked = true;
        return;
      }
      clearTimeout(timer);
      tick();
    },
  };
}
