/**
 * The production entry points (`npm run api`, `npm run worker`) fail to start with one line that names
 * what to check, not a driver's stack trace: Postgres or Temporal unreachable, the API's port taken, a
 * namespace without the workflows' search attributes, the worker's metrics port taken.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { inject, expect, it } from 'vitest';
import { freePort } from '../../scripts/free-port.ts';
import { eventually } from '../support/stack.ts';

const baseEnv = () => ({
  PATH: process.env.PATH,
  API_JWT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`,
  DATABASE_URL: inject('databaseUrl'),
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  LOG_LEVEL: 'silent',
  METRICS_PORT: '0',
});

function start(entry: string, env: Record<string, string | undefined>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.trim() });
    });
  });
}

function expectOneLine(result: { code: number | null; stderr: string }, ...words: string[]) {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr.split('\n'), result.stderr).toHaveLength(1);
  for (const word of words) expect(result.stderr).toContain(word);
}

it('names DATABASE_URL when Postgres cannot be reached', async () => {
  const closed = await freePort();
  const result = await start('api/server.ts', { ...baseEnv(), DATABASE_URL: `postgres://u:p@127.0.0.1:${closed}/db` });
  expectOneLine(result, 'DATABASE_URL', 'cannot reach PostgreSQL');
});

it('names TEMPORAL_ADDRESS when the worker cannot reach Temporal', async () => {
  const closed = await freePort();
  const result = await start('worker/main.ts', { ...baseEnv(), TEMPORAL_ADDRESS: `127.0.0.1:${closed}` });
  expectOneLine(result, 'TEMPORAL_ADDRESS', 'cannot reach Temporal');
});

it('names API_PORT when the port is taken', async () => {
  const taken = createServer();
  const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
  try {
    const result = await start('api/server.ts', { ...baseEnv(), API_PORT: String(port) });
    expectOneLine(result, 'API_PORT', 'already in use');
  } finally {
    taken.close();
  }
});

it('names the missing search attribute and the command that adds it, when the namespace lacks them', async () => {
  // A namespace of its own, registered without them (the test server adds them to the namespaces it starts with).
  const namespace = `bare-${randomUUID()}`;
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await eventually(() => connection.operatorService.listSearchAttributes({ namespace }).then(() => true));
  } finally {
    await connection.close();
  }
  const result = await start('worker/main.ts', { ...baseEnv(), TEMPORAL_NAMESPACE: namespace });
  expectOneLine(result, 'TEMPORAL_NAMESPACE', `search attribute OrgId is missing from namespace ${namespace}`, 'SyncPhase');
  expect(result.stderr).toContain(`temporal operator search-attribute create --namespace ${namespace} --name OrgId --type Keyword`);
});

it("names METRICS_PORT when the worker's metrics port is taken", async () => {
  const taken = createServer();
  const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
  try {
    const result = await start('worker/main.ts', { ...baseEnv(), METRICS_PORT: String(port) });
    expectOneLine(result, 'METRICS_PORT', 'already in use');
  } finally {
    taken.close();
  }
});
