/**
 * Starts what the whole suite shares, once per run: a real PostgreSQL (embedded unless
 * TEST_DATABASE_URL is set) with the real migrations applied, a real Temporal dev server on a free
 * port, and one workflow bundle (bundling per test file would cost seconds each). A machine that cannot
 * run the embedded PostgreSQL stops the run with the one line saying what to do.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { exitOnConfigError } from '../../config/process.ts';
import { createDatabase } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { allStarted } from '../../scripts/all-started.ts';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.ts';
import { onFreePort } from '../../scripts/free-port.ts';
import { ensureTemporalCli } from '../../scripts/temporal-cli.ts';
import { startTemporalDevServer } from '../../scripts/temporal-dev-server.ts';
import { writeWorkflowBundle } from '../../scripts/build-workflow-bundle.ts';
import { auditSecrets } from './secret-audit-report.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    temporalCliPath: string;
    workflowBundlePath: string;
    /** Where the secret audit keeps what the run wrote down (test/support/secret-audit.ts). */
    secretAuditDir: string;
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'xero-sync-test-'));
  chmodSync(work, 0o755); // the embedded Postgres runs as the `postgres` user when we are root
  const auditDir = join(work, 'secret-audit');
  mkdirSync(auditDir);
  const stops: Array<() => Promise<void>> = [];

  const [databaseUrl, temporal, bundlePath] = await allStarted([
    (async () => {
      if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
      const say = (line: string) => console.log(line);
      const pg = await onFreePort((port) => startEmbeddedPostgres({ dataDir: join(work, 'pg'), port, database: 'xero_sync_test', persistent: false, say }));
      stops.push(pg.stop);
      return pg.url;
    })(),
    (async () => {
      const cli = await ensureTemporalCli((line) => console.log(line));
      const server = await startTemporalDevServer({ cliPath: cli.path });
      stops.push(server.stop);
      return { address: server.address, cliPath: cli.path };
    })(),
    (async () => {
      const path = join(work, 'workflow-bundle.js');
      await writeWorkflowBundle(path, quietLogger);
      return path;
    })(),
  ]).catch(async (err: unknown) => {
    await stopAll();
    exitOnConfigError(err);
  });

  const database = createDatabase(databaseUrl, { max: 2 });
  await applyMigrations(database);
  await database.close();

  project.provide('databaseUrl', databaseUrl);
  project.provide('temporalAddress', temporal.address);
  project.provide('temporalCliPath', temporal.cliPath);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('secretAuditDir', auditDir);
  console.log(`test stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s (Postgres, Temporal ${temporal.address})`);

  // After every file: the secret audit, while Postgres still runs; a secret found fails the run.
  return async () => {
    try {
      await auditSecrets({ dir: auditDir, databaseUrl });
    } catch (err) {
      // An audit that could not run is a failed audit (vitest only logs an error thrown here).
      process.exitCode = 1;
      throw err;
    } finally {
      await stopAll();
    }
  };

  async function stopAll() {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => console.error('teardown', err));
    rmSync(work, { recursive: true, force: true });
  }
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
