/**
 * The main app's endpoint down for a while, as payments are made in Xero: the events wait in the outbox,
 * then arrive, each record's in the order they happened (a part payment, the rest, then paid).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { outboundEvents, syncState } from '../../../db/schema/index.ts';
import { connectOrg, invoicesOf, mainAppCalls, members, seconds, syncCounts, waitFor, type DrillContext, type DrillResult } from '../kit.ts';

export async function mainAppDownDrill(ctx: DrillContext): Promise<DrillResult> {
  const { stack, quick, log } = ctx;
  const n = quick ? 4 : 20;
  const db = stack.database.db;
  const org = await connectOrg(stack, { invoiceStatus: 'AUTHORISED' });
  const api = mainAppCalls(stack, org.orgId);
  await api.putContacts(members(n, 'md'));
  await api.putInvoices(invoicesOf(n, 'md'));
  await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced === 2 * n ? true : undefined), { timeoutMs: 120_000 });
  const invoices = await db.select({ id: syncState.recordId, xeroId: syncState.xeroId }).from(syncState).where(and(eq(syncState.orgId, org.orgId), eq(syncState.recordType, 'invoice')));

  stack.mainApp.setDown(true);
  const downAt = Date.now();
  const refusedBefore = stack.mainApp.refusedWhileDown;
  log(`main-app-down: the main app is down; ${n} invoices part-paid, then paid, in Xero`);
  for (const invoice of invoices) await stack.sandbox.payInvoice(org.tenantId, invoice.xeroId!, { amount: 40, reference: 'Part payment' });
  await stack.sandbox.flushWebhooks();
  for (const invoice of invoices) await stack.sandbox.payInvoice(org.tenantId, invoice.xeroId!, { reference: 'The rest' });
  await stack.sandbox.flushWebhooks();
  // Three events per invoice wait in the outbox: two payments recorded, then paid.
  const expected = 3 * n;
  const queued = await waitFor(async () => {
    const [row] = await db.execute<{ n: number; refused: number }>(sql`select count(*)::int as n from outbound_events where org_id = ${org.orgId} and delivered_at is null`);
    return row!.n >= expected && stack.mainApp.refusedWhileDown > refusedBefore ? row!.n : undefined;
  }, { timeoutMs: 120_000 });
  // Down a while: the outbox retries, backing off, and holds each record's later events behind its first.
  await new Promise((r) => setTimeout(r, Math.max(0, downAt + (quick ? 3_000 : 15_000) - Date.now())));
  stack.mainApp.setDown(false);
  const upAt = Date.now();

  const delivered = await waitFor(async () => {
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from outbound_events where org_id = ${org.orgId} and delivered_at is null`);
    return row!.n === 0 ? Date.now() : undefined;
  }, { timeoutMs: 180_000 });

  // Order per record: the first arrival of each event follows the order the outbox holds them in.
  const rows = await db.select({ id: outboundEvents.id, recordKey: outboundEvents.recordKey }).from(outboundEvents).where(eq(outboundEvents.orgId, org.orgId)).orderBy(asc(outboundEvents.seq));
  const arrival = new Map<string, number>();
  stack.mainApp.deliveries.forEach((d, i) => {
    if (d.orgId === org.orgId && !arrival.has(d.id)) arrival.set(d.id, i);
  });
  const outOfOrder = new Set<string>();
  const lastByRecord = new Map<string, number>();
  for (const row of rows) {
    const at = arrival.get(row.id);
    if (at === undefined) continue;
    if ((lastByRecord.get(row.recordKey) ?? -1) > at) outOfOrder.add(row.recordKey);
    lastByRecord.set(row.recordKey, at);
  }
  const arrived = rows.filter((r) => arrival.has(r.id)).length;
  const problems: string[] = [];
  if (!queued) problems.push('the events were not all waiting in the outbox while the main app was down');
  if (outOfOrder.size > 0) problems.push(`out of order for ${[...outOfOrder].join(', ')}`);
  if (rows.length < expected) problems.push(`${rows.length} events in the outbox, ${expected} expected`);
  return {
    name: 'main-app-down',
    completed: arrived,
    expected: Math.max(expected, rows.length),
    duplicates: 0,
    lost: rows.length - arrived,
    events: stack.mainApp.counts([org.orgId]),
    figures: [
      `main app down ${seconds(upAt - downAt)}: ${stack.mainApp.refusedWhileDown - refusedBefore} deliveries refused, ${queued ?? 0} events waiting`,
      `all delivered ${delivered ? seconds(delivered - upAt) : 'never'} after it was back, in order per record: ${outOfOrder.size === 0 ? 'yes' : 'NO'}`,
    ],
    problems,
  };
}
