import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const pay = (invoiceId: string, amount: number, code = '090', date = '2026-02-01') =>
  ({ Invoice: { InvoiceID: invoiceId }, Account: { Code: code }, Amount: amount, Date: date, Reference: 'Card' });
const messages = (res: { body: any }) => res.body.Elements?.[0]?.ValidationErrors?.map((e: { Message: string }) => e.Message);

describe('payments', () => {
  it('part-pays (stays AUTHORISED) then settles (PAID, FullyPaidOnDate) via POST /Payments', async () => {
    const { invoice } = await seedInvoice(h); // total 115
    const part = await h.api('POST', '/Payments', { body: pay(invoice.InvoiceID, 15) });
    expect(part.status).toBe(200);
    expect(part.body.Payments[0]).toMatchObject({ Amount: 15, Status: 'AUTHORISED', PaymentType: 'ACCRECPAYMENT', Account: { Code: '090' }, Invoice: { InvoiceID: invoice.InvoiceID } });
    let inv = (await h.api('GET', `/Invoices/${invoice.InvoiceID}`)).body.Invoices[0];
    expect(inv).toMatchObject({ Status: 'AUTHORISED', AmountPaid: 15, AmountDue: 100 });
    await h.api('POST', '/Payments', { body: pay(invoice.InvoiceID, 100) });
    inv = (await h.api('GET', `/Invoices/${invoice.InvoiceID}`)).body.Invoices[0];
    expect(inv).toMatchObject({ Status: 'PAID', AmountPaid: 115, AmountDue: 0, FullyPaidOnDate: '/Date(1769904000000+0000)/' });
    expect(inv.Payments).toHaveLength(2);
  });

  it('refuses more than the amount due, unapproved documents and non-bank accounts, with Xero\'s messages', async () => {
    const { invoice } = await seedInvoice(h);
    expect(messages(await h.api('POST', '/Payments', { body: pay(invoice.InvoiceID, 115.01) }))).toEqual(['Payment amount exceeds the amount outstanding on this document']);
    const draft = await seedInvoice(h, { Status: 'DRAFT' });
    expect(messages(await h.api('POST', '/Payments', { body: pay(draft.invoice.InvoiceID, 10) }))).toEqual(['Payments can only be made against Authorised documents']);
    const notBank = messages(await h.api('POST', '/Payments', { body: pay(invoice.InvoiceID, 10, '200') }));
    expect(notBank).toEqual(['Payments can only be made to bank accounts or accounts with payments enabled.']);
    expect(messages(await h.api('POST', '/Payments', { body: pay(invoice.InvoiceID, 10, '092') }))).toHaveLength(1); // archived bank account
    expect((await h.api('POST', '/Payments', { body: pay(invoice.InvoiceID, 10, '630') })).status).toBe(200); // payments enabled
    h.sandbox.control.payInvoice(h.tenantId, invoice.InvoiceID);
    expect(messages(await h.api('POST', '/Payments', { body: pay(invoice.InvoiceID, 1) }))).toEqual(['Payments can only be made against Authorised documents']);
  });

  it('PUT /Payments takes several with summarizeErrors=false', async () => {
    const a = await seedInvoice(h);
    const b = await seedInvoice(h);
    const res = await h.api('PUT', '/Payments?summarizeErrors=false', { body: { Payments: [pay(a.invoice.InvoiceID, 115), pay(b.invoice.InvoiceID, 500)] } });
    expect(res.status).toBe(200);
    expect(res.body.Payments.map((p: { StatusAttributeString: string }) => p.StatusAttributeString)).toEqual(['OK', 'ERROR']);
    expect(res.body.Payments[1].ValidationErrors).toEqual([{ Message: 'Payment amount exceeds the amount outstanding on this document' }]);
  });

  it('deleting a payment with {"Status":"DELETED"} puts the invoice back to AUTHORISED', async () => {
    const { invoice } = await seedInvoice(h);
    const payment = (await h.api('PUT', '/Payments', { body: { Payments: [pay(invoice.InvoiceID, 115)] } })).body.Payments[0];
    expect((await h.api('GET', `/Invoices/${invoice.InvoiceID}`)).body.Invoices[0].Status).toBe('PAID');
    const deleted = await h.api('POST', `/Payments/${payment.PaymentID}`, { body: { Status: 'DELETED' } });
    expect(deleted.status).toBe(200);
    expect(deleted.body.Payments[0].Status).toBe('DELETED');
    const inv = (await h.api('GET', `/Invoices/${invoice.InvoiceID}`)).body.Invoices[0];
    expect(inv).toMatchObject({ Status: 'AUTHORISED', AmountPaid: 0, AmountDue: 115 });
    expect(inv.FullyPaidOnDate).toBeUndefined();
    expect((await h.api('POST', `/Payments/${payment.PaymentID}`, { body: { Status: 'DELETED' } })).status).toBe(400);
    expect((await h.api('POST', `/Payments/${payment.PaymentID}`, { body: { Amount: 1 } })).status).toBe(400);
  });

  it('GET /Payments pages and honours If-Modified-Since; payments made "in Xero" show up', async () => {
    const { invoice } = await seedInvoice(h);
    const first = h.sandbox.control.payInvoice(h.tenantId, invoice.InvoiceID, { amount: 5 });
    const since = new Date(Number(/\d+/.exec(String(first['UpdatedDateUTC']))![0])).toISOString();
    h.sandbox.control.advanceClock(1000);
    h.sandbox.control.payInvoice(h.tenantId, invoice.InvoiceID, { amount: 6 });
    const all = await h.api('GET', '/Payments');
    expect(all.body.Payments).toHaveLength(2);
    const changed = await h.api('GET', '/Payments', { headers: { 'If-Modified-Since': since } });
    expect(changed.body.Payments.map((p: { Amount: number }) => p.Amount)).toEqual([6]);
    const paged = await h.api('GET', '/Payments?page=1&pageSize=1');
    expect(paged.body.pagination).toEqual({ page: 1, pageSize: 1, pageCount: 2, itemCount: 2 });
    expect((await h.api('GET', `/Payments?where=${encodeURIComponent(`Invoice.InvoiceID==Guid("${invoice.InvoiceID}") AND Status=="AUTHORISED"`)}`)).body.Payments).toHaveLength(2);
    expect((await h.api('GET', `/Payments/${first['PaymentID']}`)).body.Payments[0].Amount).toBe(5);
  });
});
