/**
 * The Xero sandbox in a process of its own (`npm run sandbox`), driven through its control API, so the
 * benchmark can tell the sandbox's CPU from everyone else's.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LimitSettings } from '../../sandbox/index.ts';
import { stopProcess } from '../temporal-dev-server.ts';

const sandboxMain = fileURLToPath(new URL('../../sandbox/main.ts', import.meta.url));

export interface SandboxCounters {
  calls: Record<string, Record<string, number>>;
  rateLimited: Record<string, number>;
  organisations: Record<string, { contacts: number; invoices: number; duplicates: Record<string, unknown[]> }>;
}

export interface SandboxProcess {
  url: string;
  pid: number;
  createOrganisation(input: { name: string }): Promise<{ tenantId: string }>;
  registerClient(input: { kind: 'custom'; tenantIds: string[] }): Promise<{ clientId: string; clientSecret: string }>;
  setLimits(limits: Partial<LimitSettings>): Promise<void>;
  counters(): Promise<SandboxCounters>;
  stop(): Promise<void>;
}

export async function startSandboxProcess({ port, timeScale, nodeArgs = [] }: { port: number; timeScale: number; nodeArgs?: string[] }): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', sandboxMain], {
    // No call duration: the benchmark measures our pipeline, and pacing against Xero's limits.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SANDBOX_PORT: String(port), SANDBOX_TIME_SCALE: String(timeScale), SANDBOX_CALL_DURATION_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      if (output.includes('Xero sandbox listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited early (${code}):\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    url,
    pid: child.pid!,
    createOrganisation: (input) => control('POST', '/organisations', input),
    registerClient: (input) => control('POST', '/clients', input),
    setLimits: async (limits) => {
      await control('PUT', '/limits', limits);
    },
    counters: () => control('GET', '/counters'),
    stop: () => stopProcess(child),
  };
}
