/**
 * `npm run bench:webhook-to-app`: how long from a payment made in Xero to the main app receiving `invoice.paid`,
 * on the local stack as separate processes (PostgreSQL, the Temporal dev server, the sandbox, the worker, the
 * API: the drills' stack). Invoices are pushed first (AUTHORISED), then paid in the sandbox at a steady rate;
 * the sandbox delivers its webhooks (gathered 250 ms, as Xero does) to the API, the workflow reads the invoices
 * back, and the outbox tells the stand-in main app.
 *
 * Prints p50 / p99 / max from the signed delivery (and from the payment) to `invoice.paid` arriving, and the
 * parts: sandbox batching (payment → delivery), API ingest (delivery → stored), signal (stored → signalled),
 * read-back (signalled → processed), outbox (processed → received). Goal: p99 ≤ 1 s from the delivery.
 *
 * Options: --payments 1000 --orgs 10 --rate 20 (payments a second) --time-scale 10
 *          --keep [--log-level=debug] (keep the processes' logs, as the drills do)
 *          --profile (then, from the workflows' Temporal histories, where the read-back's time went)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import { syncState } from '../db/schema/index.ts';
import { orgWorkflowId } from '../workflows/ids.ts';
import { readBackProfile } from './bench/read-back-profile.ts';
import { connectOrg, invoicesOf, mainAppCalls, members, syncCounts, waitFor, type DrillOrg } from './drill/kit.ts';
import { startDrillStack } from './drill/stack.ts';

const { values: args } = parseArgs({
  options: {
    payments: { type: 'string', default: '1000' },
    orgs: { type: 'string', default: '10' },
    rate: { type: 'string', default: '20' },
    'time-scale': { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
  },
});
const total = Number(args.payments);
const orgCount = Number(args.orgs);
const perOrg = Math.ceil(total / orgCount);
const log = (line: string) => console.error(`[bench] ${line}`);
const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');

const stack = await startDrillStack({ server: 'dev', timeScale: Number(args['time-scale']), log, keep: args.keep, logLevel: args['log-level'] as 'info' | 'debug' });
try {
  const db = stack.database.db;
  const orgs: Array<DrillOrg & { invoices: Array<{ id: string; xeroId: string }> }> = [];
  for (let o = 0; o < orgCount; o++) {
    const org = await connectOrg(stack, { invoiceStatus: 'AUTHORISED' });
    const calls = mainAppCalls(stack, org.orgId);
    await calls.putContacts(members(perOrg, `w${o}`));
    await calls.putInvoices(invoicesOf(perOrg, `w${o}`));
    orgs.push({ ...org, invoices: [] });
  }
  for (const org of orgs) {
    await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced === 2 * perOrg ? true : undefined), { timeoutMs: 600_000, intervalMs: 500 });
    const rows = await db.select({ id: syncState.recordId, xeroId: syncState.xeroId }).from(syncState).where(and(eq(syncState.orgId, org.orgId), eq(syncState.recordType, 'invoice')));
    org.invoices = rows.map((r) => ({ id: r.id, xeroId: r.xeroId! }));
  }
  // The webhooks for what we created are read back before any timing starts.
  await stack.sandbox.flushWebhooks();
  await waitFor(async () => {
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from webhook_events where processed_at is null and org_id is not null`);
    return row!.n === 0 ? true : undefined;
  }, { timeoutMs: 120_000 });
  log(`${orgCount} organisations, ${orgCount * perOrg} invoices in Xero; paying ${total} at ${args.rate}/s`);

  // Paid round-robin across organisations, at a steady rate (each due time kept, however late the answer).
  const paidAt = new Map<string, number>();
  const xeroToLocal = new Map<string, { orgId: string; invoiceId: string }>();
  const queue = Array.from({ length: perOrg }, (_, i) => orgs.map((org) => ({ org, invoice: org.invoices[i]! }))).flat().slice(0, total);
  const interval = 1000 / Number(args.rate);
  const start = Date.now();
  const inFlight: Array<Promise<unknown>> = [];
  for (const [i, { org, invoice }] of queue.entries()) {
    const wait = start + i * interval - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    xeroToLocal.set(invoice.xeroId.toLowerCase(), { orgId: org.orgId, invoiceId: invoice.id });
    paidAt.set(`${org.orgId}/${invoice.id}`, Date.now());
    inFlight.push(stack.sandbox.payInvoice(org.tenantId, invoice.xeroId, { reference: 'Paid in Xero' }));
  }
  await Promise.all(inFlight);
  const paid = () => stack.mainApp.deliveries.filter((d) => d.type === 'invoice.paid');
  await waitFor(async () => (new Set(paid().map((d) => `${d.orgId}/${String(d.data.invoiceId)}`)).size >= total ? true : undefined), { timeoutMs: 600_000, intervalMs: 250 });

  // When each step happened, per payment.
  const deliveredAt = new Map<string, number>();
  for (const delivery of await stack.sandbox.webhookDeliveries()) {
    for (const event of delivery.events) {
      const local = xeroToLocal.get(event.resourceId.toLowerCase());
      if (local && delivery.attempts[0] && event.eventCategory === 'INVOICE') {
        const key = `${local.orgId}/${local.invoiceId}`;
        if (delivery.attempts[0].at >= (paidAt.get(key) ?? Infinity) && !deliveredAt.has(key)) deliveredAt.set(key, delivery.attempts[0].at);
      }
    }
  }
  const stored = await db.execute<{ resource_id: string; received: string; signalled: string | null; processed: string | null }>(sql`
    select resource_id, received_at as received, signalled_at as signalled, processed_at as processed
    from webhook_events where org_id in ${orgs.map((o) => o.orgId)} and received_at >= ${new Date(start - 1_000).toISOString()} order by received_at`);
  const steps = new Map<string, { stored: number; signalled: number; processed: number }>();
  for (const row of stored) {
    const local = xeroToLocal.get(row.resource_id.toLowerCase());
    const key = local && `${local.orgId}/${local.invoiceId}`;
    if (key && !steps.has(key) && row.signalled && row.processed) steps.set(key, { stored: Date.parse(row.received), signalled: Date.parse(row.signalled), processed: Date.parse(row.processed) });
  }
  const received = new Map<string, number>();
  for (const d of paid()) {
    const key = `${d.orgId}/${String(d.data.invoiceId)}`;
    if (!received.has(key)) received.set(key, d.at);
  }

  const parts = { fromPayment: [] as number[], fromDelivery: [] as number[], batching: [] as number[], ingest: [] as number[], signal: [] as number[], readBack: [] as number[], outbox: [] as number[] };
  for (const [key, at] of received) {
    const p = paidAt.get(key);
    const d = deliveredAt.get(key);
    const s = steps.get(key);
    if (p === undefined || d === undefined || !s) continue;
    parts.fromPayment.push(at - p);
    parts.fromDelivery.push(at - d);
    parts.batching.push(d - p);
    parts.ingest.push(s.stored - d);
    parts.signal.push(s.signalled - s.stored);
    parts.readBack.push(s.processed - s.signalled);
    parts.outbox.push(at - s.processed);
  }
  const pct = (values: number[], p: number) => {
    const sorted = Float64Array.from(values).sort();
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
  };
  const line = (name: string, values: number[]) =>
    console.log(`${name.padEnd(34)} p50 ${pct(values, 50).toFixed(0).padStart(5)} ms   p99 ${pct(values, 99).toFixed(0).padStart(5)} ms   max ${pct(values, 100).toFixed(0).padStart(5)} ms`);
  console.log(`\nbench:webhook-to-app  ${received.size}/${total} payments told to the main app (${parts.fromDelivery.length} with every step timed), ${orgCount} organisations, ${args.rate} payments/s`);
  line('delivery -> invoice.paid received', parts.fromDelivery);
  line('payment in Xero -> received', parts.fromPayment);
  line('  sandbox batching (Xero\'s own)', parts.batching);
  line('  API ingest (delivery -> stored)', parts.ingest);
  line('  signal (stored -> signalled)', parts.signal);
  line('  read-back (signalled -> processed)', parts.readBack);
  line('  outbox (processed -> received)', parts.outbox);
  console.log(`goal p99 <= 1000 ms from the delivery: ${pct(parts.fromDelivery, 99) <= 1000 ? 'met' : 'MISSED'}; distinct invoice.paid events ${new Set(paid().map((d) => d.id)).size}, deliveries ${paid().length}; load average before ${loadBefore}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (args.profile) {
    const connection = await Connection.connect({ address: stack.temporal.address });
    try {
      for (const line of await readBackProfile(new Client({ connection }), orgs.map((o) => orgWorkflowId(o.orgId)), start)) console.log(line);
    } finally {
      await connection.close();
    }
  }
} finally {
  await stack.close();
  if (args.keep) log(`logs and data kept in ${stack.work}`);
}
