/**
 * initdb and the postgres server, run from a binaries folder (binaries.ts) as the server's user
 * (server-user.ts). Messages are forced to English because readiness is read from the server's log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { handToServerUser, type ServerUser } from './server-user.ts';

export interface ClusterOptions {
  binDir: string;
  dataDir: string;
  user: ServerUser;
  onLog: (line: string) => void;
}

const ENV = { ...process.env, LC_MESSAGES: 'C' };

/** Creates the cluster in an empty data directory the server's user owns, with a password-protected superuser. */
export async function initialiseCluster(options: ClusterOptions & { superuser: string; password: string }): Promise<void> {
  // Beside the data directory: the server's user can reach it there, and only that user may read it.
  const passwordFile = join(dirname(options.dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  handToServerUser(options.user, passwordFile);
  try {
    const child = spawnAsServerUser(options, 'initdb', [
      `--pgdata=${options.dataDir}`,
      '--auth=password',
      `--username=${options.superuser}`,
      `--pwfile=${passwordFile}`,
      '--lc-messages=C',
    ]);
    const output = collect(child, options.onLog);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb exited with code ${code}: ${output().trim()}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

export interface RunningCluster {
  stop(): Promise<void>;
  /** kill -9 the server and every backend at once, as a crash of its machine would (needs `processGroup`). */
  crash(): Promise<void>;
}

export async function startCluster(options: ClusterOptions & { port: number; flags: string[]; processGroup?: boolean }): Promise<RunningCluster> {
  const child = spawnAsServerUser(options, 'postgres', ['-D', options.dataDir, '-p', String(options.port), '-c', 'lc_messages=C', ...options.flags], options.processGroup);
  const output = collect(child, options.onLog);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL not ready after 60 s: ${output().trim()}`)), 60_000);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      if (error) reject(error);
      else resolve();
    };
    const onData = () => {
      if (output().includes('database system is ready to accept connections')) settle();
    };
    child.stderr!.on('data', onData);
    child.once('error', settle);
    child.once('exit', (code) => settle(new Error(`PostgreSQL exited with code ${code} while starting: ${output().trim()}`)));
  }).catch(async (err: Error) => {
    await stop(child);
    throw err;
  });
  return {
    stop: () => stop(child),
    crash: async () => {
      if (!options.processGroup) throw new Error('crash() needs a cluster started with processGroup');
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // The postmaster and its backends share the group: none is left holding the shared memory.
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

function spawnAsServerUser(options: ClusterOptions, program: string, args: string[], detached = false): ChildProcess {
  // The working directory too must be one the server's user can enter.
  return spawn(join(options.binDir, 'bin', program), args, { ...options.user.ids, cwd: dirname(options.dataDir), env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached });
}

/** Forwards each line to onLog and keeps the last few kilobytes for error messages. */
function collect(child: ChildProcess, onLog: (line: string) => void): () => string {
  let tail = '';
  const take = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4_000);
    for (const line of text.split('\n')) if (line.trim()) onLog(line.trim());
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return () => tail;
}

/** SIGINT is Postgres' fast shutdown (SIGTERM would wait for every client to leave); SIGKILL if it hangs. */
function stop(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}
