/** Credit notes: batches, statuses, allocations under Xero's rules, refunds as payments, reading them back, webhooks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

const KEY = 'credit-note-webhooks';
let h: Harness;
let receiver: Receiver;
let contactId: string;
beforeEach(async () => {
  receiver = await startReceiver(KEY);
  h = await startHarness({ webhook: { url: receiver.url, key: KEY }, webhookBatchMs: 10 });
  contactId = (await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Refunded Member' }] } })).body.Contacts[0].ContactID;
});
afterEach(async () => {
  await h.close();
  await receiver.close();
});

const line = { Description: 'Membership refund', Quantity: 1, UnitAmount: 40, AccountCode: '200', TaxType: 'OUTPUT2' };
const note = (extra: Record<string, unknown> = {}) => ({ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, Date: '2026-02-01', Status: 'AUTHORISED', LineItems: [line], ...extra });
async function check(method: string, path: string, template: string, body?: unknown) {
  const res = await h.api(method, path, body === undefined ? {} : { body });
  expect(validateAccountingResponse(method, template, res.status, res.body).errors).toEqual([]);
  return res;
}
async function createNote(extra: Record<string, unknown> = {}) {
  const res = await check('PUT', '/CreditNotes', '/CreditNotes', { CreditNotes: [note(extra)] });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.CreditNotes[0];
}
const allocate = (id: string, InvoiceID: string, Amount: number) =>
  check('PUT', `/CreditNotes/${id}/Allocations?summarizeErrors=false`, '/CreditNotes/{CreditNoteID}/Allocations', { Allocations: [{ Invoice: { InvoiceID }, Amount, Date: '2026-02-02' }] });
const refund = (CreditNoteID: string, Amount: number, Code = '090') =>
  check('PUT', '/Payments?summarizeErrors=false', '/Payments', { Payments: [{ CreditNote: { CreditNoteID }, Account: { Code }, Amount, Date: '2026-02-03', Reference: 'Refund' }] });
const messages = (element: { ValidationErrors?: Array<{ Message: string }> }) => element.ValidationErrors?.map((e) => e.Message);

describe('creating and changing credit notes', () => {
  it('creates a batch with summarizeErrors=false, numbering CN-0001, with lines like invoices', async () => {
    const res = await check('PUT', '/CreditNotes?summarizeErrors=false', '/CreditNotes', { CreditNotes: [
      note({ LineItems: [{ ItemCode: 'MEMBER-JUNIOR', Quantity: 1, Tracking: [{ Name: 'Region', Option: 'North' }] }] }),
      note({ LineItems: [{ ...line, AccountCode: '999' }] }),
      note({ LineAmountTypes: 'Inclusive', Status: 'DRAFT', LineItems: [{ ...line, UnitAmount: 46 }] }),
    ] });
    const [ok, bad, inclusive] = res.body.CreditNotes;
    expect(ok).toMatchObject({ StatusAttributeString: 'OK', CreditNoteNumber: 'CN-0001', Total: 69, RemainingCredit: 69, Status: 'AUTHORISED' });
    expect(ok.LineItems[0]).toMatchObject({ Description: 'Annual junior membership', UnitAmount: 60, Tracking: [expect.objectContaining({ Option: 'North' })] });
    expect(bad).toMatchObject({ StatusAttributeString: 'ERROR', CreditNoteID: '00000000-0000-0000-0000-000000000000' });
    expect(messages(bad)).toEqual(["Account code '999' is not a valid code for this document."]);
    expect(inclusive).toMatchObject({ SubTotal: 40, TotalTax: 6, Total: 46, Status: 'DRAFT', CreditNoteNumber: 'CN-0002' });
  });

  it('replays a PUT with the same Idempotency-Key without creating it twice', async () => {
    const body = { CreditNotes: [note()] };
    const first = await h.api('PUT', '/CreditNotes', { body, headers: { 'Idempotency-Key': 'cn-1' } });
    const again = await h.api('PUT', '/CreditNotes', { body, headers: { 'Idempotency-Key': 'cn-1' } });
    expect(again.headers.get('x-sandbox-idempotent-replay')).toBe('true');
    expect(again.body.CreditNotes[0].CreditNoteID).toBe(first.body.CreditNotes[0].CreditNoteID);
    expect((await h.api('GET', '/CreditNotes')).body.CreditNotes).toHaveLength(1);
  });

  it('moves through Xero\'s statuses: approve a draft, update by number, void, delete; refuses voiding used credit', async () => {
    const draft = await createNote({ Status: 'DRAFT' });
    const approved = await check('POST', `/CreditNotes/${draft.CreditNoteID}`, '/CreditNotes/{CreditNoteID}', { CreditNotes: [{ Status: 'AUTHORISED', Reference: 'R-1' }] });
    expect(approved.body.CreditNotes[0]).toMatchObject({ Status: 'AUTHORISED', Reference: 'R-1' });
    const byNumber = await check('POST', '/CreditNotes', '/CreditNotes', { CreditNotes: [{ CreditNoteNumber: draft.CreditNoteNumber, Reference: 'R-2' }] });
    expect(byNumber.body.CreditNotes[0]).toMatchObject({ CreditNoteID: draft.CreditNoteID, Reference: 'R-2' });
    const voided = await check('POST', `/CreditNotes/${draft.CreditNoteID}`, '/CreditNotes/{CreditNoteID}', { CreditNotes: [{ Status: 'VOIDED' }] });
    expect(voided.body.CreditNotes[0]).toMatchObject({ Status: 'VOIDED', RemainingCredit: 0 });

    const other = await createNote({ Status: 'DRAFT' });
    expect((await h.api('POST', `/CreditNotes/${other.CreditNoteID}`, { body: { CreditNotes: [{ Status: 'DELETED' }] } })).body.CreditNotes[0].Status).toBe('DELETED');
    expect((await h.api('GET', '/CreditNotes')).body.CreditNotes.map((c: { Status: string }) => c.Status)).toEqual(['VOIDED']);

    const used = await createNote();
    await refund(used.CreditNoteID, 10);
    const refused = await h.api('POST', `/CreditNotes/${used.CreditNoteID}`, { body: { CreditNotes: [{ Status: 'VOIDED' }] } });
    expect(refused.status).toBe(400);
    expect(refused.body.Elements[0].ValidationErrors[0].Message).toBe('The status VOIDED cannot be applied to the credit note because it has payments or credit notes allocated to it.');
    const edit = await h.api('POST', `/CreditNotes/${used.CreditNoteID}`, { body: { CreditNotes: [{ LineItems: [{ ...line, UnitAmount: 5 }] }] } });
    expect(edit.body.Elements[0].ValidationErrors[0].Message).toBe('This document cannot be edited as it has a payment or credit note allocated to it.');
  });
});

describe('allocating credit to invoices', () => {
  it('applies credit up to what is left and what is due, settling both documents', async () => {
    const { invoice } = await seedInvoice(h, { Contact: { ContactID: contactId } }); // 115 due
    const cn = await createNote({ LineItems: [{ ...line, UnitAmount: 100 }] }); // 115 credit
    const part = await allocate(cn.CreditNoteID, invoice.InvoiceID, 15);
    expect(part.body.Allocations[0]).toMatchObject({ Amount: 15, StatusAttributeString: 'OK', Invoice: { InvoiceID: invoice.InvoiceID }, CreditNote: { CreditNoteID: cn.CreditNoteID } });
    expect((await h.api('GET', `/Invoices/${invoice.InvoiceID}`)).body.Invoices[0]).toMatchObject({ Status: 'AUTHORISED', AmountCredited: 15, AmountDue: 100 });
    expect((await h.api('GET', `/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0]).toMatchObject({ Status: 'AUTHORISED', RemainingCredit: 100 });
    await allocate(cn.CreditNoteID, invoice.InvoiceID, 100);
    expect((await h.api('GET', `/Invoices/${invoice.InvoiceID}`)).body.Invoices[0]).toMatchObject({ Status: 'PAID', AmountDue: 0 });
    const settled = (await h.api('GET', `/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0];
    expect(settled).toMatchObject({ Status: 'PAID', RemainingCredit: 0, FullyPaidOnDate: '/Date(1769990400000+0000)/' });
    expect(settled.Allocations.map((a: { Amount: number }) => a.Amount)).toEqual([15, 100]);
  });

  it('refuses with Xero\'s messages: more than left or due, a paid invoice, a draft credit note, another contact or type', async () => {
    const { invoice } = await seedInvoice(h, { Contact: { ContactID: contactId } }); // 115 due
    const small = await createNote(); // 46 credit
    const big = await createNote({ LineItems: [{ ...line, UnitAmount: 200 }] }); // 230 credit
    expect(messages((await allocate(small.CreditNoteID, invoice.InvoiceID, 50)).body.Allocations[0])).toEqual(['Credit Note cannot be allocated as amount is greater than amount outstanding']);
    expect(messages((await allocate(big.CreditNoteID, invoice.InvoiceID, 116)).body.Allocations[0])).toEqual(['Credit Note cannot be allocated as amount is greater than amount outstanding']);
    h.sandbox.control.payInvoice(h.tenantId, invoice.InvoiceID);
    expect(messages((await allocate(big.CreditNoteID, invoice.InvoiceID, 1)).body.Allocations[0])).toEqual(['The invoice you are trying to allocate to has already been paid off']);

    const { invoice: stranger } = await seedInvoice(h);
    expect(messages((await allocate(big.CreditNoteID, stranger.InvoiceID, 1)).body.Allocations[0])).toEqual(['The invoice and credit note must be for the same contact.']);
    const { invoice: bill } = await seedInvoice(h, { Type: 'ACCPAY', InvoiceNumber: 'B-9', Contact: { ContactID: contactId }, LineItems: [{ Description: 'Print', Quantity: 1, UnitAmount: 10, AccountCode: '461' }] });
    expect(messages((await allocate(big.CreditNoteID, bill.InvoiceID, 1)).body.Allocations[0])).toEqual(['Credit Note cannot be allocated to an incorrect invoice type']);
    const draft = await createNote({ Status: 'DRAFT' });
    const { invoice: open } = await seedInvoice(h, { Contact: { ContactID: contactId } });
    expect(messages((await allocate(draft.CreditNoteID, open.InvoiceID, 1)).body.Allocations[0])).toEqual(['Credit notes can only be allocated when they are AUTHORISED.']);

    const summarised = await h.api('PUT', `/CreditNotes/${small.CreditNoteID}/Allocations`, { body: { Allocations: [{ Invoice: { InvoiceID: open.InvoiceID }, Amount: 500, Date: '2026-02-02' }] } });
    expect(summarised.status).toBe(400);
    expect(summarised.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
  });
});

describe('refunds', () => {
  it('pays remaining credit out of a bank account: RemainingCredit falls, PAID at 0; deleting the refund gives it back', async () => {
    const cn = await createNote(); // 46
    const part = await refund(cn.CreditNoteID, 20);
    const payment = part.body.Payments[0];
    expect(payment).toMatchObject({ StatusAttributeString: 'OK', Amount: 20, PaymentType: 'ARCREDITPAYMENT', Account: { Code: '090' }, CreditNote: { CreditNoteID: cn.CreditNoteID, CreditNoteNumber: cn.CreditNoteNumber } });
    let current = (await h.api('GET', `/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0];
    expect(current).toMatchObject({ Status: 'AUTHORISED', RemainingCredit: 26 });
    expect(current.Payments.map((p: { Amount: number }) => p.Amount)).toEqual([20]);
    await refund(cn.CreditNoteID, 26);
    current = (await h.api('GET', `/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0];
    expect(current).toMatchObject({ Status: 'PAID', RemainingCredit: 0, FullyPaidOnDate: '/Date(1770076800000+0000)/' });
    expect((await h.api('GET', `/Payments?where=${encodeURIComponent(`CreditNote.CreditNoteID==Guid("${cn.CreditNoteID}")`)}`)).body.Payments).toHaveLength(2);

    await h.api('POST', `/Payments/${payment.PaymentID}`, { body: { Status: 'DELETED' } });
    expect((await h.api('GET', `/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0]).toMatchObject({ Status: 'AUTHORISED', RemainingCredit: 20 });
  });

  it('refuses more than the credit left, a draft credit note and a non-bank account', async () => {
    const cn = await createNote();
    expect(messages((await refund(cn.CreditNoteID, 46.01)).body.Payments[0])).toEqual(['Payment amount exceeds the amount outstanding on this document']);
    expect(messages((await refund(cn.CreditNoteID, 5, '200')).body.Payments[0])).toEqual(['Payments can only be made to bank accounts or accounts with payments enabled.']);
    const draft = await createNote({ Status: 'DRAFT' });
    expect(messages((await refund(draft.CreditNoteID, 5)).body.Payments[0])).toEqual(['Payments can only be made against Authorised documents']);
  });
});

describe('reading credit notes', () => {
  it('filters by where, pages with line items, honours If-Modified-Since and orders', async () => {
    const first = await createNote({ Reference: 'first' });
    const since = new Date(Number(/\d+/.exec(first.UpdatedDateUTC)![0])).toISOString();
    h.sandbox.control.advanceClock(1000);
    const second = await createNote({ Reference: 'second', Status: 'DRAFT' });
    const list = await check('GET', '/CreditNotes', '/CreditNotes');
    expect(list.body.CreditNotes).toHaveLength(2);
    expect(list.body.CreditNotes[0].LineItems).toBeUndefined();
    const where = `Contact.ContactID==Guid("${contactId}") AND Status=="DRAFT"`;
    expect((await h.api('GET', `/CreditNotes?where=${encodeURIComponent(where)}`)).body.CreditNotes.map((c: { Reference: string }) => c.Reference)).toEqual(['second']);
    const paged = await check('GET', '/CreditNotes?page=1&pageSize=1&order=CreditNoteNumber DESC', '/CreditNotes');
    expect(paged.body.pagination).toEqual({ page: 1, pageSize: 1, pageCount: 2, itemCount: 2 });
    expect(paged.body.CreditNotes[0]).toMatchObject({ CreditNoteID: second.CreditNoteID, LineItems: [expect.objectContaining({ LineAmount: 40 })] });
    const changed = await h.api('GET', '/CreditNotes', { headers: { 'If-Modified-Since': since } });
    expect(changed.body.CreditNotes.map((c: { Reference: string }) => c.Reference)).toEqual(['second']);
    expect((await h.api('GET', '/CreditNotes/00000000-0000-0000-0000-000000000001')).status).toBe(404);
  });

  it('announces creation and every change of credit as CREDITNOTE webhooks', async () => {
    const { invoice } = await seedInvoice(h, { Contact: { ContactID: contactId } });
    await h.sandbox.control.flushWebhooks();
    receiver.received.length = 0;
    const cn = await createNote();
    await allocate(cn.CreditNoteID, invoice.InvoiceID, 10);
    await refund(cn.CreditNoteID, 10);
    await h.sandbox.control.flushWebhooks();
    const events = receiver.received.flatMap((r) => r.body.events)
      .filter((e: { eventCategory: string }) => e.eventCategory === 'CREDITNOTE')
      .map((e: { eventType: string; resourceId: string; resourceUrl: string }) => [e.eventType, e.resourceId]);
    expect(events).toEqual([['CREATE', cn.CreditNoteID], ['UPDATE', cn.CreditNoteID], ['UPDATE', cn.CreditNoteID]]);
  });
});
