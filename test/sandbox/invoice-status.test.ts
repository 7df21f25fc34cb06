/** Voiding and deleting invoices: Xero's table of valid status changes, money allocated first, webhooks. */
import { afterEach, describe, expect, it } from 'vitest';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

const KEY = 'status-webhook-key';
let h: Harness;
let receiver: Receiver;
afterEach(async () => {
  await h.close();
  await receiver.close();
});

async function setup() {
  receiver = await startReceiver(KEY);
  h = await startHarness({ webhook: { url: receiver.url, key: KEY }, webhookBatchMs: 10 });
}
const setStatus = (id: string, Status: string) => h.api('POST', `/Invoices/${id}`, { body: { Invoices: [{ InvoiceID: id, Status }] } });
const refusal = (res: { status: number; body: any }) => (res.status === 400 ? res.body.Elements[0].ValidationErrors[0].Message : `status ${res.status}`);
const NOT_VALID = 'Invoice not of valid status for modification';
const HAS_MONEY = (status: string) => `The status ${status} cannot be applied to the invoice because it has payments or credit notes allocated to it.`;

describe('voiding and deleting invoices', () => {
  it('deletes a DRAFT or SUBMITTED invoice and voids an AUTHORISED one without payments, each an INVOICE UPDATE', async () => {
    await setup();
    const { invoice: draft } = await seedInvoice(h, { Status: 'DRAFT' });
    const { invoice: submitted } = await seedInvoice(h, { Status: 'SUBMITTED' });
    const { invoice: authorised } = await seedInvoice(h);
    await h.sandbox.control.flushWebhooks();
    receiver.received.length = 0;

    expect((await setStatus(draft.InvoiceID, 'DELETED')).body.Invoices[0]).toMatchObject({ Status: 'DELETED', AmountDue: 0 });
    expect((await setStatus(submitted.InvoiceID, 'DELETED')).body.Invoices[0].Status).toBe('DELETED');
    const voided = (await setStatus(authorised.InvoiceID, 'VOIDED')).body.Invoices[0];
    expect(voided).toMatchObject({ Status: 'VOIDED', AmountDue: 0, Total: 115 });
    expect((await h.api('GET', `/Invoices/${authorised.InvoiceID}`)).body.Invoices[0].Status).toBe('VOIDED');

    await h.sandbox.control.flushWebhooks();
    const events = receiver.received.flatMap((r) => r.body.events).map((e: { eventCategory: string; eventType: string; resourceId: string }) => [e.eventCategory, e.eventType, e.resourceId]);
    expect(events).toEqual([['INVOICE', 'UPDATE', draft.InvoiceID], ['INVOICE', 'UPDATE', submitted.InvoiceID], ['INVOICE', 'UPDATE', authorised.InvoiceID]]);
  });

  it('refuses changes outside the table: void a draft, delete an approved invoice, anything once voided or deleted', async () => {
    await setup();
    const { invoice: draft } = await seedInvoice(h, { Status: 'DRAFT' });
    const { invoice: authorised } = await seedInvoice(h);
    expect(refusal(await setStatus(draft.InvoiceID, 'VOIDED'))).toBe(NOT_VALID);
    expect(refusal(await setStatus(authorised.InvoiceID, 'DELETED'))).toBe(NOT_VALID);
    expect(refusal(await setStatus(authorised.InvoiceID, 'DRAFT'))).toBe(NOT_VALID);
    await setStatus(authorised.InvoiceID, 'VOIDED');
    expect(refusal(await setStatus(authorised.InvoiceID, 'AUTHORISED'))).toBe(NOT_VALID);
    expect(refusal(await setStatus(authorised.InvoiceID, 'VOIDED'))).toBe(NOT_VALID);
    await setStatus(draft.InvoiceID, 'DELETED');
    expect(refusal(await setStatus(draft.InvoiceID, 'DRAFT'))).toBe(NOT_VALID);
  });

  it('refuses to void an invoice with a payment or allocated credit, naming the status; a paid one too', async () => {
    await setup();
    const { invoice: partPaid } = await seedInvoice(h);
    h.sandbox.control.payInvoice(h.tenantId, partPaid.InvoiceID, { amount: 15 });
    expect(refusal(await setStatus(partPaid.InvoiceID, 'VOIDED'))).toBe(HAS_MONEY('VOIDED'));
    expect(refusal(await setStatus(partPaid.InvoiceID, 'DRAFT'))).toBe(HAS_MONEY('DRAFT'));

    const { invoice: credited, contactId } = await seedInvoice(h);
    const note = (await h.api('PUT', '/CreditNotes', { body: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, Status: 'AUTHORISED', LineItems: [{ Description: 'Credit', Quantity: 1, UnitAmount: 10, AccountCode: '200' }] }] } })).body.CreditNotes[0];
    await h.api('PUT', `/CreditNotes/${note.CreditNoteID}/Allocations`, { body: { Allocations: [{ Invoice: { InvoiceID: credited.InvoiceID }, Amount: 11.5, Date: '2026-01-20' }] } });
    expect(refusal(await setStatus(credited.InvoiceID, 'VOIDED'))).toBe(HAS_MONEY('VOIDED'));

    const { invoice: paid } = await seedInvoice(h);
    h.sandbox.control.payInvoice(h.tenantId, paid.InvoiceID);
    expect(refusal(await setStatus(paid.InvoiceID, 'VOIDED'))).toBe(HAS_MONEY('VOIDED'));
    expect(refusal(await setStatus(paid.InvoiceID, 'AUTHORISED'))).toBe(NOT_VALID);

    // Once the payment is deleted the invoice can be voided.
    const payment = (await h.api('GET', `/Invoices/${partPaid.InvoiceID}`)).body.Invoices[0].Payments[0];
    await h.api('POST', `/Payments/${payment.PaymentID}`, { body: { Status: 'DELETED' } });
    expect((await setStatus(partPaid.InvoiceID, 'VOIDED')).body.Invoices[0].Status).toBe('VOIDED');
  });
});
