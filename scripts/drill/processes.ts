/**
 * The drills' real processes, each its own OS process that a drill can kill -9 and start again: PostgreSQL
 * (the server and its backends in one process group), the Temporal server (the dev server on a history file,
 * or Temporal Server on PostgreSQL), the Xero sandbox, the worker and the API (`npm run worker` / `npm run api`
 * as node + tsx, with the environment). Their output goes to one log file each in the run's folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../embedded-postgres.ts';
import { ensureTemporalCli } from '../temporal-cli.ts';
import { startTemporalDevServer, stopProcess } from '../temporal-dev-server.ts';
import { startTemporalPostgresServer } from '../temporal-server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A process that can be killed (gracefully or with -9) and started again the same way. */
export interface Restartable {
  readonly name: string;
  pid(): number | undefined;
  start(): Promise<void>;
  /** kill -9: no shutdown hooks, no flushing, as a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** PostgreSQL on a fixed port and data directory, so a restart finds its data where it left it. */
export function postgresProcess({ dataDir, port, database }: { dataDir: string; port: number; database: string }): Restartable & { url(): string } {
  let handle: EmbeddedPostgresHandle | undefined;
  let url = '';
  return {
    name: 'postgres',
    pid: () => undefined,
    url: () => url,
    async start() {
      handle = await startEmbeddedPostgres({ dataDir, port, database, persistent: true, crashable: true });
      url = handle.url;
    },
    async crash() {
      await handle?.crash();
      handle = undefined;
    },
    async stop() {
      await handle?.stop();
      handle = undefined;
    },
  };
}

/** The Temporal server: the dev server on a persistent history file, or Temporal Server on PostgreSQL. */
export function temporalProcess({ kind, port, work, log }: { kind: 'dev' | 'postgres'; port: number; work: string; log: (line: string) => void }): Restartable & { address: string; close(): Promise<void> } {
  let child: ChildProcess | undefined;
  let persistence: { stop(): Promise<void> } | undefined;
  const stop = async () => {
    if (child) await stopProcess(child);
    child = undefined;
  };
  return {
    name: kind === 'dev' ? 'the Temporal dev server' : 'Temporal Server on PostgreSQL',
    address: `127.0.0.1:${port}`,
    pid: () => child?.pid,
    async start() {
      if (kind === 'dev') {
        const cli = await ensureTemporalCli(log);
        child = (await startTemporalDevServer({ cliPath: cli.path, port, dbFile: join(work, 'temporal.db'), onLog: appendTo(join(work, 'temporal.log')) })).process;
      } else {
        const server = await startTemporalPostgresServer({ port, work, log });
        child = server.process;
        persistence = server.persistence;
      }
    },
    async crash() {
      if (child) await killHard(child);
      child = undefined;
    },
    stop,
    /** The server, and for the PostgreSQL kind its persistence (which outlives the server's restarts). */
    async close() {
      await stop();
      await persistence?.stop();
    },
  };
}

export interface NodeServiceOptions {
  name: string;
  /** A module under the repository root, e.g. `worker/main.ts`. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Ready once a line of its output contains this. */
  readyWhen: string;
  logFile: string;
}

/** One of our own processes (`npm run worker`, `npm run api`, `npm run sandbox`): node with tsx's loader, so its pid is its own. */
export function nodeService(options: NodeServiceOptions): Restartable & { starts: number; unexpectedExits: string[] } {
  let child: ChildProcess | undefined;
  const service = {
    name: options.name,
    starts: 0,
    /** Exits nobody asked for (a crash of its own, not our kill -9 or stop): a drill that sees one fails. */
    unexpectedExits: [] as string[],
    pid: () => child?.pid,
    async start() {
      const started = spawn(process.execPath, ['--import', 'tsx', join(root, options.entry)], { cwd: root, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      service.starts += 1;
      started.once('exit', (code, signal) => {
        if (child === started) service.unexpectedExits.push(`${options.name} exited by itself (${code ?? signal}) at ${new Date().toISOString()}: see ${options.logFile}`);
      });
      const write = appendTo(options.logFile);
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${options.name} did not start within 90 s (see ${options.logFile})`)), 90_000);
        const onData = (chunk: Buffer) => {
          const text = chunk.toString();
          write(text);
          if (output.length < 10_000) output += text;
          if (output.includes(options.readyWhen)) {
            clearTimeout(timer);
            resolve();
          }
        };
        started.stdout!.on('data', onData);
        started.stderr!.on('data', onData);
        started.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`${options.name} exited (${code ?? signal}) while starting: ${output.slice(-2_000)}`));
        });
      });
      // Once ready, keep draining its output to the log (a full pipe would stall it).
    },
    async crash() {
      const killed = child;
      child = undefined;
      if (killed) await killHard(killed);
    },
    async stop() {
      const stopping = child;
      child = undefined;
      if (stopping) await stopProcess(stopping, 35_000);
    },
  };
  return service;
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

function appendTo(file: string): (text: string) => void {
  const stream = createWriteStream(file, { flags: 'a' });
  return (text) => void stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
