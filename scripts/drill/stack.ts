/**
 * The whole service as separate processes, for the drills: PostgreSQL, the Temporal server, the Xero sandbox,
 * the worker and the API, plus the main app's stand-in in this process. One stack serves every drill of a
 * run; each drill works on organisations of its own and leaves every process running when it ends.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { writeWorkflowBundle } from '../build-workflow-bundle.ts';
import { freePort } from '../free-port.ts';
import { startMainApp, type MainApp } from './main-app.ts';
import { nodeService, postgresProcess, temporalProcess, type Restartable } from './processes.ts';
import { sandboxClient, type SandboxClient } from './sandbox-client.ts';

export interface DrillStackOptions {
  server: 'dev' | 'postgres';
  /** Xero time runs this much faster: a Xero minute lasts 60 / timeScale seconds. */
  timeScale: number;
  log: (line: string) => void;
  /** Keep the run's folder (logs, data) for a look afterwards. */
  keep?: boolean;
  /** The worker's and the API's LOG_LEVEL (at least `info`: their readiness lines are info). */
  logLevel?: 'info' | 'debug' | 'trace';
}

export interface DrillStack {
  work: string;
  timeScale: number;
  postgres: Restartable & { url(): string };
  temporal: Restartable & { address: string };
  sandbox: Restartable & SandboxClient & { unexpectedExits: string[] };
  worker: Restartable & { starts: number; unexpectedExits: string[] };
  api: Restartable & { starts: number; unexpectedExits: string[]; url: string };
  mainApp: MainApp;
  /** This process's own connection, for counting outcomes (reconnects after a PostgreSQL restart). */
  database: Database;
  secrets: { jwt: string; encryptionKey: string; webhookKey: string; platform: string };
  /** Stops every process; the run's folder is deleted unless `keep` (or the stack's own `keep`). */
  close(options?: { keep?: boolean }): Promise<void>;
}

export async function startDrillStack(options: DrillStackOptions): Promise<DrillStack> {
  const work = mkdtempSync(join(tmpdir(), 'drills-'));
  chmodSync(work, 0o755); // the embedded PostgreSQL runs as the `postgres` user when we are root
  const [pgPort, temporalPort, sandboxPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const secrets = {
    jwt: randomBytes(32).toString('hex'),
    encryptionKey: `d1:${randomBytes(32).toString('base64')}`,
    webhookKey: randomBytes(32).toString('base64'),
    platform: randomBytes(24).toString('hex'),
  };
  const mainApp = await startMainApp(secrets.platform);
  const postgres = postgresProcess({ dataDir: join(work, 'pg'), port: pgPort, database: 'xero_sync' });
  const temporal = temporalProcess({ kind: options.server, port: temporalPort, work, log: options.log });
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const windowMs = Math.round(60_000 / options.timeScale);

  const bundlePath = join(work, 'workflow-bundle.js');
  options.log(`starting PostgreSQL, ${temporal.name}, the sandbox; bundling the workflows (work folder ${work})`);
  await Promise.all([postgres.start(), temporal.start(), writeWorkflowBundle(bundlePath)]);
  const database = createDatabase(postgres.url(), { max: 3 });
  await applyMigrations(database);

  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    // The readiness lines ("worker running", "API listening") are info.
    LOG_LEVEL: options.logLevel ?? 'info',
    // The worker's /metrics on any free port: a worker started while the killed one's port is not yet free never clashes.
    METRICS_PORT: '0',
    DATABASE_URL: postgres.url(),
    DATABASE_POOL_SIZE: '10',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'xero-sync-drill',
    API_JWT_SECRET: secrets.jwt,
    ENCRYPTION_KEY: secrets.encryptionKey,
    XERO_API_URL: sandboxUrl,
    XERO_IDENTITY_URL: sandboxUrl,
    XERO_LOGIN_URL: sandboxUrl,
    XERO_WEBHOOK_KEY: secrets.webhookKey,
    XERO_RATE_WINDOW_MS: String(windowMs),
    // Tokens live 30 Xero minutes: refreshed 5 Xero minutes ahead, on the same time scale.
    XERO_TOKEN_REFRESH_AHEAD_MS: String(Math.round(300_000 / options.timeScale)),
    PLATFORM_WEBHOOK_URL: mainApp.url,
    PLATFORM_WEBHOOK_SECRET: secrets.platform,
    RECONCILE_INTERVAL: '365d',
    WORKFLOW_BUNDLE_PATH: bundlePath,
  };
  const sandbox = Object.assign(
    nodeService({
      name: 'the Xero sandbox',
      entry: 'sandbox/main.ts',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SANDBOX_PORT: String(sandboxPort), SANDBOX_TIME_SCALE: String(options.timeScale) },
      readyWhen: 'Xero sandbox listening',
      logFile: join(work, 'sandbox.log'),
    }),
    sandboxClient(sandboxUrl),
  );
  const worker = nodeService({ name: 'the worker', entry: 'worker/main.ts', env: common, readyWhen: 'worker running', logFile: join(work, 'worker.log') });
  const api = Object.assign(
    nodeService({ name: 'the API', entry: 'api/server.ts', env: { ...common, API_PORT: String(apiPort) }, readyWhen: 'API listening', logFile: join(work, 'api.log') }),
    { url: `http://127.0.0.1:${apiPort}` },
  );
  await sandbox.start();
  await Promise.all([worker.start(), api.start()]);
  await sandbox.setWebhook({ url: `${api.url}/billing/xero/webhooks/`, key: secrets.webhookKey, enabled: true });
  options.log('stack ready');

  return {
    work,
    timeScale: options.timeScale,
    postgres,
    temporal,
    sandbox,
    worker,
    api,
    mainApp,
    database,
    secrets,
    async close({ keep = false } = {}) {
      for (const service of [api, worker, sandbox]) await service.stop().catch(() => {});
      await temporal.close().catch(() => {});
      await database.close().catch(() => {});
      await postgres.stop().catch(() => {});
      await mainApp.close();
      if (!options.keep && !keep) rmSync(work, { recursive: true, force: true });
    },
  };
}
