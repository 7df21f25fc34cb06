/**
 * The worker's memory settings: the heap limit bin/start-worker gives node, and the workflow cache set
 * explicitly, so that the limit cannot shrink the cache the SDK would otherwise size from it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MAX_CACHED_WORKFLOWS, loadEnv } from '../../config/env.ts';
import { workflowWorkerOptions } from '../../worker/create-worker.ts';

const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  API_JWT_SECRET: 'x'.repeat(32),
  ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};

describe('TEMPORAL_MAX_CACHED_WORKFLOWS', () => {
  it('defaults to room for 1,000 organisations, whatever the heap limit', () => {
    expect(DEFAULT_MAX_CACHED_WORKFLOWS).toBeGreaterThanOrEqual(1_000);
    expect(loadEnv(valid).TEMPORAL_MAX_CACHED_WORKFLOWS).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(loadEnv({ ...valid, TEMPORAL_MAX_CACHED_WORKFLOWS: '5000' }).TEMPORAL_MAX_CACHED_WORKFLOWS).toBe(5_000);
  });

  it.each(['lots', '1', '1.5', '-3'])('refuses %s, saying what it expects', (value) => {
    expect(() => loadEnv({ ...valid, TEMPORAL_MAX_CACHED_WORKFLOWS: value })).toThrow(ConfigError);
    expect(() => loadEnv({ ...valid, TEMPORAL_MAX_CACHED_WORKFLOWS: value })).toThrow('TEMPORAL_MAX_CACHED_WORKFLOWS: expected a whole number of workflows, at least 2');
  });

  it('reaches the workflow worker as its cache size', () => {
    expect(workflowWorkerOptions({ taskQueue: 'q', maxCachedWorkflows: 3_000 }).maxCachedWorkflows).toBe(3_000);
    expect(workflowWorkerOptions({ taskQueue: 'q' }).maxCachedWorkflows).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
  });
});

describe('bin/start-worker heap limit (WORKER_HEAP_MIB)', () => {
  const startWorker = fileURLToPath(new URL('../../bin/start-worker', import.meta.url));
  // The old generation's limit in MiB, as the main thread and a worker thread (the SDK runs workflows in one) see it.
  const probe = `const v8 = require('node:v8'); const { Worker } = require('node:worker_threads');
    const mib = () => v8.getHeapStatistics().heap_size_limit / 1048576;
    new Worker("require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit / 1048576)", { eval: true })
      .once('message', (thread) => console.log(JSON.stringify({ main: mib(), thread })));`;
  const start = (env: Record<string, string>) =>
    spawnSync(startWorker, ['-e', probe], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });
  const limits = (env: Record<string, string>) => JSON.parse(start(env).stdout) as { main: number; thread: number };

  // heap_size_limit is the old generation's limit plus the young generation's few tens of MiB.
  const near = (limit: number, oldGenerationMiB: number) => limit >= oldGenerationMiB && limit < oldGenerationMiB + 128;

  it('limits both threads to 384 MiB by default, and takes the limit from WORKER_HEAP_MIB', () => {
    const byDefault = limits({});
    expect(near(byDefault.main, 384)).toBe(true);
    expect(byDefault.thread).toBe(byDefault.main);
    const larger = limits({ WORKER_HEAP_MIB: '1024' });
    expect(near(larger.main, 1_024)).toBe(true);
    expect(larger.thread).toBe(larger.main);
    // 0: no flag at all, so V8 sizes the limit from the machine's memory as it would without the script.
    const own = spawnSync('node', ['-e', probe], { env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 30_000 });
    expect(limits({ WORKER_HEAP_MIB: '0' })).toEqual(JSON.parse(own.stdout));
  });

  it('leaves a --max-old-space-size in NODE_OPTIONS to win', () => {
    expect(near(limits({ NODE_OPTIONS: '--max-old-space-size=256' }).main, 256)).toBe(true);
    expect(near(limits({ NODE_OPTIONS: '--max-old-space-size=256', WORKER_HEAP_MIB: '1024' }).main, 256)).toBe(true);
  });

  it.each(['lots', '64', '-1'])('refuses WORKER_HEAP_MIB=%s with one line saying what it expects', (value) => {
    const { status, stdout, stderr } = start({ WORKER_HEAP_MIB: value });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([`Invalid configuration: WORKER_HEAP_MIB: expected a whole number of MiB, at least 128 (0: V8's own limit), got '${value}'`]);
  });
});
