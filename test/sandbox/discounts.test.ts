/** Line discounts on sales invoices: Xero's line amount and totals arithmetic, and what is refused. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

async function put(resource: 'Invoices' | 'CreditNotes', line: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const type = resource === 'Invoices' ? 'ACCREC' : 'ACCRECCREDIT';
  const res = await h.api('PUT', `/${resource}?summarizeErrors=false`, { body: { [resource]: [{
    Type: type, Contact: { Name: 'Discounted Member' }, Date: '2026-05-01', DueDate: '2026-05-31', Status: 'AUTHORISED',
    LineItems: [{ Description: 'Membership', AccountCode: '200', TaxType: 'OUTPUT2', ...line }], ...extra,
  }] } });
  expect(res.status).toBe(200);
  expect(validateAccountingResponse('PUT', `/${resource}`, 200, res.body).errors).toEqual([]);
  return res.body[resource][0];
}
const errors = (doc: { ValidationErrors?: Array<{ Message: string }> }) => doc.ValidationErrors?.map((e) => e.Message);

describe('discounts on sales invoice lines', () => {
  it('takes a DiscountRate off Quantity x UnitAmount, taxes the discounted amount and totals the discount', async () => {
    const inv = await put('Invoices', { Quantity: 2, UnitAmount: 50, DiscountRate: 10 });
    expect(inv.LineItems[0]).toMatchObject({ DiscountRate: 10, LineAmount: 90, TaxAmount: 13.5 });
    expect(inv).toMatchObject({ SubTotal: 90, TotalTax: 13.5, Total: 103.5, TotalDiscount: 10, IsDiscounted: true, AmountDue: 103.5 });
  });

  it('rounds the discounted line to 2 dp, then the tax on it', async () => {
    // 3 x 33.33 = 99.99; x 87.5% = 87.49125 -> 87.49; 15% tax = 13.1235 -> 13.12
    const inv = await put('Invoices', { Quantity: 3, UnitAmount: 33.33, DiscountRate: 12.5 });
    expect(inv.LineItems[0]).toMatchObject({ LineAmount: 87.49, TaxAmount: 13.12 });
    expect(inv).toMatchObject({ SubTotal: 87.49, TotalTax: 13.12, Total: 100.61, TotalDiscount: 12.5 });
  });

  it('takes a DiscountAmount off the line, and works under Inclusive amounts too', async () => {
    const amount = await put('Invoices', { Quantity: 1, UnitAmount: 100, DiscountAmount: 15 });
    expect(amount.LineItems[0]).toMatchObject({ DiscountAmount: 15, LineAmount: 85, TaxAmount: 12.75 });
    expect(amount).toMatchObject({ Total: 97.75, TotalDiscount: 15 });
    const inclusive = await put('Invoices', { Quantity: 1, UnitAmount: 115, DiscountRate: 10 }, { LineAmountTypes: 'Inclusive' });
    expect(inclusive.LineItems[0]).toMatchObject({ LineAmount: 103.5, TaxAmount: 13.5 });
    expect(inclusive).toMatchObject({ SubTotal: 90, TotalTax: 13.5, Total: 103.5 });
  });

  it('works out a missing UnitAmount from a discounted LineAmount', async () => {
    const inv = await put('Invoices', { Quantity: 2, LineAmount: 90, DiscountRate: 10 });
    expect(inv.LineItems[0]).toMatchObject({ UnitAmount: 50, LineAmount: 90 });
  });

  it('refuses both kinds at once, a rate outside 0-100 and an amount above the line or below zero', async () => {
    expect(errors(await put('Invoices', { Quantity: 1, UnitAmount: 100, DiscountRate: 10, DiscountAmount: 10 }))).toEqual(['A line item can have a DiscountRate or a DiscountAmount, not both.']);
    expect(errors(await put('Invoices', { Quantity: 1, UnitAmount: 100, DiscountRate: 120 }))).toEqual(['DiscountRate must be between 0 and 100.']);
    expect(errors(await put('Invoices', { Quantity: 1, UnitAmount: 100, DiscountRate: -5 }))).toEqual(['DiscountRate must be between 0 and 100.']);
    expect(errors(await put('Invoices', { Quantity: 1, UnitAmount: 100, DiscountAmount: 100.01 }))).toEqual(["DiscountAmount must be between 0 and the line's Quantity x UnitAmount."]);
    expect(errors(await put('Invoices', { Quantity: 1, UnitAmount: 100, DiscountAmount: -1 }))).toEqual(["DiscountAmount must be between 0 and the line's Quantity x UnitAmount."]);
  });
});

describe('discounts elsewhere', () => {
  it('are refused on bills and credit notes, which the spec says do not support them; a zero discount is harmless', async () => {
    const bill = await put('Invoices', { Quantity: 1, UnitAmount: 100, AccountCode: '429', TaxType: 'INPUT2', DiscountRate: 10 }, { Type: 'ACCPAY', InvoiceNumber: 'B-1' });
    expect(errors(bill)).toEqual(['Discounts are only supported on the lines of sales invoices (ACCREC).']);
    const credit = await put('CreditNotes', { Quantity: 1, UnitAmount: 100, DiscountAmount: 5 });
    expect(errors(credit)).toEqual(['Discounts are only supported on the lines of sales invoices (ACCREC).']);
    const zero = await put('CreditNotes', { Quantity: 1, UnitAmount: 100, DiscountRate: 0 });
    expect(zero).toMatchObject({ StatusAttributeString: 'OK', Total: 115 });
  });
});
