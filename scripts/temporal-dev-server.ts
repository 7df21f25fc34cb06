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

export interface TemporalDevServerOptions {
  cliPath: string;
  port: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** SQLite file: persistence across restarts. Omit for an in-memory server. */
  dbFile?: string;
  namespace?: string;
  onLog?: (line: string) => void;
}

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const address = `127.0.0.1:${options.port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  // The workflows' search attributes, on every namespace the dev server creates (the worker refuses to start without them).
  for (const key of orgSearchAttributes) args.push('--search-attribute', `${key.name}=Keyword`);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) options.onLog?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);

  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal server start-dev exited with code ${code}`))),
  );
  exited.catch(() => {});
  await Promise.race([waitForServer(address, 60_000), exited]);
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
