/**
 * The API in a process of its own, started from the environment exactly like `npm run api`, for tests of
 * what a deployment does with nothing but its environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const apiMain = fileURLToPath(new URL('../../api/server.ts', import.meta.url));

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function spawnApiProcess(env: NodeJS.ProcessEnv): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', apiMain], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API process did not start:\n${output}`)), 60_000);
    const check = () => {
      const listening = output.split('\n').find((line) => line.includes('API listening'));
      if (!listening) return;
      clearTimeout(timer);
      resolve((JSON.parse(listening) as { url: string }).url);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API process exited early (${code}):\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The JSON log lines of a process's output. */
export function logLines(output: string): Array<Record<string, unknown> & { msg?: string; level?: number }> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { msg?: string; level?: number });
}
