/** GET /Invoices/{id}/OnlineInvoice: a stable link for approved sales invoices, refused for drafts. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const online = (id: string) => h.api('GET', `/Invoices/${id}/OnlineInvoice`);

describe('online invoice links', () => {
  it('gives an approved sales invoice a stable link to a page showing what is due', async () => {
    const { invoice } = await seedInvoice(h);
    const res = await online(invoice.InvoiceID);
    expect(res.status).toBe(200);
    expect(validateAccountingResponse('GET', '/Invoices/{InvoiceID}/OnlineInvoice', 200, res.body).errors).toEqual([]);
    const url = res.body.OnlineInvoices[0].OnlineInvoiceUrl as string;
    expect(url).toMatch(new RegExp(`^${h.sandbox.url}/in/[A-Za-z0-9]{40}$`));
    expect((await online(invoice.InvoiceID)).body.OnlineInvoices[0].OnlineInvoiceUrl).toBe(url);
    expect((await online(invoice.InvoiceNumber)).body.OnlineInvoices[0].OnlineInvoiceUrl).toBe(url);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(invoice.InvoiceNumber);
    expect(html).toContain('due NZD 115.00');

    h.sandbox.control.payInvoice(h.tenantId, invoice.InvoiceID);
    expect((await online(invoice.InvoiceID)).body.OnlineInvoices[0].OnlineInvoiceUrl).toBe(url);
    expect(await (await fetch(url)).text()).toContain('due NZD 0.00');
    expect((await fetch(`${h.sandbox.url}/in/${'x'.repeat(40)}`)).status).toBe(404);
  });

  it('refuses drafts, deleted invoices and bills with a ValidationException, and 404s an unknown invoice', async () => {
    const { invoice: draft } = await seedInvoice(h, { Status: 'DRAFT' });
    const refused = await online(draft.InvoiceID);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
    expect(refused.body.Elements[0].ValidationErrors[0].Message).toBe('Online invoices are not available for DRAFT or DELETED invoices.');
    await h.api('POST', `/Invoices/${draft.InvoiceID}`, { body: { Invoices: [{ Status: 'DELETED' }] } });
    expect((await online(draft.InvoiceID)).status).toBe(400);
    const { invoice: bill } = await seedInvoice(h, { Type: 'ACCPAY', InvoiceNumber: 'BILL-1', LineItems: [{ Description: 'Print', Quantity: 1, UnitAmount: 10, AccountCode: '461' }] });
    expect((await online(bill.InvoiceID)).body.Elements[0].ValidationErrors[0].Message).toBe('Online invoices are only available for sales invoices (ACCREC).');
    expect((await online('00000000-0000-0000-0000-000000000001')).status).toBe(404);
  });
});
