/** `npm run worker`: the Temporal worker alone, against external Postgres and Temporal (production). */
import { NativeConnection } from '@temporalio/worker';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { exitOnConfigError, isMainModule, onShutdownSignal, reaching } from '../config/process.ts';
import { createDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { buildActivityDeps } from './activity-deps.ts';
import { xeroServicesFromEnv } from '../xero/from-env.ts';
import { createWorkers } from './create-worker.ts';
import { startRelayAndOutbox } from './relay-and-outbox.ts';

export async function startWorker(env = loadEnv(), logger = createLogger({ level: env.LOG_LEVEL, name: 'worker' })) {
  const database = createDatabase(env.DATABASE_URL, { max: env.DATABASE_POOL_SIZE });
  await reaching('PostgreSQL', 'DATABASE_URL', () => applyMigrations(database));
  const connection = await reaching('Temporal', 'TEMPORAL_ADDRESS', () => NativeConnection.connect({ address: env.TEMPORAL_ADDRESS }));
  const worker = await createWorkers({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    deps: buildActivityDeps({ env, db: database.db, logger, xero: xeroServicesFromEnv({ env, db: database.db, logger }) }),
    appCallsPerMinute: env.XERO_APP_CALLS_PER_MINUTE,
    rateWindowMs: env.XERO_RATE_WINDOW_MS,
    workflowBundle: env.WORKFLOW_BUNDLE_PATH ? { codePath: env.WORKFLOW_BUNDLE_PATH } : undefined,
  });
  const running = worker.run();
  const background = startRelayAndOutbox({ env, db: database.db, sql: database.sql, logger });
  logger.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, namespace: env.TEMPORAL_NAMESPACE }, 'worker running');
  return {
    running,
    /** Stops polling, lets in-flight activities finish (shutdownGraceTime), then closes connections. */
    async stop() {
      worker.shutdown();
      await Promise.all([running, background.stop()]);
      await connection.close();
      await database.close();
    },
  };
}

if (isMainModule(import.meta.url)) {
  try {
    const worker = await startWorker();
    onShutdownSignal(() => worker.stop());
  } catch (err) {
    exitOnConfigError(err);
  }
}
