/**
 * A worker in a process of its own, started from the environment like `npm run worker`, so a test can
 * kill it with SIGKILL at the worst moment (between Xero's answer and the database write).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Env } from '../../config/env.ts';
import { rememberOutput } from './secret-audit.ts';

const workerMain = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));
const startWorker = fileURLToPath(new URL('../../bin/start-worker', import.meta.url));

/** The environment a child process needs to run the same configuration as `env`. */
export function envForChild(env: Env, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: env.DATABASE_URL,
    TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE,
    API_JWT_SECRET: env.API_JWT_SECRET,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    XERO_API_URL: env.XERO_API_URL,
    XERO_IDENTITY_URL: env.XERO_IDENTITY_URL,
    XERO_LOGIN_URL: env.XERO_LOGIN_URL,
    XERO_RATE_WINDOW_MS: String(env.XERO_RATE_WINDOW_MS),
    XERO_CALL_TIMEOUT_MS: String(env.XERO_CALL_TIMEOUT_MS),
    XERO_TOKEN_REFRESH_AHEAD_MS: String(env.XERO_TOKEN_REFRESH_AHEAD_MS),
    // Any free port for the worker's /metrics: processes running side by side never clash on 9464.
    METRICS_PORT: '0',
    ...overrides,
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * `entry`: a built worker (`dist/worker/main.js`) started by `bin/start-worker`, as `npm run start:worker` and
 * the image do (its malloc settings included; the script execs node, so the pid is the worker's); by
 * default the sources, through tsx.
 */
export async function spawnWorkerProcess(env: NodeJS.ProcessEnv, { nodeArgs = [], entry }: { nodeArgs?: string[]; entry?: string } = {}): Promise<WorkerProcess> {
  // node itself (with tsx's loader), not the tsx CLI: the child's pid is then the worker's own.
  const [command, args] = entry ? [startWorker, [...nodeArgs, entry]] : [process.execPath, [...nodeArgs, '--import', 'tsx', workerMain]];
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // Its log lines go to the secret audit once it has exited, however it ended.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve(rememberOutput(`worker ${child.pid}`, output))));
  // Ready when it logs that it polls (pino JSON line with "worker running").
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process did not start:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('worker running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited early (${code}):\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    kill: async (signal) => {
      child.kill(signal);
      await exited;
    },
  };
}
