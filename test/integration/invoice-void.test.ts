/**
 * Voiding invoices from the platform (`POST .../invoices/{id}/void`): a draft is deleted in Xero, an
 * approved one voided, each once and announced; an invoice with money on it is refused (credit it instead),
 * by us when we know, by Xero when only Xero knows (its refusal kept with a hint). And from Xero back: an
 * invoice deleted there is announced once as `invoice.deleted_in_xero`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { syncState } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { connectThroughApi, localInvoice, pushInvoice, settled, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';
import { postWebhook, xeroDelivery, xeroEvent, xeroSignature } from './webhooks-helpers.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack();
});
afterAll(async () => {
  await s?.close();
});

const CREDIT_IT_INSTEAD = 'This invoice has payments in Xero: credit it instead (PUT /api/orgs/{orgId}/credit-notes/{id})';

async function invoiceSync(orgId: string, invoiceId: string) {
  const [row] = await s.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'invoice'), eq(syncState.recordId, invoiceId)));
  return row!;
}

const inXero = (tenantId: string, xeroId: string) => (s.sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === xeroId)!;
const invoiceWrites = (tenantId: string) => {
  const calls = s.sandbox.control.counters().calls[tenantId] ?? {};
  return (calls['POST /Invoices'] ?? 0) + (calls['PUT /Invoices'] ?? 0);
};

describe('voiding an invoice from the platform', () => {
  it('deletes a draft in Xero and voids an approved invoice, once each, and tells the main app', async () => {
    for (const [createdAs, expected] of [['DRAFT', 'DELETED'], ['AUTHORISED', 'VOIDED']] as const) {
      const { orgId, tenantId } = await connectThroughApi(s, { invoiceStatus: createdAs });
      const api = apiClient(s.stack, orgId);
      const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-1' });
      expect(inXero(tenantId, xeroInvoiceId).Status).toBe(createdAs);
      // An approved invoice gets its online link right after the push (announced as invoice.synced).
      if (createdAs === 'AUTHORISED') await eventually(async () => (await localInvoice(s.db, orgId, 'inv-1')).onlineInvoiceUrl);

      const voided = await api.voidInvoice('inv-1');
      expect(voided.status).toBe(202);
      expect(voided.body).toMatchObject({ id: 'inv-1', number: 'INV-inv-1', voidRequestedAt: expect.any(String), sync: { state: 'pending' } });
      // The invoice keeps what it said.
      expect((voided.body.lines as unknown[]).length).toBe(1);
      await eventually(async () => ((await invoiceSync(orgId, 'inv-1')).state === 'synced' && inXero(tenantId, xeroInvoiceId).Status === expected ? true : undefined));
      expect(await localInvoice(s.db, orgId, 'inv-1')).toMatchObject({ xeroStatus: expected });
      await settled(s, orgId);

      // Asked again: nothing more is sent.
      const writes = invoiceWrites(tenantId);
      const again = await api.voidInvoice('inv-1');
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ sync: { state: 'synced' } });
      // A voided invoice cannot change.
      const edit = await api.putInvoice('inv-1', { contactId: 'm-inv-1', number: 'INV-inv-1', date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Changed', quantity: 1, unitAmount: '5.00' }] });
      expect(edit.status).toBe(409);
      expect(edit.body).toMatchObject({ code: 'invoice_voided' });
      await settled(s, orgId);
      expect(invoiceWrites(tenantId)).toBe(writes);

      const events = s.receiver.eventsFor(orgId).filter((e) => e.type.startsWith('invoice.'));
      expect(events.map((e) => e.type)).toEqual(['invoice.synced', 'invoice.voided'].slice(createdAs === 'DRAFT' ? 1 : 0));
      expect(events.at(-1)!.data).toEqual({ invoiceId: 'inv-1', invoiceNumber: 'INV-inv-1', xeroInvoiceId, xeroStatus: expected, source: 'platform' });
    }
  });

  it('leaves Xero alone for an invoice that never reached it', async () => {
    const { orgId, tenantId } = await connectThroughApi(s, { autoSyncInvoices: false });
    const api = apiClient(s.stack, orgId);
    await api.putContact('m', { name: `Never pushed ${orgId.slice(4, 10)}` });
    await api.putInvoice('inv-off', { contactId: 'm', number: 'OFF-1', date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Fee', quantity: 1, unitAmount: '10.00' }] });
    const voided = await api.voidInvoice('inv-off');
    expect(voided.status).toBe(202);
    expect(voided.body).toMatchObject({ sync: { state: 'skipped', xeroId: null } });
    await settled(s, orgId);
    expect(s.sandbox.control.records(tenantId).invoices).toHaveLength(0);
  });

  it('refuses an invoice with payments (409, credit it instead); one only Xero knows about is refused by Xero, kept with a hint', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    const api = apiClient(s.stack, orgId);
    await pushInvoice(s, orgId, { invoiceId: 'paid-here' });
    expect((await api.postPayment({ id: 'rcpt-1', invoiceId: 'paid-here', amount: '20.00', date: '2026-11-10' })).status).toBe(201);
    const refused = await api.voidInvoice('paid-here');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'invoice_has_payments', detail: CREDIT_IT_INSTEAD });
    expect((await localInvoice(s.db, orgId, 'paid-here')).voidRequestedAt).toBeNull();

    // Paid in Xero while its webhooks are not reaching us: our records do not know yet, Xero does.
    const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'paid-there' });
    await settled(s, orgId);
    s.sandbox.control.setWebhook({ enabled: false });
    try {
      s.sandbox.control.payInvoice(tenantId, xeroInvoiceId, { amount: 30, reference: 'At the desk' });
      expect((await api.voidInvoice('paid-there')).status).toBe(202);
      const failed = await eventually(async () => {
        const sync = await invoiceSync(orgId, 'paid-there');
        return sync.state === 'failed' ? sync : undefined;
      });
      expect(failed.lastError).toBe('The status VOIDED cannot be applied to the invoice because it has payments or credit notes allocated to it.');
      expect(failed.lastErrorHint).toMatch(/credit it instead \(PUT \/api\/orgs\/\{orgId\}\/credit-notes\/\{id\}\)/);
      expect(inXero(tenantId, xeroInvoiceId)).toMatchObject({ Status: 'AUTHORISED', AmountPaid: 30 });
    } finally {
      s.sandbox.control.setWebhook({ enabled: true });
    }
  });
});

describe('an invoice voided or deleted in Xero', () => {
  it('is announced once: invoice.deleted_in_xero for a deleted draft, invoice.voided for a voided one', async () => {
    const drafts = await connectThroughApi(s, { invoiceStatus: 'DRAFT' });
    const draft = await pushInvoice(s, drafts.orgId, { invoiceId: 'd-1' });
    const approved = await connectThroughApi(s);
    const authorised = await pushInvoice(s, approved.orgId, { invoiceId: 'a-1' });
    await settled(s, drafts.orgId);
    await settled(s, approved.orgId);

    s.sandbox.control.updateInvoice(drafts.tenantId, draft.xeroInvoiceId, { Status: 'DELETED' });
    s.sandbox.control.updateInvoice(approved.tenantId, authorised.xeroInvoiceId, { Status: 'VOIDED' });
    await eventually(async () => ((await localInvoice(s.db, drafts.orgId, 'd-1')).xeroStatus === 'DELETED' ? true : undefined));
    await eventually(async () => ((await localInvoice(s.db, approved.orgId, 'a-1')).xeroStatus === 'VOIDED' ? true : undefined));
    // Xero announces the same invoices again (a later event): read again, not announced again.
    const reads = () => s.sandbox.control.counters().calls[drafts.tenantId]?.['GET /Invoices'] ?? 0;
    const readsBefore = reads();
    const again = xeroDelivery([
      xeroEvent({ tenantId: drafts.tenantId, resourceId: draft.xeroInvoiceId, eventDateUtc: '2026-12-24T09:00:00.000' }),
      xeroEvent({ tenantId: approved.tenantId, resourceId: authorised.xeroInvoiceId, eventDateUtc: '2026-12-24T09:00:00.000' }),
    ]);
    expect((await postWebhook(`${s.stack.apiUrl}${s.stack.env.WEBHOOK_PATH}`, again, xeroSignature(again, s.stack.env.XERO_WEBHOOK_KEY!))).status).toBe(200);
    await eventually(async () => (reads() > readsBefore ? true : undefined));
    await settled(s, drafts.orgId);
    await settled(s, approved.orgId);

    const deleted = s.receiver.eventsFor(drafts.orgId, 'invoice.deleted_in_xero');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]!.data).toEqual({ invoiceId: 'd-1', invoiceNumber: 'INV-d-1', xeroInvoiceId: draft.xeroInvoiceId });
    const voided = s.receiver.eventsFor(approved.orgId, 'invoice.voided');
    expect(voided).toHaveLength(1);
    expect(voided[0]!.data).toMatchObject({ invoiceId: 'a-1', xeroInvoiceId: authorised.xeroInvoiceId, xeroStatus: 'VOIDED', source: 'xero' });
  });
});
