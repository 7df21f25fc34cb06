import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, isMissingRoute } from './api.ts';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

/** Errors that another try will not fix: a route this deployment lacks, access refused, session over. */
const final = (error: unknown) => isMissingRoute(error) || (error instanceof ApiError && [401, 403].includes(error.status));

/**
 * Loads `load` now, then again every `intervalMs(data)` milliseconds (null: stop), waiting while the tab
 * is hidden: the health section follows a backfill without anyone reloading the page.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: (data: T | undefined) => number | null, deps: unknown[] = []): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown }>({});
  const [tick, setTick] = useState(0);
  const latest = useRef({ load, intervalMs });
  latest.current = { load, intervalMs };
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const later = (wait: number) => {
      timer = window.setTimeout(() => (document.hidden ? later(wait) : void run()), wait);
    };
    const run = async () => {
      let data: T | undefined;
      let error: unknown;
      try {
        data = await latest.current.load();
      } catch (err) {
        error = err;
      }
      if (stopped) return;
      setState((previous) => ({ data: error ? previous.data : data, error }));
      if (error && final(error)) return;
      const wait = latest.current.intervalMs(data);
      if (wait !== null) later(error ? Math.max(wait, 5_000) : wait);
    };
    void run();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [tick, ...deps]);
  return { data: state.data, error: state.error, reload: () => setTick((t) => t + 1) };
}
