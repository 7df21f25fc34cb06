/**
 * The real stack for one test file: the suite's Postgres and Temporal server, a worker on this file's own
 * task queue (so files never steal each other's tasks), and the API in-process on a free port.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Role } from '../../api/auth.ts';
import { buildApi } from '../../api/build.ts';
import type { Logger } from '../../config/logger.ts';
import { createDatabase, type Database } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { mintToken } from '../../scripts/dev-token.ts';
import { createWorkers, type SyncWorkers } from '../../worker/create-worker.ts';
import type { ActivityDeps } from '../../activities/deps.ts';
import { buildActivityDeps } from '../../worker/activity-deps.ts';
import { xeroServicesFromEnv } from '../../xero/from-env.ts';
import { loadEnv, type Env } from '../../config/env.ts';
import { metricsCredentials } from '../../metrics/access.ts';
import { installTemporalRuntime } from '../../metrics/temporal-sdk.ts';
import { createWorkerMetrics } from '../../metrics/worker-metrics.ts';
import { startWorkerMetricsServer } from '../../worker/metrics-server.ts';
import { rememberRows, rememberSecret, testLogger } from './secret-audit.ts';
import type { EnvConnectionLinker } from '../../api/env-connection-linker.ts';

export interface TestStack {
  env: Env;
  database: Database;
  temporal: Client;
  taskQueue: string;
  apiUrl: string;
  /** The API's Express app itself (what test/support/express-routes.ts walks). */
  app: Express;
  /** The worker's `GET /metrics` (its own registry, the Temporal SDK's metrics merged in), as the worker process serves it. */
  workerMetricsUrl: string;
  token(role: Role, orgId?: string): Promise<string>;
  /** The API's start-up link of the environment's custom connection (started by the API server, here by a test). */
  envConnection: EnvConnectionLinker;
  /** What the worker's activities are given, built as a worker builds it: for running one activity by itself. */
  activityDeps(): ActivityDeps;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

// As the worker process installs it: the SDK's Prometheus exporter on a free loopback port. The SDK logs every
// worker state change at INFO: keep test output to what matters. Undefined when already installed in this process.
const temporalSdk = await installTemporalRuntime({ logLevel: (process.env.TEST_TEMPORAL_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN' });

export const newOrgId = () => `org-${randomUUID()}`;

export interface TestStackOptions {
  /** Base URL of a Xero-compatible server (the sandbox): API, identity and login on one origin. */
  xeroUrl?: string;
  env?: Record<string, string>;
  /** The API's and the worker's logger (a test that inspects log lines hands in its own). */
  logger?: Logger;
  /** A database of the file's own (createScratchDatabase), for tests that run loops sweeping whole tables. */
  databaseUrl?: string;
  /** Another workflow bundle than the suite's (e.g. one built from older code, to record its histories). */
  workflowBundlePath?: string;
  /** The API's port (default: any free one), for tests whose configuration names the API's own URL. */
  apiPort?: number;
}

/** A complete, valid configuration for this test file (fresh secrets, the suite's services). */
export function testEnv(options: TestStackOptions = {}): Env {
  const xeroUrl = options.xeroUrl ?? 'http://127.0.0.1:9';
  return rememberEnvSecrets(loadEnv({
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl ?? inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    API_JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: `t1:${randomBytes(32).toString('base64')}`,
    XERO_API_URL: xeroUrl,
    XERO_IDENTITY_URL: xeroUrl,
    XERO_LOGIN_URL: xeroUrl,
    XERO_WEBHOOK_KEY: randomBytes(32).toString('base64'),
    // Organisations connected through the API get a reconciliation schedule: far apart enough that none
    // fires by itself during a run (tests trigger them).
    RECONCILE_INTERVAL: '365d',
    ...options.env,
  }));
}

/** The configuration's secrets, written down for the secret audit. */
function rememberEnvSecrets(env: Env): Env {
  rememberSecret('API_JWT_SECRET', env.API_JWT_SECRET);
  for (const { id, key } of env.ENCRYPTION_KEY) {
    rememberSecret(`ENCRYPTION_KEY ${id}`, key.toString('base64'));
    rememberSecret(`ENCRYPTION_KEY ${id} (hex)`, key.toString('hex'));
  }
  rememberSecret('XERO_CLIENT_SECRET', env.XERO_CLIENT_SECRET);
  rememberSecret('XERO_WEBHOOK_KEY', env.XERO_WEBHOOK_KEY);
  rememberSecret('PLATFORM_WEBHOOK_SECRET', env.PLATFORM_WEBHOOK_SECRET);
  rememberSecret('METRICS_PASSWORD', env.METRICS_PASSWORD);
  return env;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const env = testEnv(options);
  const database = createDatabase(options.databaseUrl ?? inject('databaseUrl'), { max: 5 });
  const address = inject('temporalAddress');
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = env.TEMPORAL_TASK_QUEUE;
  const logger = options.logger ?? testLogger();
  const jwtSecret = env.API_JWT_SECRET!;

  // The worker's registry lives as long as the stack, as it does in a worker process: counters carry across worker restarts.
  const workerMetrics = createWorkerMetrics({ db: database.db, logger, credentials: metricsCredentials(env), temporalSdk });
  const metricsServer = await startWorkerMetricsServer({ ...workerMetrics, host: '127.0.0.1', port: 0, logger });
  let worker: SyncWorkers | undefined;
  let running: Promise<void> | undefined;
  // Each start builds its own, as a new worker process would (nothing cached from the one before).
  const activityDeps = () =>
    buildActivityDeps({
      env,
      db: database.db,
      logger,
      xero: xeroServicesFromEnv({ env, db: database.db, logger, onXeroCall: workerMetrics.xeroCalls }),
      metrics: workerMetrics,
    });
  const startWorker = async () => {
    worker = await createWorkers({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      deps: activityDeps(),
      workflowBundle: { codePath: options.workflowBundlePath ?? inject('workflowBundlePath') },
      shutdownGraceTime: '5 seconds',
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    worker?.shutdown();
    await running;
    worker = undefined;
  };

  // The API exactly as production wires it (api/build.ts), on this file's database and task queue.
  const api = await buildApi({ env, db: database.db, logger });
  const app = api.app;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.apiPort ?? 0, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  await startWorker();
  return {
    env,
    database,
    temporal: api.temporal,
    taskQueue,
    apiUrl,
    app,
    workerMetricsUrl: metricsServer.url,
    token: async (role, orgId) => {
      const token = await mintToken(jwtSecret, { role, orgId });
      rememberSecret('bearer token', token);
      return token;
    },
    envConnection: api.envConnection,
    activityDeps,
    startWorker,
    stopWorker,
    async close() {
      api.envConnection.stop();
      await stopWorker();
      await metricsServer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await nativeConnection.close();
      await api.close();
      await database.close();
    },
  };
}

/**
 * A fresh database of its own in the suite's Postgres, with the real migrations applied. For tests of
 * loops that sweep whole tables (relay, outbox): on the shared database they would pick up, and act on,
 * rows other test files are asserting about.
 */
export async function createScratchDatabase(): Promise<Database & { url: string }> {
  const shared = createDatabase(inject('databaseUrl'), { max: 1 });
  const name = `scratch_${randomBytes(6).toString('hex')}`;
  try {
    await shared.sql.unsafe(`create database "${name}"`);
  } finally {
    await shared.close();
  }
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  const database = createDatabase(url.toString(), { max: 5 });
  await applyMigrations(database);
  return {
    ...database,
    url: url.toString(),
    // Closes and drops it, so a run against an external TEST_DATABASE_URL leaves nothing behind.
    async close() {
      await rememberRows(database, `scratch database ${name}`);
      await database.close();
      const admin = createDatabase(inject('databaseUrl'), { max: 1 });
      await admin.sql.unsafe(`drop database if exists "${name}" with (force)`).finally(() => admin.close());
    },
  };
}

/** Polls `probe` until it returns a truthy value (real systems settle asynchronously). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, { timeoutMs = 20_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
