/** `npm run worker`: the Temporal worker alone, against external Postgres and Temporal (production). */
import { NativeConnection } from '@temporalio/worker';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { exitOnConfigError, isMainModule, onShutdownSignal, reaching } from '../config/process.ts';
import { createDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { metricsCredentials } from '../metrics/access.ts';
import { installTemporalRuntime } from '../metrics/temporal-sdk.ts';
import { createWorkerMetrics } from '../metrics/worker-metrics.ts';
import { buildActivityDeps } from './activity-deps.ts';
import { xeroServicesFromEnv } from '../xero/from-env.ts';
import { createWorkers } from './create-worker.ts';
import { startWorkerMetricsServer } from './metrics-server.ts';
import { startRelayAndOutbox } from './relay-and-outbox.ts';
import { checkSearchAttributes } from './search-attribute-check.ts';

export async function startWorker(env = loadEnv(), logger = createLogger({ level: env.LOG_LEVEL, name: 'worker' })) {
  // Before the first connection: the SDK runtime is installed once per process, with its metrics exporter.
  const temporalSdk = await installTemporalRuntime({ port: env.METRICS_TEMPORAL_SDK_PORT });
  if (!temporalSdk) logger.warn('Temporal SDK runtime already installed in this process: its metrics are not merged into /metrics');
  const database = createDatabase(env.DATABASE_URL, { max: env.DATABASE_POOL_SIZE });
  await reaching('PostgreSQL', 'DATABASE_URL', () => applyMigrations(database));
  const connection = await reaching('Temporal', 'TEMPORAL_ADDRESS', () => NativeConnection.connect({ address: env.TEMPORAL_ADDRESS }));
  await checkSearchAttributes(connection, env.TEMPORAL_NAMESPACE).catch(async (err: unknown) => {
    await Promise.all([connection.close(), database.close()]);
    throw err;
  });
  const metrics = createWorkerMetrics({ db: database.db, logger, credentials: metricsCredentials(env), temporalSdk });
  const xero = xeroServicesFromEnv({ env, db: database.db, logger, onXeroCall: metrics.xeroCalls });
  const metricsServer = await startWorkerMetricsServer({ ...metrics, host: env.METRICS_HOST, port: env.METRICS_PORT, logger }).catch(async (err: unknown) => {
    await Promise.all([connection.close(), database.close()]);
    throw err;
  });
  const worker = await createWorkers({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    deps: buildActivityDeps({ env, db: database.db, logger, xero, metrics }),
    appCallsPerMinute: env.XERO_APP_CALLS_PER_MINUTE,
    rateWindowMs: env.XERO_RATE_WINDOW_MS,
    workflowBundle: env.WORKFLOW_BUNDLE_PATH ? { codePath: env.WORKFLOW_BUNDLE_PATH } : undefined,
    maxCachedWorkflows: env.TEMPORAL_MAX_CACHED_WORKFLOWS,
  }).catch(async (err: unknown) => {
    await Promise.all([metricsServer.close(), connection.close(), database.close()]);
    throw err;
  });
  const running = worker.run();
  const background = startRelayAndOutbox({ env, db: database.db, sql: database.sql, logger });
  logger.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, namespace: env.TEMPORAL_NAMESPACE, metrics: metricsServer.url }, 'worker running');
  return {
    running,
    metricsUrl: metricsServer.url,
    /** Stops polling, lets in-flight activities finish (shutdownGraceTime), then closes connections. */
    async stop() {
      worker.shutdown();
      await Promise.all([running, background.stop()]);
      await metricsServer.close();
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
