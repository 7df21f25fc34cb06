/**
 * `npm run bench:webhooks -- --hostile`: 10,000 webhook deliveries no one holding Xero's key sent (missing,
 * empty, wrong, truncated and replayed signatures; truncated, malformed, oversized and compressed bodies),
 * against the API in a process of its own with real PostgreSQL. Every one must be answered 401 with an empty
 * body and store nothing, and the API's memory must stay flat: prints the answers by kind, the rows stored,
 * and the API's memory after each tenth of the flood: its heap once garbage is collected (what a leak grows)
 * and its resident size (which V8 keeps after the oversized bodies, so it rises once and then levels off).
 * A correctly signed delivery replayed byte for byte (Xero delivers at least once) is answered 200 and stored
 * once. Exits 1 if any of that does not hold.
 *
 * Options: --hostile-count 10000 --connections 16
 */
import { fork } from 'node:child_process';
import { randomUUID, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createDatabase } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { ensureOrganisation } from '../../db/queries/organisations.ts';
import { xeroConnections } from '../../db/schema/index.ts';
import { WEBHOOK_PATH, type ApiMemory } from '../bench-webhooks-api.ts';
import { startEmbeddedPostgres } from '../embedded-postgres.ts';
import { freePort } from '../free-port.ts';
import { HOSTILE_KINDS, hostileDelivery, signXero, xeroDeliveryBody, type HostileDelivery } from './deliveries.ts';

const LIMIT_BYTES = 1024 * 1024; // the API's WEBHOOK_BODY_LIMIT default

export async function runHostileWebhooks({ count, connections }: { count: number; connections: number }): Promise<boolean> {
  const key = randomBytes(32).toString('base64');
  const work = mkdtempSync(join(tmpdir(), 'drills-hostile-webhooks-'));
  chmodSync(work, 0o755); // the embedded server runs as the `postgres` user when we are root
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port: await freePort(), database: 'hostile', persistent: false });
  const database = createDatabase(pg.url, { max: 2 });
  const api = fork(fileURLToPath(new URL('../bench-webhooks-api.ts', import.meta.url)), ['--signals=down'], {
    // --expose-gc: memory is read once garbage is collected, so a figure is what is held, not what awaits collection.
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, BENCH_DATABASE_URL: pg.url, BENCH_WEBHOOK_KEY: key },
  });
  try {
    await applyMigrations(database);
    const tenants = Array.from({ length: 10 }, () => ({ orgId: `hostile-${randomUUID()}`, tenantId: randomUUID() }));
    for (const t of tenants) {
      await ensureOrganisation(database.db, { orgId: t.orgId });
      await database.db.insert(xeroConnections).values({ orgId: t.orgId, authType: 'oauth', status: 'connected', xeroTenantId: t.tenantId });
    }
    const port = await new Promise<number>((resolve, reject) => {
      api.once('message', (m) => resolve((m as { port: number }).port));
      api.once('exit', (code) => reject(new Error(`API process exited (${code}) before listening`)));
    });
    const rows = async () => Number((await database.db.execute<{ n: string }>(sql`select count(*) as n from webhook_events`))[0]!.n);
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const memory = () =>
      new Promise<ApiMemory>((resolve) => {
        const onMessage = (m: unknown) => {
          if (!m || typeof m !== 'object' || !('memory' in m)) return;
          api.off('message', onMessage);
          resolve((m as { memory: ApiMemory }).memory);
        };
        api.on('message', onMessage);
        api.send('memory');
      });

    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const send = (d: Pick<HostileDelivery, 'body' | 'headers'>) =>
      new Promise<{ status: number; body: string }>((resolve) => {
        const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: WEBHOOK_PATH, headers: { ...d.headers, 'content-length': d.body.length } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        // The server may answer (401) and close before reading an oversized body: that is an answer too.
        req.on('error', (err) => resolve({ status: -1, body: err.message }));
        req.end(d.body);
      });

    // Warm-up with good deliveries, so the start figure is the process at work, not the process asleep.
    for (let i = 0; i < 200; i++) {
      const body = xeroDeliveryBody(tenants[i % tenants.length]!.tenantId);
      await send({ body, headers: { 'content-type': 'application/json', 'x-xero-signature': signXero(body, key) } });
    }
    const rowsBefore = await rows();
    const atStart = await memory();
    const rounds: ApiMemory[] = [];
    let rssPeak = atStart.rssMiB;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rss())), 100);
    const byKind = new Map<string, { sent: number; ok: number; wrong: string[] }>();
    let next = 0;
    const started = performance.now();
    const lane = async (end: number) => {
      while (next < end) {
        const i = next++;
        const kind = HOSTILE_KINDS[i % HOSTILE_KINDS.length]!;
        const delivery = hostileDelivery(kind, { key, tenantId: tenants[i % tenants.length]!.tenantId, limitBytes: LIMIT_BYTES });
        const answer = await send(delivery);
        const tally = byKind.get(kind) ?? { sent: 0, ok: 0, wrong: [] };
        tally.sent += 1;
        if (answer.status === 401 && answer.body === '') tally.ok += 1;
        else if (tally.wrong.length < 3) tally.wrong.push(`${answer.status} ${answer.body.slice(0, 80)}`);
        byKind.set(kind, tally);
      }
    };
    // In tenths, the memory read after each: a leak grows round after round, a process at work levels off.
    for (let round = 1; round <= 10; round++) {
      const end = Math.round((count * round) / 10);
      await Promise.all(Array.from({ length: connections }, () => lane(end)));
      rounds.push(await memory());
    }
    const seconds = (performance.now() - started) / 1000;
    // A correctly signed delivery, replayed: at least once is Xero's promise, once is ours.
    const replayed = xeroDeliveryBody(tenants[0]!.tenantId);
    const replayHeaders = { 'content-type': 'application/json', 'x-xero-signature': signXero(replayed, key) };
    let replayOk = 0;
    for (let i = 0; i < 100; i++) if ((await send({ body: replayed, headers: replayHeaders })).status === 200) replayOk += 1;
    clearInterval(sampler);
    const atEnd = await memory();
    const stored = (await rows()) - rowsBefore;
    agent.destroy();

    console.log(`\nbench:webhooks --hostile  ${count} hostile deliveries in ${seconds.toFixed(1)} s over ${connections} connections`);
    let allRefused = true;
    for (const [kind, t] of byKind) {
      if (t.ok !== t.sent) allRefused = false;
      console.log(`  ${kind.padEnd(52)} ${String(t.ok).padStart(5)}/${t.sent} answered 401 with an empty body${t.wrong.length ? `; otherwise: ${t.wrong.join(' | ')}` : ''}`);
    }
    console.log(`  a correctly signed delivery replayed 100 times        ${replayOk}/100 answered 200`);
    console.log(`rows stored: ${stored} (expected 1: the replayed delivery, once)`);
    const mib = (values: number[]) => values.map((v) => v.toFixed(0)).join(' ');
    console.log(`API heap once collected (MiB): start ${atStart.heapUsedMiB.toFixed(1)}, after each tenth ${mib(rounds.map((r) => r.heapUsedMiB))}, end ${atEnd.heapUsedMiB.toFixed(1)}`);
    console.log(`API resident size (MiB): start ${atStart.rssMiB.toFixed(0)}, after each tenth ${mib(rounds.map((r) => r.rssMiB))}, peak ${rssPeak.toFixed(0)}, end ${atEnd.rssMiB.toFixed(0)}; load average before ${loadBefore}`);
    // Flat: what is held once collected grows by less than 5 MiB over the flood, and the resident size has
    // levelled off (the second half adds less than 10 MiB to what the first half reached).
    const heapGrowth = atEnd.heapUsedMiB - atStart.heapUsedMiB;
    const rssSecondHalf = Math.max(...rounds.slice(5).map((r) => r.rssMiB)) - rounds[4]!.rssMiB;
    const flat = heapGrowth < 5 && rssSecondHalf < 10;
    console.log(`memory flat: ${flat ? 'yes' : 'NO'} (heap ${signed(heapGrowth, 1)} MiB over the flood, resident size ${signed(rssSecondHalf, 0)} MiB over its second half)`);
    const ok = allRefused && stored === 1 && replayOk === 100 && flat;
    console.log(ok ? 'every hostile delivery refused, nothing stored, memory flat' : 'FAILED: see above');
    return ok;
  } finally {
    if (api.exitCode === null) api.kill();
    await database.close();
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
