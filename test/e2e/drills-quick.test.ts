/**
 * `npm run drill -- --quick`, as CI runs it: every drill, small, on its own real processes (PostgreSQL,
 * the Temporal dev server, the sandbox, the worker, the API). It must exit 0, and each drill's line must
 * say that everything completed, nothing was duplicated in Xero, nothing was lost. Its timings are printed
 * figures, not asserted here.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DRILLS = ['worker-kill', 'temporal-kill', 'postgres-kill', 'temporal-down-webhooks', 'xero-faults', 'main-app-down'];

it('runs every drill quickly: all completed, no duplicate in Xero, nothing lost, each event once per id', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/drill/main.ts', '--quick'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, XERO_SYNC_CACHE_DIR: process.env.XERO_SYNC_CACHE_DIR, TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, `${stdout}\n${stderr.slice(-5_000)}`).toBe(0);

  for (const name of DRILLS) {
    const line = stdout.split('\n').find((l) => l.startsWith(`drill ${name},`));
    expect(line, stdout).toBeDefined();
    const [, completed, expected] = /completed (\d+)\/(\d+)/.exec(line!)!;
    expect(Number(completed), line).toBe(Number(expected));
    expect(Number(expected), line).toBeGreaterThan(0);
    expect(line).toMatch(/duplicates in Xero 0, lost 0, events to the main app: (\d+) sent \/ (\d+) distinct \/ (\d+) repeated/);
    expect(line).not.toMatch(/PROBLEM/);
  }
  // The storm must have met calls, and each call it turned away waited out its Retry-After.
  const faults = stdout.split('\n').find((l) => l.startsWith('drill xero-faults,'))!;
  expect(faults).toMatch(/ [1-9]\d* injected 5xx, [1-9]\d* unanswered, [1-9]\d* 429s of the storm .*, 0 calls back before their Retry-After/);
}, 600_000);
