/**
 * `npm run bench`: the push benchmark. Everything runs on this machine, each part in a process of its own
 * (worker, Postgres, Temporal dev server, Xero sandbox), traffic to 127.0.0.1 only.
 *
 * Paced (default): a full sync of N contacts + N invoices (BENCH_N, default 10,000 each) at Xero's real limits
 * (60 calls/minute, 5 in flight, 5,000/day) on a time scale (BENCH_TIME_SCALE, default 10: a Xero minute lasts 6
 * seconds), three runs (`--runs`), each on a fresh organisation with a fresh worker. Prints, per run, Xero calls
 * per record (goal 0.0200: batches of 50, one read of Xero's contacts), wall time against the rate floor (the time
 * Xero's minute limit needs for the minimum number of calls; goal <= 1.05 as the median of the runs), 429s
 * served, duplicates found in Xero, and what a call cost: CPU by process, Postgres statements, Temporal's timings.
 *
 * `--unthrottled`: Xero's limits off in the sandbox, so the pipeline (worker, Postgres, Temporal, sandbox) is
 * the limit: N invoices (default 100,000) of N/10 contacts, then an admin resync of all of them; prints
 * records a second, CPU per call by process, peak worker memory and the longest workflow run's history.
 *
 * `--workers 2`: that many worker processes on the one task queue. With `--orgs N [--workers K]` it runs the
 * many-organisations benchmark instead (scripts/bench-orgs.ts). `--profile`: V8 CPU profiles of the
 * workers, summarised by what the time went on (xero-node, drizzle, postgres.js, Temporal SDK, our code...).
 *
 * Options (env): BENCH_N, BENCH_TIME_SCALE, BENCH_RUNS, DATABASE_URL (else embedded Postgres),
 * BENCH_WORKER_LOG_LEVEL (info; set, the workers' logs go to stderr), BENCH_WORKER_NODE_ARGS, BENCH_PROFILE_DIR
 * (keep the `--profile` profiles there, for Chrome DevTools or `node --cpu-prof` tooling).
 */
import { mkdirSync, mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { loadEnv } from '../config/env.ts';
import { createDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { startResync } from '../db/queries/resync-runs.ts';
import { createSecretBox } from '../lib/secret-box.ts';
import { createOrgWorkflows } from '../workflows/client/org-workflows.ts';
import { orgWorkflowId } from '../workflows/ids.ts';
import { envForChild, spawnWorkerProcess, type WorkerProcess } from '../test/support/worker-process.ts';
import { writeWorkflowBundle } from './build-workflow-bundle.ts';
import { peakRssMiB, processCpuMs } from './process-cpu.ts';
import { buildWorker } from './bench/built-worker.ts';
import { batchTimings, runsOf } from './bench/history.ts';
import { measure, measuredProcesses } from './bench/measure.ts';
import { summariseProfiles } from './bench/profile-summary.ts';
import { median, printMeasured, printProfile, printTemporal } from './bench/report.ts';
import { seedOrganisation } from './bench/seed.ts';
import { startBenchStack } from './bench/stack.ts';

// `--orgs N [--workers K]`: the many-organisations benchmark instead (bench-orgs.ts).
if (process.argv.includes('--orgs')) {
  await import('./bench-orgs.ts');
  process.exit(0);
}

const { values: flags } = parseArgs({
  options: { unthrottled: { type: 'boolean' }, workers: { type: 'string' }, runs: { type: 'string' }, profile: { type: 'boolean' } },
});
const unthrottled = flags.unthrottled ?? false;
const N = Number(process.env.BENCH_N ?? (unthrottled ? 100_000 : 10_000));
const contactCount = unthrottled ? Math.ceil(N / 10) : N;
const TIME_SCALE = unthrottled ? 1 : Number(process.env.BENCH_TIME_SCALE ?? 10);
const RUNS = Number(flags.runs ?? process.env.BENCH_RUNS ?? (unthrottled ? 1 : 3));
const WORKERS = Number(flags.workers ?? 1);
const PER_MINUTE = 60;
const WINDOW_MS = 60_000 / TIME_SCALE;
const OFF = 1_000_000_000;

const work = mkdtempSync(join(tmpdir(), 'xero-sync-bench-'));
chmodSync(work, 0o755);
const stops: Array<() => Promise<void>> = [];
let printSandboxProfile: (() => void) | undefined;
let sandboxCalls = 0;
const log = (text: string) => console.log(`[bench] ${text}`);

try {
  log(
    unthrottled
      ? `unthrottled: ${N} invoices of ${contactCount} contacts, then a resync of them all; Xero's limits off; ${WORKERS} worker process(es)`
      : `${N} contacts + ${N} invoices, time scale ${TIME_SCALE} (a Xero minute = ${WINDOW_MS} ms), ${RUNS} run(s), ${WORKERS} worker process(es)`,
  );
  const sandboxProfileDir = flags.profile ? join(process.env.BENCH_PROFILE_DIR ?? work, 'sandbox') : undefined;
  const stack = await startBenchStack({ work, timeScale: TIME_SCALE, sandboxProfileDir });
  stops.push(stack.stop);
  if (sandboxProfileDir) {
    // The sandbox writes its profile when it stops: summarised once the stack is down (below).
    printSandboxProfile = () => printProfile('Xero sandbox', summariseProfiles(sandboxProfileDir, [`${process.cwd()}/`]), Math.max(1, sandboxCalls));
  }
  if (unthrottled) await stack.sandbox.setLimits({ perMinute: OFF, perDay: OFF, appPerMinute: OFF, inFlight: OFF });

  const env = loadEnv({
    NODE_ENV: 'production',
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_TASK_QUEUE: `bench-${randomBytes(4).toString('hex')}`,
    API_JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: `b1:${randomBytes(32).toString('base64')}`,
    XERO_API_URL: stack.sandbox.url,
    XERO_IDENTITY_URL: stack.sandbox.url,
    XERO_LOGIN_URL: stack.sandbox.url,
    XERO_RATE_WINDOW_MS: String(WINDOW_MS),
    // Tokens live 30 Xero minutes: refresh 5 Xero minutes ahead, scaled like everything else.
    XERO_TOKEN_REFRESH_AHEAD_MS: String(Math.round(300_000 / TIME_SCALE)),
  });
  const database = createDatabase(stack.databaseUrl, { max: 4 });
  stops.push(() => database.close());
  await applyMigrations(database);
  await database.db.execute(sql`create extension if not exists pg_stat_statements`).catch(() => log('pg_stat_statements not available: no statement counts'));
  const secrets = createSecretBox(env.ENCRYPTION_KEY);

  // As in production (npm run build): the worker compiled to JavaScript, loading a prebuilt workflow bundle.
  const bundlePath = join(work, 'workflow-bundle.js');
  const [workerEntry] = await Promise.all([buildWorker(join(work, 'dist')), writeWorkflowBundle(bundlePath)]);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  stops.push(() => connection.close());
  const client = new Client({ connection });
  const workflows = createOrgWorkflows(client, env.TEMPORAL_TASK_QUEUE);

  const ratios: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const loadStarted = Date.now();
    const org = await seedOrganisation(database, stack.sandbox, secrets, { contacts: contactCount, invoices: N });
    log(`run ${run}: loaded ${org.contacts + org.invoices} records in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);

    const profileDir = join(process.env.BENCH_PROFILE_DIR ?? work, `profiles-${run}`);
    const workers: WorkerProcess[] = [];
    for (let i = 0; i < WORKERS; i++) {
      const nodeArgs = [
        ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        ...(flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, String(i + 1))}`] : []),
      ];
      if (flags.profile) mkdirSync(join(profileDir, String(i + 1)), { recursive: true });
      const worker = await spawnWorkerProcess(
        envForChild(env, { LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'info', WORKFLOW_BUNDLE_PATH: bundlePath }),
        { nodeArgs, entry: workerEntry },
      );
      if (process.env.BENCH_WORKER_LOG_LEVEL) worker.child.stdout!.on('data', (d: Buffer) => process.stderr.write(d));
      workers.push(worker);
    }
    const pids = workers.map((w) => w.child.pid!);
    const processes = measuredProcesses(stack, pids);

    const first = await measure(database, stack, processes, org, async () => {
      await org.connect();
      // As connecting does in the app: a worker may have woken the organisation while it was being loaded,
      // before it had a connection, and then it waits paused for this.
      await workflows.resume(org.orgId);
    });
    const records = org.contacts + org.invoices;
    const minimumCalls = Math.ceil(org.contacts / 50) + Math.ceil(org.invoices / 50) + 1;
    // Xero's fixed minute allows PER_MINUTE calls; the floor is the time that many calls need at that rate.
    const floorMs = (minimumCalls / PER_MINUTE) * WINDOW_MS;
    printMeasured(unthrottled ? `run ${run}: first sync` : `run ${run}`, records, first, unthrottled ? {} : { floorMs });
    if (!unthrottled) ratios.push(first.wallMs / floorMs);
    sandboxCalls += first.calls;
    let last = first;
    if (unthrottled) {
      last = await measure(database, stack, processes, org, async () => {
        await startResync(database.db, { orgId: org.orgId, recordTypes: ['contact', 'invoice'] });
        await workflows.wake(org.orgId);
      });
      printMeasured(`run ${run}: resync of every record`, records, last);
      sandboxCalls += last.calls;
    }

    const history = await runsOf(client, orgWorkflowId(org.orgId));
    printTemporal(history, await batchTimings(client, orgWorkflowId(org.orgId), history.map((h) => h.runId)));
    const rateLimited = Object.values(last.counters.rateLimited).reduce((a, b) => a + b, 0);
    const inXero = last.counters.organisations[org.tenantId]!;
    console.log(`${'in Xero'.padEnd(24)}${inXero.contacts} contacts, ${inXero.invoices} invoices; duplicates ${JSON.stringify(inXero.duplicates)}`);
    console.log(`${'429s served'.padEnd(24)}${rateLimited} (goal 0) ${JSON.stringify(last.counters.rateLimited)}`);
    console.log(`${'peak worker memory'.padEnd(24)}${pids.map((pid) => `${peakRssMiB(pid).toFixed(0)} MiB`).join(', ')} (VmHWM of each worker process)`);

    // Profiles cover the workers' whole life (start-up included), and so does this figure.
    const workerLifeCpuMs = pids.reduce((a, pid) => a + processCpuMs(pid), 0);
    for (const worker of workers) await worker.kill('SIGTERM');
    if (flags.profile) {
      const calls = first.calls + (last === first ? 0 : last.calls);
      printProfile('worker', summariseProfiles(profileDir, [`${process.cwd()}/`, `${join(work, 'dist')}/`]), calls, workerLifeCpuMs);
    }
  }
  if (ratios.length > 1) console.log(`\nwall / floor over ${ratios.length} runs: ${ratios.map((r) => r.toFixed(3)).join(', ')}; median ${median(ratios).toFixed(3)} (goal <= 1.05)`);
} finally {
  for (const stop of stops.reverse()) await stop().catch((err) => console.error('[bench] stop failed', err));
  printSandboxProfile?.();
  rmSync(work, { recursive: true, force: true });
}
