/**
 * A payment made in Xero while a long push pass runs is read back before that pass ends: the organisation's
 * workflow reads webhook events beside its pushes (the pacer still governs every call), not after them.
 * Real stack; the sandbox makes every Accounting call take long, so the pass outlasts the payment's read.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { connectThroughApi, localInvoice, paymentsOf, pushInvoice, settled, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack();
});
afterAll(async () => {
  await s?.close();
});

it('reads back a payment announced while a long push pass is still pushing', async () => {
  const { orgId, tenantId } = await connectThroughApi(s);
  const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-1' });
  await settled(s, orgId);

  // 600 members: twelve batches of contacts, three times the pacer's four turns at once, each call slow.
  s.sandbox.control.setLimits({ callDurationMs: 2_000 });
  const members = Array.from({ length: 600 }, (_, i) => ({ id: `m-bulk-${i}`, name: `Bulk member ${i} ${orgId.slice(4, 10)}`, email: `bulk${i}@example.org` }));
  expect((await apiClient(s.stack, orgId).putContacts(members)).status).toBe(200);
  const contactsNotSynced = async () => {
    const [row] = await s.db.execute<{ n: number }>(sql`
      select count(*)::int as n from sync_state where org_id = ${orgId} and record_type = 'contact' and record_id like 'm-bulk-%' and state <> 'synced'`);
    return row!.n;
  };
  // The pass is under way: its first batches are in Xero, most are still to go.
  await eventually(async () => ((await contactsNotSynced()) < 600 ? true : undefined), { timeoutMs: 30_000 });

  s.sandbox.control.payInvoice(tenantId, xeroInvoiceId, { reference: 'Paid during a push' });
  const pendingWhenPaid = await eventually(async () => {
    const row = await localInvoice(s.db, orgId, 'inv-1');
    return row.xeroStatus === 'PAID' ? { left: await contactsNotSynced() } : undefined;
  }, { timeoutMs: 60_000 });
  // Read back while the push pass still had contacts to send.
  expect(pendingWhenPaid.left).toBeGreaterThan(0);
  expect(await paymentsOf(s.db, orgId, 'inv-1')).toHaveLength(1);

  s.sandbox.control.setLimits({ callDurationMs: 0 });
  await eventually(async () => ((await contactsNotSynced()) === 0 ? true : undefined), { timeoutMs: 60_000 });
  await settled(s, orgId);
  expect(await paymentsOf(s.db, orgId, 'inv-1')).toHaveLength(1);
  expect(s.receiver.eventsFor(orgId, 'invoice.paid')).toHaveLength(1);
});
