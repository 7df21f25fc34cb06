/**
 * `npm run bench:webhooks`: how many signed Xero webhook deliveries the endpoint takes, and how fast it answers.
 *
 * Postgres: embedded (a temp directory, a free port) unless DATABASE_URL is set; the real migrations are applied.
 * The API runs in a CHILD process, so the load generator (this process) does not share its event loop; on a
 * 2-core machine the API, Postgres and the load generator still share the cores, as they would not in production.
 * Temporal is not needed: by default the API's Temporal client points at a closed port, so every signal fails
 * (and the answers must not slow down for it); `--signals ok` uses a Temporal stand-in that answers at once.
 *
 * Phases, all against 127.0.0.1 only, bounded in time:
 *   1. warm-up;
 *   2. throughput: `--connections` keep-alive connections, each sending its next delivery when the last is answered;
 *   3. fixed rate: `--rate` deliveries per second whatever the answers, latency measured from when each was due
 *      (no coordinated omission): the figure to compare with the goal (≥ 1,500/s, p99 ≤ 50 ms).
 * Every delivery is distinct (new events), so each 200 is a real insert; the rows stored are counted at the end.
 *
 * Options: --duration 10 (s per phase) --connections 32 --rate 1500 --tenants 20 --events 1 (per delivery) --signals down|ok
 *          --server express|node (node: the same receiver behind a bare node:http server, to see what Express costs)
 *          --hostile [--hostile-count 10000]: instead, deliveries no one with Xero's key sent (hostile-webhooks/run.ts)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { ensureOrganisation } from '../db/queries/organisations.ts';
import { xeroConnections } from '../db/schema/index.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { freePort } from './free-port.ts';
import { machineCpuTicks, postgresCpuMsFromDataDir } from './process-cpu.ts';
import { WEBHOOK_PATH, type ApiReport } from './bench-webhooks-api.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '1500' },
    tenants: { type: 'string', default: '20' },
    events: { type: 'string', default: '1' },
    signals: { type: 'string', default: 'down' },
    server: { type: 'string', default: 'express' },
    hostile: { type: 'boolean', default: false },
    'hostile-count': { type: 'string', default: '10000' },
  },
});

if (args.hostile) {
  const { runHostileWebhooks } = await import('./hostile-webhooks/run.ts');
  const ok = await runHostileWebhooks({ count: Number(args['hostile-count']), connections: Math.min(Number(args.connections), 16) });
  process.exit(ok ? 0 : 1);
}
await bench();

// ---------------------------------------------------------------------------------------------------------------
// The load generator (this process).

interface Delivery {
  body: Buffer;
  signature: string;
}

interface PhaseResult {
  name: string;
  seconds: number;
  ok: number;
  errors: number;
  latenciesMs: number[];
}

async function bench(): Promise<void> {
  const durationMs = Number(args.duration) * 1000;
  const connections = Number(args.connections);
  const rate = Number(args.rate);
  const tenantCount = Number(args.tenants);
  const eventsPerDelivery = Number(args.events);
  const key = randomBytes(32).toString('base64');
  // Other work on the machine skews every figure: print what it was doing when we started.
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');

  const work = mkdtempSync(join(tmpdir(), 'bench-webhooks-'));
  chmodSync(work, 0o755); // the embedded server runs as the `postgres` user when we are root
  const stops: Array<() => Promise<void>> = [];
  let api: ChildProcess | undefined;
  try {
    let databaseUrl = process.env.DATABASE_URL;
    let postgresCpuMs: (() => number) | undefined;
    if (!databaseUrl) {
      postgresCpuMs = () => postgresCpuMsFromDataDir(join(work, 'pg'));
      const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port: await freePort(), database: `bench_${randomBytes(4).toString('hex')}`, persistent: false });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    const database = createDatabase(databaseUrl, { max: 2 });
    stops.unshift(() => database.close());
    await applyMigrations(database);

    const tenants = Array.from({ length: tenantCount }, () => ({ orgId: `bench-org-${randomUUID()}`, tenantId: randomUUID() }));
    for (const t of tenants) {
      await ensureOrganisation(database.db, { orgId: t.orgId });
      await database.db.insert(xeroConnections).values({ orgId: t.orgId, authType: 'oauth', status: 'connected', xeroTenantId: t.tenantId });
    }
    const tenantIds = new Set<string>(tenants.map((t) => t.tenantId));
    const countStored = async () => {
      const rows = await database.db.execute<{ tenant_id: string; n: string }>(sql`select tenant_id, count(*) as n from webhook_events group by tenant_id`);
      return rows.filter((r) => tenantIds.has(r.tenant_id)).reduce((sum, r) => sum + Number(r.n), 0);
    };

    api = fork(fileURLToPath(new URL('./bench-webhooks-api.ts', import.meta.url)), [`--signals=${args.signals}`, `--server=${args.server}`], {
      execArgv: ['--import', 'tsx', ...(process.env.BENCH_API_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_PROFILE_DIR}`] : [])],
      env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_WEBHOOK_KEY: key },
    });
    const port = await new Promise<number>((resolve, reject) => {
      api!.once('message', (m) => resolve((m as { port: number }).port));
      api!.once('exit', (code) => reject(new Error(`API process exited (${code}) before listening`)));
    });

    // Distinct signed deliveries, built before any timing starts.
    const needed = Math.ceil((durationMs / 1000) * (rate + 6_000)) + 10_000;
    const deliveries: Delivery[] = Array.from({ length: needed }, (_, i) => {
      const tenantId = tenants[i % tenants.length]!.tenantId;
      const events = Array.from({ length: eventsPerDelivery }, (_, j) => {
        const resourceId = randomUUID();
        return {
          resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${resourceId}`,
          resourceId,
          tenantId,
          tenantType: 'ORGANISATION',
          eventCategory: j % 2 ? 'CONTACT' : 'INVOICE',
          eventType: 'UPDATE',
          eventDateUtc: new Date(Date.UTC(2025, 0, 1) + i * 1000 + j).toISOString().slice(0, -1),
        };
      });
      const body = Buffer.from(JSON.stringify({ events, firstEventSequence: i + 1, lastEventSequence: i + 1, entropy: 'BENCHBENCHBENCHBENCH' }));
      return { body, signature: createHmac('sha256', key).update(body).digest('base64') };
    });
    let next = 0;
    const take = () => deliveries[next++ % deliveries.length]!;

    const agent = new Agent({ keepAlive: true, maxSockets: 512 });
    const send = (d: Delivery) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { agent, host: '127.0.0.1', port, method: 'POST', path: WEBHOOK_PATH, headers: { 'content-type': 'application/json', 'content-length': d.body.length, 'x-xero-signature': d.signature } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(d.body);
      });

    const closedLoop = async (name: string, ms: number): Promise<PhaseResult> => {
      const result: PhaseResult = { name, seconds: ms / 1000, ok: 0, errors: 0, latenciesMs: [] };
      const deadline = performance.now() + ms;
      const lane = async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          const status = await send(take()).catch(() => 0);
          result.latenciesMs.push(performance.now() - started);
          if (status === 200) result.ok += 1;
          else result.errors += 1;
        }
      };
      await Promise.all(Array.from({ length: connections }, lane));
      result.seconds = (performance.now() - deadline + ms) / 1000;
      return result;
    };

    const fixedRate = async (name: string, ms: number, perSecond: number): Promise<PhaseResult> => {
      const result: PhaseResult = { name, seconds: ms / 1000, ok: 0, errors: 0, latenciesMs: [] };
      const total = Math.floor((ms / 1000) * perSecond);
      const interval = 1000 / perSecond;
      const start = performance.now();
      const inFlight: Array<Promise<void>> = [];
      for (let i = 0; i < total; i += 1) {
        const due = start + i * interval;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        inFlight.push(
          send(take()).then(
            (status) => {
              result.latenciesMs.push(performance.now() - due); // from when it was due, not when it went out
              if (status === 200) result.ok += 1;
              else result.errors += 1;
            },
            () => {
              result.errors += 1;
            },
          ),
        );
      }
      await Promise.all(inFlight);
      result.seconds = (performance.now() - start) / 1000; // stretches when answers lag behind the rate
      return result;
    };

    api.send('mark');
    const storedBefore = await countStored();
    const cpuBefore = process.cpuUsage();
    const postgresCpuBefore = postgresCpuMs?.() ?? 0;
    const machineBefore = machineCpuTicks();
    const wallStart = performance.now();
    await closedLoop('warm-up', 2_000);
    const throughput = await closedLoop(`throughput (${connections} connections)`, durationMs);
    const steady = await fixedRate(`fixed rate (${rate}/s)`, durationMs, rate);
    const cpu = process.cpuUsage(cpuBefore);
    const postgresCpu = (postgresCpuMs?.() ?? 0) - postgresCpuBefore;
    const machine = machineCpuTicks();
    const machineTotal = machine.total - machineBefore.total;
    const stealPct = machineTotal > 0 ? ((machine.steal - machineBefore.steal) / machineTotal) * 100 : 0;
    const idlePct = machineTotal > 0 ? ((machine.idle - machineBefore.idle) / machineTotal) * 100 : 0;
    const wallSeconds = (performance.now() - wallStart) / 1000;
    agent.destroy();

    await new Promise((r) => setTimeout(r, 200));
    const stored = (await countStored()) - storedBefore;
    const sentOk = next; // every delivery is distinct until the pool wraps
    const report = await new Promise<ApiReport>((resolve) => {
      api!.once('message', (m) => resolve(m as ApiReport));
      api!.send('report');
    });

    console.log(
      `\nbench:webhooks  ${eventsPerDelivery} event(s)/delivery, ${tenantCount} tenants, signals: ${args.signals === 'ok' ? 'Temporal stand-in answers at once' : 'Temporal unreachable'}${args.server === 'node' ? ', bare node:http (no Express)' : ''}`,
    );
    for (const phase of [throughput, steady]) printPhase(phase);
    console.log(`rows stored: ${stored} (events in deliveries sent: ${Math.min(sentOk, deliveries.length) * eventsPerDelivery}${sentOk > deliveries.length ? ', pool wrapped: some were duplicates' : ''})`);
    console.log(`signals: ${report.signalCalls} attempted, ${report.signalFailures} failed (the relay re-sends what is left unsignalled)`);
    const postgresText = postgresCpuMs ? `, Postgres ${(postgresCpu / 1000).toFixed(1)}` : '';
    console.log(
      `CPU seconds over ${wallSeconds.toFixed(1)} s of load: API ${(report.cpuMs / 1000).toFixed(1)}, load generator ${((cpu.user + cpu.system) / 1e6).toFixed(1)}${postgresText}; load average before: ${loadBefore}`,
    );
    // On a shared VM the hypervisor's steal shows up as latency we did not cause.
    console.log(`machine during the load: ${idlePct.toFixed(0)}% idle, ${stealPct.toFixed(0)}% stolen by the hypervisor`);
  } finally {
    if (api && api.exitCode === null) api.kill();
    for (const stop of stops) await stop().catch((err) => console.error('cleanup', err));
    rmSync(work, { recursive: true, force: true });
  }
}

function printPhase({ name, seconds, ok, errors, latenciesMs }: PhaseResult): void {
  const sorted = Float64Array.from(latenciesMs).sort();
  const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
  console.log(
    `${name.padEnd(28)} ${(ok / seconds).toFixed(0).padStart(6)} req/s ok   p50 ${pct(50).toFixed(1)} ms   p95 ${pct(95).toFixed(1)} ms   p99 ${pct(99).toFixed(1)} ms   max ${pct(100).toFixed(1)} ms   errors ${errors}`,
  );
}

