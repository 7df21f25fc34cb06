/**
 * Temporal down while Xero sends webhooks for payments made in Xero: every delivery is answered 200 and
 * stored; once Temporal is back, every payment is recorded once and the main app told once per payment
 * (`invoice.paid`, one event id each; a repeat only ever with the same id).
 */
import { and, eq, sql } from 'drizzle-orm';
import { payments, syncState, webhookEvents } from '../../../db/schema/index.ts';
import { connectOrg, invoicesOf, mainAppCalls, members, seconds, syncCounts, waitFor, type DrillContext, type DrillResult } from '../kit.ts';

export async function temporalDownWebhooksDrill(ctx: DrillContext): Promise<DrillResult> {
  const { stack, quick, log } = ctx;
  const n = quick ? 5 : 20;
  const db = stack.database.db;
  const org = await connectOrg(stack, { invoiceStatus: 'AUTHORISED' });
  const api = mainAppCalls(stack, org.orgId);
  await api.putContacts(members(n, 'tw'));
  await api.putInvoices(invoicesOf(n, 'tw'));
  await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced === 2 * n ? true : undefined), { timeoutMs: 120_000 });
  const invoices = await db.select({ id: syncState.recordId, xeroId: syncState.xeroId }).from(syncState).where(and(eq(syncState.orgId, org.orgId), eq(syncState.recordType, 'invoice')));
  // Xero's webhooks for the records we created are read and settled before Temporal goes.
  await stack.sandbox.flushWebhooks();
  await waitFor(async () => {
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from webhook_events where org_id = ${org.orgId} and processed_at is null`);
    return row!.n === 0 ? true : undefined;
  }, { timeoutMs: 60_000 });

  const deliveriesBefore = (await stack.sandbox.webhookDeliveries()).length;
  const storedBefore = await countStored(ctx, org.orgId);
  await stack.temporal.crash();
  const downAt = Date.now();
  log(`temporal-down-webhooks: Temporal killed; ${n} invoices paid in Xero`);
  // One delivery per payment (Xero gathers what happens close together; these are apart).
  for (const invoice of invoices) {
    await stack.sandbox.payInvoice(org.tenantId, invoice.xeroId!, { reference: `Paid in Xero ${invoice.id}` });
    await stack.sandbox.flushWebhooks();
  }
  // Down a while longer: the relay's passes meanwhile fail to signal, and must not lose or repeat anything.
  await new Promise((r) => setTimeout(r, quick ? 2_000 : 6_000));
  const deliveries = (await stack.sandbox.webhookDeliveries()).slice(deliveriesBefore);
  const attempts = deliveries.flatMap((d) => d.attempts);
  const answered200 = attempts.filter((a) => a.status === 200).length;
  const stored = (await countStored(ctx, org.orgId)) - storedBefore;

  const problems: string[] = [];
  if (deliveries.length === 0) problems.push('Xero sent no webhook for the payments');
  if (answered200 !== attempts.length) problems.push(`${attempts.length - answered200} of ${attempts.length} webhook deliveries were not answered 200 while Temporal was down`);
  if (stored < n) problems.push(`only ${stored} webhook events stored for ${n} payments`);

  const restartedAt = Date.now();
  await stack.temporal.start();
  const backAt = Date.now();
  const paidEvents = () => stack.mainApp.deliveries.filter((d) => d.orgId === org.orgId && d.type === 'invoice.paid');
  const told = await waitFor(async () => (new Set(paidEvents().map((e) => e.data.invoiceId)).size >= n ? Date.now() : undefined), { timeoutMs: quick ? 90_000 : 180_000 });
  // Anything late (a second event for one payment) would come now: give the outbox a moment to show it.
  await waitFor(async () => {
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from outbound_events where org_id = ${org.orgId} and delivered_at is null`);
    return row!.n === 0 ? true : undefined;
  }, { timeoutMs: 30_000 });

  const recorded = await db.select({ invoiceId: payments.invoiceId, xeroPaymentId: payments.xeroPaymentId }).from(payments).where(and(eq(payments.orgId, org.orgId), sql`${payments.xeroPaymentId} is not null`));
  const perInvoice = new Map<string, Set<string>>();
  for (const e of paidEvents()) {
    const key = String(e.data.invoiceId);
    perInvoice.set(key, (perInvoice.get(key) ?? new Set()).add(e.id));
  }
  const twice = [...perInvoice].filter(([, ids]) => ids.size > 1).map(([id]) => id);
  if (twice.length > 0) problems.push(`invoice.paid under two event ids for ${twice.join(', ')}`);
  const recordedInvoices = new Set(recorded.map((p) => p.invoiceId));
  const duplicates = recorded.length - recordedInvoices.size;
  return {
    name: 'temporal-down-webhooks',
    completed: Math.min(recordedInvoices.size, perInvoice.size),
    expected: n,
    duplicates,
    lost: n - Math.min(recordedInvoices.size, perInvoice.size),
    events: stack.mainApp.counts([org.orgId]),
    figures: [
      `${n} payments made in Xero with Temporal down ${seconds(restartedAt - downAt)}: ${deliveries.length} webhook deliveries, ${answered200}/${attempts.length} answered 200, ${stored} events stored`,
      `payments recorded ${recorded.length} (${recordedInvoices.size} invoices), invoice.paid for ${perInvoice.size} invoices, the last ${told ? seconds(told - restartedAt) : 'never'} after Temporal's restart began (it took ${seconds(backAt - restartedAt)} to answer)`,
    ],
    problems,
  };
}

async function countStored(ctx: DrillContext, orgId: string): Promise<number> {
  const [row] = await ctx.stack.database.db.select({ n: sql<number>`count(*)::int` }).from(webhookEvents).where(eq(webhookEvents.orgId, orgId));
  return row!.n;
}
