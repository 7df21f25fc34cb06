/** Items: listed, and lines that name one by ItemCode are checked and take its defaults. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

async function invoice(lines: unknown[], extra: Record<string, unknown> = {}) {
  const res = await h.api('PUT', '/Invoices?summarizeErrors=false', { body: { Invoices: [{
    Type: 'ACCREC', Contact: { Name: 'Item Member' }, Date: '2026-04-01', DueDate: '2026-04-30', Status: 'AUTHORISED', LineItems: lines, ...extra,
  }] } });
  expect(res.status).toBe(200);
  expect(validateAccountingResponse('PUT', '/Invoices', 200, res.body).errors).toEqual([]);
  return res.body.Invoices[0];
}

describe('GET /Items', () => {
  it('lists the seeded items with their sales and purchase details, by where, by id or Code, with unitdp', async () => {
    const res = await h.api('GET', '/Items');
    expect(validateAccountingResponse('GET', '/Items', 200, res.body).errors).toEqual([]);
    const items = res.body.Items as Array<Record<string, any>>;
    expect(items.map((i) => i['Code'])).toEqual(['MEMBER-FULL', 'MEMBER-JUNIOR', 'EVENT-ENTRY', 'NEWSLETTER']);
    expect(items[0]).toMatchObject({ Name: 'Full membership', Description: 'Annual full membership', IsSold: true, IsPurchased: false,
      SalesDetails: { UnitPrice: 120, AccountCode: '200', TaxType: 'OUTPUT2' }, PurchaseDetails: {}, IsTrackedAsInventory: false });
    expect(items[3]).toMatchObject({ IsSold: false, IsPurchased: true, PurchaseDetails: { UnitPrice: 1.2, AccountCode: '461', TaxType: 'INPUT2' }, SalesDetails: {} });

    const sold = await h.api('GET', `/Items?where=${encodeURIComponent('IsSold==true AND Code.StartsWith("MEMBER")')}&order=Code DESC`);
    expect(sold.body.Items.map((i: { Code: string }) => i.Code)).toEqual(['MEMBER-JUNIOR', 'MEMBER-FULL']);
    const byCode = await h.api('GET', '/Items/EVENT-ENTRY');
    expect(validateAccountingResponse('GET', '/Items/{ItemID}', 200, byCode.body).errors).toEqual([]);
    expect((await h.api('GET', `/Items/${byCode.body.Items[0].ItemID}`)).body.Items[0].Code).toBe('EVENT-ENTRY');
    expect((await h.api('GET', '/Items/NO-SUCH-ITEM')).status).toBe(404);

    h.sandbox.control.setItem(h.tenantId, { Code: 'PRECISE', Name: 'Precise', SalesDetails: { UnitPrice: 1.23456, AccountCode: '200' } });
    expect((await h.api('GET', '/Items/PRECISE')).body.Items[0].SalesDetails.UnitPrice).toBe(1.23);
    expect((await h.api('GET', '/Items/PRECISE?unitdp=4')).body.Items[0].SalesDetails.UnitPrice).toBe(1.2346);
  });
});

describe('ItemCode on lines', () => {
  it('fills in a line that gives only the ItemCode (and quantity) from the item\'s sales details', async () => {
    const inv = await invoice([{ ItemCode: 'MEMBER-FULL', Quantity: 2 }]);
    expect(inv.StatusAttributeString).toBe('OK');
    const [line] = inv.LineItems;
    expect(line).toMatchObject({ ItemCode: 'MEMBER-FULL', Description: 'Annual full membership', Quantity: 2, UnitAmount: 120, AccountCode: '200', TaxType: 'OUTPUT2', LineAmount: 240, TaxAmount: 36 });
    expect(line.Item).toEqual({ ItemID: expect.any(String), Name: 'Full membership', Code: 'MEMBER-FULL' });
    expect(inv).toMatchObject({ SubTotal: 240, TotalTax: 36, Total: 276 });
  });

  it('keeps what the line gives, takes the tax type of an account the line names itself, and matches codes without regard to case', async () => {
    const inv = await invoice([
      { ItemCode: 'member-junior', Description: 'Junior (half year)', Quantity: 1, UnitAmount: 30 },
      { ItemCode: 'EVENT-ENTRY', Quantity: 1, AccountCode: '270' },
    ]);
    expect(inv.LineItems[0]).toMatchObject({ ItemCode: 'MEMBER-JUNIOR', Description: 'Junior (half year)', UnitAmount: 30, AccountCode: '200' });
    expect(inv.LineItems[1]).toMatchObject({ UnitAmount: 25, AccountCode: '270', TaxType: 'NONE', TaxAmount: 0 });
  });

  it('refuses an unknown ItemCode; an item not sold gives a sales line nothing; a bill takes purchase details', async () => {
    const unknown = await invoice([{ ItemCode: 'GOLD-CARD', Quantity: 1, UnitAmount: 10, AccountCode: '200' }]);
    expect(unknown.StatusAttributeString).toBe('ERROR');
    expect(unknown.ValidationErrors).toEqual([{ Message: "Item code 'GOLD-CARD' is not valid." }]);
    const notSold = await invoice([{ ItemCode: 'NEWSLETTER', Quantity: 1, UnitAmount: 5 }]);
    expect(notSold.ValidationErrors.map((e: { Message: string }) => e.Message)).toEqual(['Account code must be specified for line items with an amount on an approved document.']);
    const bill = await invoice([{ ItemCode: 'NEWSLETTER', Quantity: 100 }], { Type: 'ACCPAY', InvoiceNumber: 'PRINT-1' });
    expect(bill.LineItems[0]).toMatchObject({ Description: 'Printing of the quarterly newsletter', UnitAmount: 1.2, AccountCode: '461', TaxType: 'INPUT2', LineAmount: 120 });
  });

  it('uses items set through the control API over HTTP', async () => {
    const set = await call(`${h.sandbox.controlUrl}/organisations/${h.tenantId}/items`, 'POST', { body: { Code: 'MEMBER-FULL', Name: 'Full membership', Description: 'Annual full membership (2027)', IsPurchased: false, SalesDetails: { UnitPrice: 130, AccountCode: '200', TaxType: 'OUTPUT2' } } });
    expect(set.status).toBe(200);
    expect((await invoice([{ ItemCode: 'MEMBER-FULL', Quantity: 1 }])).LineItems[0]).toMatchObject({ UnitAmount: 130, Description: 'Annual full membership (2027)' });
    expect((await call(`${h.sandbox.controlUrl}/organisations/${h.tenantId}/items`, 'POST', { body: { Code: 'X'.repeat(31), Name: 'Too long' } })).status).toBe(400);
  });
});
