/**
 * Runs `temporal server start-dev`: a real Temporal server (SQLite persistence) with its Web UI, and the
 * workflows' custom search attributes (OrgId, XeroTenantId, ConnectionState, SyncPhase) registered.
 * Used by `npm run dev` (with a database file, so workflows survive a restart) and by the test suite
 * (one in-memory server per test run, on free ports).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { orgSearchAttributes } from '../workflows/search-attributes.ts';
import { onFreePort } from './free-port.ts';

export interface TemporalDevServerOptions {
  cliPath: string;
  /** Frontend gRPC port; omit for a free one (another is taken if a process beside it binds that one first). */
  port?: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** SQLite file: persistence across restarts. Omit for an in-memory server. */
  dbFile?: string;
  namespace?: string;
  onLog?: (line: string) => void;
  /** Dynamic config values (`--dynamic-config-value key=value`) on top of `DEV_SERVER_DYNAMIC_CONFIG`, e.g. the benchmark's dispatch rate. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/**
 * What every dev server we start runs with (`npm run dev`, the tests, the drills, the benchmarks), as the
 * compose stack's server does (docker/temporal/dynamicconfig.yaml): task queue fairness on. The Xero queue's
 * dispatch rate is Xero's app-wide limit, shared by every organisation; its tasks carry their organisation as
 * fairness key, and with fairness on the server hands that rate out round-robin between organisations instead
 * of first come, first served (an organisation with three calls queued no longer waits behind one with thirty).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = { 'matching.enableFairness': true };

/** The `temporal` CLI's arguments for a dev server with these options. */
export function devServerArgs(options: Omit<TemporalDevServerOptions, 'cliPath' | 'onLog' | 'port'> & { port: number }): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  const dynamicConfig = { ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig };
  for (const [key, value] of Object.entries(dynamicConfig)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  // The workflows' search attributes, on every namespace the dev server creates (the worker refuses to start without them).
  for (const key of orgSearchAttributes) args.push('--search-attribute', `${key.name}=Keyword`);
  return args;
}

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** What the server printed last, kept for the error when it exits before it answers. */
const KEPT_LINES = 20;

export function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  return options.port === undefined ? onFreePort((port) => startOnPort(options, port)) : startOnPort(options, options.port);
}

async function startOnPort(options: TemporalDevServerOptions, port: number): Promise<TemporalDevServer> {
  const address = `127.0.0.1:${port}`;
  const args = devServerArgs({ ...options, port });
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lastLines: string[] = [];
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      lastLines.push(line);
      if (lastLines.length > KEPT_LINES) lastLines.shift();
      options.onLog?.(line);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);

  const exited = new Promise<never>((_, reject) =>
    // 'close', not 'exit': by then everything it printed has been read.
    child.once('close', (code) => {
      const printed = lastLines.join('\n');
      const message = `temporal server start-dev exited with code ${code}${printed ? `:\n${printed}` : ' (it printed nothing)'}`;
      reject(new Error(message));
    }),
  );
  exited.catch(() => {});
  try {
    await Promise.race([waitForServer(address, 60_000), exited]);
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
  await addMissingSearchAttributes(address, options.namespace ?? 'default');

  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    stop: () => stopProcess(child),
  };
}

/**
 * `--search-attribute` registers the attributes only when the server creates its database: a history file
 * from before an attribute existed would lack it (and the worker refuses to start), so they are added here.
 */
async function addMissingSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = orgSearchAttributes.filter((key) => customAttributes?.[key.name] === undefined);
    if (missing.length === 0) return;
    const searchAttributes: Record<string, number> = {};
    for (const key of missing) searchAttributes[key.name] = encodeSearchAttributeIndexedValueType(key.type)!;
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } finally {
    await connection.close();
  }
}

/** Polls until the frontend answers a real RPC (an open port alone is not a ready server). */
async function waitForServer(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal dev server at ${address} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}

export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
