/**
 * Credit notes from the platform (`PUT .../credit-notes/{id}`): pushed as AUTHORISED ACCRECCREDIT, part of
 * the credit allocated to an invoice (never above what is due), credit refunded from the organisation's
 * bank account, each step with its own sync state and event; and from Xero back, credit used or voided in
 * Xero, announced once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { bookkeeper, creditNote } from './credit-helpers.ts';
import { connectThroughApi, localInvoice, pushInvoice, settled, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack();
});
afterAll(async () => {
  await s?.close();
});

type Sync = { state: string; xeroId: string | null; lastError: string | null; lastErrorHint: string | null };
type Stored = { sync: Sync; allocation: ({ sync: Sync } & Record<string, unknown>) | null; refund: ({ sync: Sync } & Record<string, unknown>) | null } & Record<string, any>;

async function creditNoteWhen(api: ReturnType<typeof apiClient>, id: string, done: (cn: Stored) => boolean) {
  return eventually(async () => {
    const { status, body } = await api.get('credit-notes', id);
    return status === 200 && done(body as Stored) ? (body as Stored) : undefined;
  });
}

const xeroCreditNote = (tenantId: string, xeroId: string) => (s.sandbox.control.records(tenantId).creditNotes as Array<Record<string, any>>).find((c) => c.CreditNoteID === xeroId)!;
const xeroInvoice = (tenantId: string, xeroId: string) => (s.sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === xeroId)!;
const calls = (tenantId: string, endpoint: string) => s.sandbox.control.counters().calls[tenantId]?.[endpoint] ?? 0;

describe('a credit note allocated to its invoice', () => {
  it('is pushed AUTHORISED, allocates part of its credit, and announces both once', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    const api = apiClient(s.stack, orgId);
    const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-1' }); // 100.00 + 15% = 115.00 due
    const body = creditNote('m-inv-1', 'CN-1', '40.00', { invoiceId: 'inv-1', amount: '30.00' });
    const put = await api.putCreditNote('cn-1', body);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: 'cn-1', number: 'CN-1', sync: { state: 'pending' }, allocation: { invoiceId: 'inv-1', amount: '30.00', sync: { state: 'pending' } }, refund: null });

    const done = await creditNoteWhen(api, 'cn-1', (cn) => cn.sync.state === 'synced' && cn.allocation?.sync.state === 'synced');
    const inXero = xeroCreditNote(tenantId, done.sync.xeroId!);
    expect(inXero).toMatchObject({ Type: 'ACCRECCREDIT', Status: 'AUTHORISED', CreditNoteNumber: 'CN-1', Total: 46, RemainingCredit: 16 });
    expect(inXero.Allocations).toEqual([expect.objectContaining({ AllocationID: done.allocation!.xeroAllocationId, Amount: 30, Invoice: expect.objectContaining({ InvoiceID: xeroInvoiceId }) })]);
    expect(xeroInvoice(tenantId, xeroInvoiceId)).toMatchObject({ AmountCredited: 30, AmountDue: 85 });

    // Xero's webhooks (the invoice's due, the credit left) are read back; our own allocation is not announced twice.
    await settled(s, orgId);
    await eventually(async () => ((await localInvoice(s.db, orgId, 'inv-1')).amountDue === '85.00' ? true : undefined));
    expect((await api.get('credit-notes', 'cn-1')).body).toMatchObject({ xeroStatus: 'AUTHORISED', total: '46.00', remainingCredit: '16.00' });
    const events = s.receiver.eventsFor(orgId).filter((e) => e.type.startsWith('credit_note.'));
    expect(events.map((e) => e.type)).toEqual(['credit_note.synced', 'credit_note.allocated']);
    expect(events[0]!.data).toEqual({ creditNoteId: 'cn-1', creditNoteNumber: 'CN-1', xeroCreditNoteId: done.sync.xeroId, status: 'AUTHORISED', total: '46.00', remainingCredit: '46.00' });
    expect(events[1]!.data).toEqual({
      creditNoteId: 'cn-1',
      creditNoteNumber: 'CN-1',
      xeroCreditNoteId: done.sync.xeroId,
      xeroAllocationId: done.allocation!.xeroAllocationId,
      invoiceId: 'inv-1',
      xeroInvoiceId,
      amount: '30.00',
      date: '2026-11-05',
      source: 'platform',
    });

    // The same body again is no change: nothing more goes to Xero.
    const writes = calls(tenantId, 'POST /CreditNotes') + calls(tenantId, 'PUT /CreditNotes/{CreditNoteID}/Allocations');
    expect(writes).toBe(2); // one push of the credit note, one allocation
    expect((await api.putCreditNote('cn-1', body)).status).toBe(200);
    await settled(s, orgId);
    expect(calls(tenantId, 'POST /CreditNotes') + calls(tenantId, 'PUT /CreditNotes/{CreditNoteID}/Allocations')).toBe(writes);
    // An allocation Xero has made cannot be changed.
    const changed = await api.putCreditNote('cn-1', { ...body, amount: '10.00' });
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ code: 'credit_in_xero' });
  });

  it('refuses an allocation above what is due: before storing it when we know, and keeps Xero\'s refusal with a hint when only Xero knew', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    const api = apiClient(s.stack, orgId);
    const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-2' });
    const tooMuch = await api.putCreditNote('cn-big', creditNote('m-inv-2', 'CN-BIG', '200.00', { invoiceId: 'inv-2', amount: '150.00' }));
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ code: 'allocation_refused', errors: [{ path: 'body.amount', message: expect.stringMatching(/more than invoice INV-inv-2 has due in Xero \(115\.00\)/) }] });
    expect((await api.get('credit-notes', 'cn-big')).status).toBe(404);
    const unknown = await api.putCreditNote('cn-x', creditNote('m-inv-2', 'CN-X', '10.00', { invoiceId: 'no-such-invoice', amount: '5.00' }));
    expect(unknown).toMatchObject({ status: 422, body: { errors: [{ path: 'body.invoiceId' }] } });

    // Paid in Xero while its webhooks are not reaching us: 100 of 115 paid, we still think 115 is due.
    await settled(s, orgId);
    s.sandbox.control.setWebhook({ enabled: false });
    try {
      s.sandbox.control.payInvoice(tenantId, xeroInvoiceId, { amount: 100 });
      expect((await api.putCreditNote('cn-2', creditNote('m-inv-2', 'CN-2', '50.00', { invoiceId: 'inv-2', amount: '40.00' }))).status).toBe(200);
      const refused = await creditNoteWhen(api, 'cn-2', (cn) => cn.allocation?.sync.state === 'failed');
      expect(refused.sync.state).toBe('synced');
      expect(refused.allocation!.sync.lastError).toBe('Credit Note cannot be allocated as amount is greater than amount outstanding');
      expect(refused.allocation!.sync.lastErrorHint).toMatch(/allocate less, and refund the rest/);
      expect(xeroCreditNote(tenantId, refused.sync.xeroId!)).toMatchObject({ RemainingCredit: 57.5, Allocations: [] });
    } finally {
      s.sandbox.control.setWebhook({ enabled: true });
    }
  });
});

describe('a refund taken in the platform', () => {
  it('is the credit note plus its refund, paid from the organisation\'s bank account', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    const api = apiClient(s.stack, orgId);
    expect((await api.putContact('m-r', { name: `Refunded ${orgId.slice(4, 10)}` })).status).toBe(200);
    const put = await api.putCreditNote('cn-r', creditNote('m-r', 'CN-R', '40.00', { refund: { amount: '46.00', date: '2026-11-07', reference: 'Refund to card' } }));
    expect(put.status).toBe(200);
    const done = await creditNoteWhen(api, 'cn-r', (cn) => cn.refund?.sync.state === 'synced');
    expect(done.refund).toMatchObject({ amount: '46.00', date: '2026-11-07', reference: 'Refund to card', xeroPaymentId: expect.any(String) });

    const payment = (s.sandbox.control.records(tenantId).payments as Array<Record<string, any>>).find((p) => p.PaymentID === done.refund!.xeroPaymentId)!;
    expect(payment).toMatchObject({ PaymentType: 'ARCREDITPAYMENT', Amount: 46, Reference: 'Refund to card', Account: { Code: '090' }, CreditNote: { CreditNoteID: done.sync.xeroId } });
    expect(xeroCreditNote(tenantId, done.sync.xeroId!)).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
    await settled(s, orgId);
    expect((await api.get('credit-notes', 'cn-r')).body).toMatchObject({ xeroStatus: 'PAID', remainingCredit: '0.00' });
    const refunded = s.receiver.eventsFor(orgId, 'credit_note.refunded');
    expect(refunded).toHaveLength(1);
    expect(refunded[0]!.data).toMatchObject({ creditNoteId: 'cn-r', xeroPaymentId: done.refund!.xeroPaymentId, amount: '46.00', bankAccountCode: '090', source: 'platform' });
  });

  it('fails a refund clearly while no bank account is set, and an admin retry pays it once one is', async () => {
    const { orgId, tenantId } = await connectThroughApi(s, { bankAccountCode: null });
    const api = apiClient(s.stack, orgId);
    await api.putContact('m-nb', { name: `No bank ${orgId.slice(4, 10)}` });
    await api.putCreditNote('cn-nb', creditNote('m-nb', 'CN-NB', '10.00', { refund: { amount: '11.50', date: '2026-11-07' } }));
    const failed = await creditNoteWhen(api, 'cn-nb', (cn) => cn.refund?.sync.state === 'failed');
    expect(failed.refund!.sync).toMatchObject({ lastError: 'No bank account is set for payments and refunds.', lastErrorHint: expect.stringMatching(/Choose the bank account/) });
    expect(calls(tenantId, 'PUT /Payments')).toBe(0);

    expect((await integrationApi(s.stack, orgId).putSettings({ bankAccountCode: '090' })).status).toBe(200);
    const retried = await apiClient(s.stack, orgId, 'platform_admin').call('POST', `/api/admin/integrations/xero/${orgId}/retry`, { sync_type: 'credit_refund' });
    expect(retried).toMatchObject({ status: 202, body: { requeued: 1 } });
    const paid = await creditNoteWhen(api, 'cn-nb', (cn) => cn.refund?.sync.state === 'synced');
    expect(xeroCreditNote(tenantId, paid.sync.xeroId!)).toMatchObject({ Status: 'PAID', Payments: [expect.objectContaining({ PaymentID: paid.refund!.xeroPaymentId, Amount: 11.5 })] });
  });
});

describe('credit notes from Xero back (CREDITNOTE webhooks)', () => {
  it('announces credit allocated and a credit note voided in Xero, once each', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    const api = apiClient(s.stack, orgId);
    const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-3' });
    await api.putCreditNote('cn-3', creditNote('m-inv-3', 'CN-3', '20.00'));
    await api.putCreditNote('cn-4', creditNote('m-inv-3', 'CN-4', '10.00'));
    const cn3 = await creditNoteWhen(api, 'cn-3', (cn) => cn.sync.state === 'synced');
    const cn4 = await creditNoteWhen(api, 'cn-4', (cn) => cn.sync.state === 'synced');
    await settled(s, orgId);
    const reads = () => calls(tenantId, 'GET /CreditNotes');
    const readsBefore = reads();

    const xero = await bookkeeper(s.sandbox, tenantId);
    const allocated = await xero.allocate(cn3.sync.xeroId!, xeroInvoiceId, 10);
    await xero.voidCreditNote(cn4.sync.xeroId!);
    await eventually(async () => ((await api.get('credit-notes', 'cn-4')).body.xeroStatus === 'VOIDED' ? true : undefined));
    await eventually(async () => ((await api.get('credit-notes', 'cn-3')).body.remainingCredit === '13.00' ? true : undefined));
    await settled(s, orgId);
    expect(reads()).toBeGreaterThan(readsBefore);

    const events = s.receiver.eventsFor(orgId).filter((e) => e.type === 'credit_note.allocated' || e.type === 'credit_note.voided');
    expect(events.map((e) => e.type).sort()).toEqual(['credit_note.allocated', 'credit_note.voided']);
    expect(events.find((e) => e.type === 'credit_note.allocated')!.data).toEqual({
      creditNoteId: 'cn-3',
      creditNoteNumber: 'CN-3',
      xeroCreditNoteId: cn3.sync.xeroId,
      xeroAllocationId: allocated.Allocations[0].AllocationID,
      invoiceId: 'inv-3',
      xeroInvoiceId,
      amount: '10.00',
      date: '2026-11-20',
      source: 'xero',
    });
    expect(events.find((e) => e.type === 'credit_note.voided')!.data).toEqual({ creditNoteId: 'cn-4', creditNoteNumber: 'CN-4', xeroCreditNoteId: cn4.sync.xeroId, xeroStatus: 'VOIDED' });
  });
});

describe('what a credit note body may say', () => {
  it('refuses discounts (Xero takes none on credit notes) and an amount without its invoice, naming the field', async () => {
    const { orgId } = await connectThroughApi(s);
    const api = apiClient(s.stack, orgId);
    const discounted = await api.putCreditNote('cn-d', { ...creditNote('m', 'CN-D', '10.00'), lines: [{ description: 'Fee', quantity: 1, unitAmount: '10.00', discountRate: 10 }] });
    expect(discounted.status).toBe(422);
    expect(discounted.body.errors).toEqual([{ path: 'body.lines.0.discountRate', message: 'Xero takes no discounts on credit notes: put the discounted price in unitAmount' }]);
    const orphan = await api.putCreditNote('cn-o', creditNote('m', 'CN-O', '10.00', { amount: '5.00' }));
    expect(orphan.body.errors).toEqual([{ path: 'body.invoiceId', message: 'the invoice to allocate amount to' }]);
  });
});
