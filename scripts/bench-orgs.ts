/**
 * `npm run bench -- --orgs 1000 [--workers 3]`: many organisations with work at once, against one sandbox
 * whose app-wide limit is Xero's (10,000 calls a Xero minute, for one app across every organisation it is
 * connected to), with Xero's per-organisation limits too, on a time scale. One Xero web app, one OAuth
 * connection per organisation; `--workers K` runs K worker processes on one task queue.
 *
 * The app-wide cap is the Temporal server's: the Xero task queue's dispatch rate (maxTaskQueueActivitiesPerSecond,
 * enforced by the matching service across every worker polling the queue). Prints:
 *   - app-level calls per Xero minute: the fullest sliding window of 1/60 Xero minute, scaled to a minute, and
 *     the fullest of the sandbox's own fixed app windows, against the 10,000 limit;
 *   - 429s by kind (goal 0), duplicates in Xero (goal 0);
 *   - the spread of the organisations' finish times (equal work each: goal max/min <= 2).
 *
 * BENCH_WORKER_NODE_ARGS: node options for each worker process (as `npm run bench` takes them).
 *
 * Options: --orgs 1000 --workers 1 --records 50 (contacts per organisation, and as many invoices)
 *          --time-scale 0.1 (a Xero minute lasts 10 real minutes: the cap is then ~16.6 calls/s, below what
 *          this machine sustains, so the cap and not the machine sets the pace)
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { loadEnv } from '../config/env.ts';
import { createDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { upsertContacts } from '../db/queries/contacts.ts';
import { upsertInvoices } from '../db/queries/invoices.ts';
import { startSandbox } from '../sandbox/index.ts';
import { appCallsPerSecond } from '../worker/create-worker.ts';
import { createOrgWorkflows } from '../workflows/client/org-workflows.ts';
import { xeroTaskQueue } from '../workflows/task-queues.ts';
import { envForChild, spawnWorkerProcess, type WorkerProcess } from '../test/support/worker-process.ts';
import { buildWorker } from './bench/built-worker.ts';
import { BENCH_TEMPORAL_CONFIG } from './bench/stack.ts';
import { connectOrgsToWebApp } from './bench-orgs-connect.ts';
import { entryTimesOf } from './bench-orgs-entry.ts';
import { timelineOf } from './bench-orgs-timeline.ts';
import { writeWorkflowBundle } from './build-workflow-bundle.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { freePort } from './free-port.ts';
import { peakRssMiB } from './process-cpu.ts';
import { ensureTemporalCli } from './temporal-cli.ts';
import { startTemporalDevServer } from './temporal-dev-server.ts';

const { values: args } = parseArgs({
  options: {
    orgs: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1' },
    records: { type: 'string', default: '50' },
    'time-scale': { type: 'string', default: '0.1' },
  },
});
const ORGS = Number(args.orgs);
const WORKERS = Number(args.workers);
const RECORDS = Number(args.records);
const TIME_SCALE = Number(args['time-scale']);
const APP_LIMIT = 10_000;
const WINDOW_MS = 60_000 / TIME_SCALE;
const log = (line: string) => console.error(`[bench] ${line}`);

const work = mkdtempSync(join(tmpdir(), 'drills-bench-orgs-'));
chmodSync(work, 0o755);
const stops: Array<() => Promise<void>> = [];
const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
try {
  log(`${ORGS} organisations x (${RECORDS} contacts + ${RECORDS} invoices), ${WORKERS} worker process(es), time scale ${TIME_SCALE} (a Xero minute = ${(WINDOW_MS / 1000).toFixed(0)} s)`);
  const webApp = { clientId: `BENCH${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url'), redirectUri: 'http://127.0.0.1:1/callback' };
  const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port: await freePort(), database: 'bench', persistent: false });
  stops.push(pg.stop);
  const temporal = await startTemporalDevServer({ cliPath: (await ensureTemporalCli()).path, dynamicConfig: BENCH_TEMPORAL_CONFIG });
  stops.push(temporal.stop);
  const sandbox = await startSandbox({ timeScale: TIME_SCALE, limits: { appPerMinute: APP_LIMIT }, clients: [{ clientId: webApp.clientId, clientSecret: webApp.clientSecret, kind: 'web', redirectUris: [webApp.redirectUri] }] });
  stops.push(() => sandbox.close());

  const env = loadEnv({
    NODE_ENV: 'production',
    DATABASE_URL: pg.url,
    DATABASE_POOL_SIZE: '20',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `bench-orgs-${randomBytes(4).toString('hex')}`,
    API_JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: `b1:${randomBytes(32).toString('base64')}`,
    XERO_API_URL: sandbox.url,
    XERO_IDENTITY_URL: sandbox.url,
    XERO_LOGIN_URL: sandbox.url,
    XERO_CLIENT_ID: webApp.clientId,
    XERO_CLIENT_SECRET: webApp.clientSecret,
    XERO_APP_CALLS_PER_MINUTE: String(APP_LIMIT),
    XERO_RATE_WINDOW_MS: String(Math.round(WINDOW_MS)),
    XERO_TOKEN_REFRESH_AHEAD_MS: String(Math.round(300_000 / TIME_SCALE)),
  });
  const database = createDatabase(pg.url, { max: 4 });
  stops.push(() => database.close());
  await applyMigrations(database);

  const loadStarted = Date.now();
  const orgs = await connectOrgsToWebApp({ env, db: database.db, sandbox, webApp, count: ORGS });
  log(`${ORGS} organisations connected (OAuth, one web app) in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s`);

  // Every worker is up and polling before any work exists: a worker's relay wakes organisations with pending
  // records as soon as it runs, so work stored before the last worker started would start some organisations'
  // clocks before the benchmark's.
  // As in production: the worker built to JavaScript and started by bin/start-worker (built-worker.ts).
  const bundlePath = join(work, 'workflow-bundle.js');
  const [entry] = await Promise.all([buildWorker(join(work, 'dist')), writeWorkflowBundle(bundlePath)]);
  const workerEnv = envForChild(env, { LOG_LEVEL: 'info', WORKFLOW_BUNDLE_PATH: bundlePath, XERO_CLIENT_ID: webApp.clientId, XERO_CLIENT_SECRET: webApp.clientSecret, XERO_APP_CALLS_PER_MINUTE: String(APP_LIMIT), DATABASE_POOL_SIZE: '20' });
  const workers: WorkerProcess[] = await Promise.all(Array.from({ length: WORKERS }, () => spawnWorkerProcess(workerEnv, { entry, nodeArgs: process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [] })));
  for (const worker of workers) stops.push(() => worker.kill('SIGTERM'));
  log(`${WORKERS} worker process(es) running`);
  const connection = await Connection.connect({ address: temporal.address });
  stops.push(() => connection.close());
  const client = new Client({ connection });
  const workflows = createOrgWorkflows(client, env.TEMPORAL_TASK_QUEUE);

  // Go: every organisation's records stored in one transaction, so they appear to every worker's relay at the
  // same instant, and the clock starts before that commit (no organisation can be woken before it); then every
  // organisation woken at once, as a platform-wide resync would.
  const samples: Array<{ at: number; calls: number }> = [];
  const sampler = setInterval(() => samples.push({ at: Date.now(), calls: sandbox.control.counters().callsTotal }), 250);
  const seedStarted = Date.now();
  let started = 0;
  await database.db.transaction(async (tx) => {
    for (const { orgId } of orgs) {
      await upsertContacts(tx, { orgId, items: Array.from({ length: RECORDS }, (_, i) => ({ id: `m${i}`, contact: { name: `Member ${orgId.slice(-8)} ${i}`, email: `m${i}@example.org` } })) });
      await upsertInvoices(tx, {
        orgId,
        items: Array.from({ length: RECORDS }, (_, i) => ({ id: `i${i}`, invoice: { contactId: `m${i}`, number: `INV-${i}`, date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Annual membership', quantity: '1', unitAmount: '120.00' }] } })),
      });
    }
    started = Date.now();
  });
  log(`${2 * ORGS * RECORDS} records stored in one transaction in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s; the clock started at its commit`);
  for (let i = 0; i < orgs.length; i += 50) await Promise.all(orgs.slice(i, i + 50).map((o) => workflows.wake(o.orgId)));
  const wokenMs = Date.now() - started;
  for (;;) {
    const [row] = await database.db.execute<{ pending: number }>(sql`select count(*) filter (where state = 'pending')::int as pending from sync_state`);
    if (row!.pending === 0) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  clearInterval(sampler);
  const wallMs = Date.now() - started;

  // Finish time per organisation: when its last record was synced.
  const finishes = (await database.db.execute<{ org_id: string; done: string; synced: number; failed: number }>(sql`
    select org_id, max(synced_at) as done, count(*) filter (where state = 'synced')::int as synced, count(*) filter (where state = 'failed')::int as failed
    from sync_state group by org_id`)).map((r) => ({ ms: Date.parse(r.done) - started, synced: r.synced, failed: r.failed }));
  const times = Float64Array.from(finishes.map((f) => f.ms)).sort();
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  const counters = sandbox.control.counters();
  const duplicates = Object.values(counters.organisations).reduce((n, o) => n + Object.values(o.duplicates).reduce((m, list) => m + list.length, 0), 0);
  // The fullest sliding window of 1/60 Xero minute (a Xero second), scaled to a minute.
  const slice = WINDOW_MS / 60;
  let fullest = 0;
  for (let i = 0, j = 0; i < samples.length; i++) {
    while (samples[i]!.at - samples[j]!.at > slice) j++;
    fullest = Math.max(fullest, samples[i]!.calls - samples[j]!.calls);
  }
  const cap = appCallsPerSecond(APP_LIMIT, WINDOW_MS);
  const synced = finishes.reduce((n, f) => n + f.synced, 0);
  const failed = finishes.reduce((n, f) => n + f.failed, 0);

  console.log('');
  console.log(`organisations           ${ORGS}, ${WORKERS} worker process(es) on one task queue, time scale ${TIME_SCALE} (a Xero minute = ${(WINDOW_MS / 1000).toFixed(0)} s)`);
  console.log(`records                 ${synced} synced, ${failed} failed of ${2 * ORGS * RECORDS}; Xero calls ${counters.callsTotal} in ${(wallMs / 1000).toFixed(1)} s`);
  console.log(`app-level calls         ${(counters.callsTotal / (wallMs / WINDOW_MS)).toFixed(0)} per Xero minute on average; fullest 1/60 Xero minute ${fullest} calls = ${(fullest * 60).toFixed(0)} per Xero minute; the queue's cap ${cap.toFixed(2)}/s = ${((cap * WINDOW_MS) / 1000).toFixed(0)} per Xero minute; limit ${APP_LIMIT}`);
  console.log(`sandbox app window      fullest ${Math.max(0, ...Object.values(counters.appMinutePeak))} calls in one of its fixed app minutes (limit ${APP_LIMIT})`);
  console.log(`woken                   every organisation signalled ${(wokenMs / 1000).toFixed(1)} s after the clock`);
  console.log(`429s served             ${Object.values(counters.rateLimited).reduce((a, b) => a + b, 0)} ${JSON.stringify(counters.rateLimited)}`);
  console.log(`duplicates in Xero      ${duplicates}`);
  console.log(`finish times            min ${(times[0]! / 1000).toFixed(1)} s, p50 ${(pct(50) / 1000).toFixed(1)} s, p99 ${(pct(99) / 1000).toFixed(1)} s, max ${(times[times.length - 1]! / 1000).toFixed(1)} s; max/min ${(times[times.length - 1]! / times[0]!).toFixed(2)} (goal <= 2)`);
  console.log(`peak worker memory      ${workers.map((w) => `${peakRssMiB(w.child.pid!).toFixed(0)} MiB`).join(', ')} (VmHWM of each worker process)`);
  console.log(`load average            before ${loadBefore}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  // Where the time went, from the histories of the first and the last ten organisations woken.
  console.log('where the time went (histories of the first and last 10 organisations woken):');
  for (const line of await timelineOf(client, [...orgs.slice(0, 10), ...orgs.slice(-10)].map((o) => o.orgId))) console.log(line);
  // How fast the organisations got going: the queue can only share out what has entered it.
  console.log('when the organisations got going (every organisation, seconds after the clock):');
  for (const line of await entryTimesOf(client, orgs.map((o) => o.orgId), xeroTaskQueue(env.TEMPORAL_TASK_QUEUE), started)) console.log(line);
} finally {
  for (const stop of stops.reverse()) await stop().catch((err) => console.error('[bench] stop failed', err));
  rmSync(work, { recursive: true, force: true });
}
