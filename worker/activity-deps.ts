/** Builds the activities' dependencies from configuration: the one wiring for production, dev and tests. */
import type { Env } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import { settingsDefaultsFromEnv } from '../config/settings-defaults.ts';
import type { ActivityDeps } from '../activities/deps.ts';
import type { XeroServices } from '../xero/from-env.ts';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';

export function buildActivityDeps({ env, db, logger, xero, metrics }: { env: Env; db: Db; logger: Logger; xero: XeroServices; metrics: WorkerMetrics }): ActivityDeps {
  return {
    metrics,
    db,
    logger,
    xero: xero.client,
    settingsDefaults: settingsDefaultsFromEnv(env),
    pacing: {
      perMinute: env.XERO_MINUTE_LIMIT,
      perDay: env.XERO_DAY_LIMIT,
      windowMs: env.XERO_RATE_WINDOW_MS,
      concurrency: env.XERO_CONCURRENCY,
      minuteReserve: 1,
      dayReserve: 50,
      callTimeoutMs: env.XERO_CALL_TIMEOUT_MS,
    },
    applyXeroContactEdits: env.XERO_APPLY_CONTACT_EDITS,
  };
}
