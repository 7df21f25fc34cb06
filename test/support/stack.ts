/**
 * The real stack for one test file: the suite's Postgres and Temporal server, a worker on this file's own
 * task queue (so files never steal each other's tasks), and the API in-process on a free port.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Role } from '../../api/auth.ts';
import { buildApi } from '../../api/build.ts';
import { createLogger, type Logger } from '../../config/logger.ts';
import { createDatabase, type Database } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { mintToken } from '../../scripts/dev-token.ts';
import { createWorkers, type SyncWorkers } from '../../worker/create-worker.ts';
import { buildActivityDeps } from '../../worker/activity-deps.ts';
import { xeroServicesFromEnv } from '../../xero/from-env.ts';
import { loadEnv, type Env } from '../../config/env.ts';
import type { EnvConnectionLinker } from '../../api/env-connection-linker.ts';

export interface TestStack {
  env: Env;
  database: Database;
  temporal: Client;
  taskQueue: string;
  apiUrl: string;
  token(role: Role, orgId?: string): Promise<string>;
  /** The API's start-up link of the environment's custom connection (started by the API server, here by a test). */
  envConnection: EnvConnectionLinker;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

// The SDK logs every worker state change at INFO: keep test output to what matters.
try {
  Runtime.install({ logger: new DefaultLogger((process.env.TEST_TEMPORAL_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
} catch {
  // Already installed by another suite in this process.
}

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
  return loadEnv({
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
  });
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const env = testEnv(options);
  const database = createDatabase(options.databaseUrl ?? inject('databaseUrl'), { max: 5 });
  const address = inject('temporalAddress');
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = env.TEMPORAL_TASK_QUEUE;
  const logger = options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const jwtSecret = env.API_JWT_SECRET!;

  let worker: SyncWorkers | undefined;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    worker = await createWorkers({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      deps: buildActivityDeps({ env, db: database.db, logger, xero: xeroServicesFromEnv({ env, db: database.db, logger }) }),
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
    token: (role, orgId) => mintToken(jwtSecret, { role, orgId }),
    envConnection: api.envConnection,
    startWorker,
    stopWorker,
    async close() {
      api.envConnection.stop();
      await stopWorker();
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
