/**
 * A background pass that repeats in the worker process: the relay and the outbox dispatcher. One pass at a
 * time; the next starts `intervalMs` after the previous ended, or at once when the pass says there is more.
 * A failing pass is logged and retried next interval: the database or Temporal being away is not fatal.
 */
import type { Logger } from '../config/logger.ts';

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

  const runPass = async () => {
    running = true;
    kicked = false;
    let again = false;
    try {
      again = await pass();
    } catch (err) {
      logger.error({ err, loop: name }, 'background pass failed; retrying next interval');
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
