/** Every operation the sandbox serves, with a representative request, validated against Xero's OpenAPI spec both ways. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.ts';
import { matchAccountingPath, validateAccountingRequest, validateAccountingResponse } from './openapi-validator.ts';

let h: Harness;
const seen = new Set<string>();

async function check(method: string, path: string, body?: unknown, expectedStatus = 200) {
  const template = matchAccountingPath(method, path);
  expect(template, `${method} ${path} is in the spec`).toBeDefined();
  if (body !== undefined) {
    const request = validateAccountingRequest(method, template!, body);
    expect(request.errors).toEqual([]);
  }
  const res = await h.api(method, path, body === undefined ? {} : { body });
  expect(res.status, JSON.stringify(res.body)).toBe(expectedStatus);
  const response = validateAccountingResponse(method, template!, res.status, res.body);
  expect(response.errors).toEqual([]);
  seen.add(`${method} ${template}`);
  return res.body;
}

beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

describe('responses validate against xero_accounting.yaml', () => {
  it('reference data', async () => {
    await check('GET', '/Organisation');
    const accounts = await check('GET', '/Accounts');
    await check('GET', `/Accounts/${accounts.Accounts[0].AccountID}`);
    await check('GET', '/TaxRates');
    await check('GET', '/TaxRates/OUTPUT2');
    await check('GET', '/Currencies');
  });

  it('contacts, invoices, payments, credit notes and manual journals', async () => {
    const contacts = await check('PUT', '/Contacts?summarizeErrors=false', { Contacts: [
      { Name: 'Spec Member', EmailAddress: 'spec@example.org', ContactNumber: 'S-1', Addresses: [{ AddressType: 'POBOX', City: 'Wellington' }], Phones: [{ PhoneType: 'MOBILE', PhoneNumber: '021 000' }] },
      { Name: '' },
    ] });
    const contactId = contacts.Contacts[0].ContactID;
    await check('POST', '/Contacts', { Contacts: [{ ContactNumber: 'S-1', FirstName: 'Spec' }] });
    await check('POST', `/Contacts/${contactId}`, { Contacts: [{ LastName: 'Member' }] });
    await check('GET', '/Contacts?page=1&includeArchived=true');
    await check('GET', `/Contacts/${contactId}`);
    await check('PUT', '/Contacts', { Contacts: [{ Name: 'Spec Member' }] }, 400);

    const line = { Description: 'Membership', Quantity: 1, UnitAmount: 80, AccountCode: '200', TaxType: 'OUTPUT2' };
    const invoices = await check('PUT', '/Invoices?summarizeErrors=false', { Invoices: [
      { Type: 'ACCREC', Contact: { ContactID: contactId }, Date: '2026-01-01', DueDate: '2026-01-31', Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', Reference: 'R1', LineItems: [line] },
      { Type: 'ACCREC', Contact: { ContactID: contactId }, CurrencyCode: 'EUR', LineItems: [line] },
    ] });
    const invoiceId = invoices.Invoices[0].InvoiceID;
    await check('POST', '/Invoices', { Invoices: [{ InvoiceID: invoiceId, Reference: 'R2' }] });
    await check('POST', `/Invoices/${invoiceId}`, { Invoices: [{ Reference: 'R3' }] });
    await check('GET', '/Invoices');
    await check('GET', '/Invoices?page=1&Statuses=AUTHORISED');
    await check('GET', `/Invoices/${invoiceId}`);
    await check('POST', `/Invoices/${invoiceId}/Email`, {}, 204);
    await check('PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'AUTHORISED', LineItems: [line] }] }, 400);

    const payments = await check('PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: invoiceId }, Account: { Code: '090' }, Amount: 10, Date: '2026-01-05', Reference: 'Card' }] });
    await check('POST', '/Payments', { Invoice: { InvoiceID: invoiceId }, Account: { Code: '090' }, Amount: 5, Date: '2026-01-06' });
    await check('GET', '/Payments');
    await check('GET', `/Payments/${payments.Payments[0].PaymentID}`);
    await check('POST', `/Payments/${payments.Payments[0].PaymentID}`, { Status: 'DELETED' });

    const credit = await check('PUT', '/CreditNotes', { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, Date: '2026-01-07', Status: 'AUTHORISED', LineItems: [{ ...line, UnitAmount: 10 }] }] });
    const creditId = credit.CreditNotes[0].CreditNoteID;
    await check('PUT', `/CreditNotes/${creditId}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: 5, Date: '2026-01-08' }] });
    await check('GET', '/CreditNotes');
    await check('GET', `/CreditNotes/${creditId}`);

    const journals = await check('PUT', '/ManualJournals', { ManualJournals: [{ Narration: 'Recognise revenue', Date: '2026-01-31', JournalLines: [{ LineAmount: 50, AccountCode: '835' }, { LineAmount: -50, AccountCode: '200' }] }] });
    await check('GET', '/ManualJournals');
    await check('GET', `/ManualJournals/${journals.ManualJournals[0].ManualJournalID}`);
  });

  it('tracking categories, branding themes, items, online invoices, credit notes, refunds and journals', async () => {
    const tracking = await check('GET', '/TrackingCategories?includeArchived=true');
    await check('GET', `/TrackingCategories/${tracking.TrackingCategories[0].TrackingCategoryID}`);
    const themes = await check('GET', '/BrandingThemes');
    await check('GET', `/BrandingThemes/${themes.BrandingThemes[1].BrandingThemeID}`);
    await check('GET', '/Items?unitdp=4');
    await check('GET', '/Items/MEMBER-FULL');

    const contact = (await check('PUT', '/Contacts', { Contacts: [{ Name: 'Catalogue Member' }] })).Contacts[0].ContactID;
    const tracked = [{ Name: 'Region', Option: 'North' }, { Name: 'Chapter', Option: 'Nowhere' }];
    const invoices = await check('PUT', '/Invoices?summarizeErrors=false', { Invoices: [
      { Type: 'ACCREC', Contact: { ContactID: contact }, Date: '2026-02-01', DueDate: '2026-02-28', Status: 'AUTHORISED', BrandingThemeID: themes.BrandingThemes[1].BrandingThemeID,
        LineItems: [{ ItemCode: 'MEMBER-FULL', Quantity: 1, DiscountRate: 10, Tracking: tracked }, { ItemCode: 'EVENT-ENTRY', Quantity: 2, DiscountAmount: 5 }] },
      { Type: 'ACCREC', Contact: { Name: 'Nobody Yet' }, Date: '2026-02-01', LineItems: [{ ItemCode: 'NO-SUCH-ITEM', Quantity: 1 }] },
    ] });
    const invoiceId = invoices.Invoices[0].InvoiceID;
    await check('GET', `/Invoices/${invoiceId}/OnlineInvoice`);

    const notes = await check('PUT', '/CreditNotes?summarizeErrors=false', { CreditNotes: [
      { Type: 'ACCRECCREDIT', Contact: { ContactID: contact }, Date: '2026-02-05', Status: 'AUTHORISED', LineItems: [{ Description: 'Credit', Quantity: 1, UnitAmount: 50, AccountCode: '200', Tracking: tracked }] },
      { Type: 'ACCRECCREDIT', Contact: { ContactID: contact }, Date: '2026-02-05', LineItems: [{ Description: 'Bad', Quantity: 1, UnitAmount: 5, AccountCode: '999' }] },
    ] });
    const creditId = notes.CreditNotes[0].CreditNoteID;
    await check('POST', '/CreditNotes?summarizeErrors=false', { CreditNotes: [{ CreditNoteID: creditId, Reference: 'C-1' }] });
    await check('POST', `/CreditNotes/${creditId}`, { CreditNotes: [{ Reference: 'C-2' }] });
    await check('PUT', `/CreditNotes/${creditId}/Allocations?summarizeErrors=false`, { Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: 500, Date: '2026-02-06' }, { Invoice: { InvoiceID: invoiceId }, Amount: 5, Date: '2026-02-06' }] });
    await check('PUT', '/Payments?summarizeErrors=false', { Payments: [
      { CreditNote: { CreditNoteID: creditId }, Account: { Code: '090' }, Amount: 10, Date: '2026-02-07', Reference: 'Refund' },
      { CreditNote: { CreditNoteID: creditId }, Account: { Code: '090' }, Amount: 1000, Date: '2026-02-07' },
    ] });
    await check('GET', '/CreditNotes?page=1&pageSize=10');

    const journals = await check('PUT', '/ManualJournals?summarizeErrors=false', { ManualJournals: [
      { Narration: 'Recognise February', Date: '2026-02-28', Status: 'POSTED', JournalLines: [{ LineAmount: 20, AccountCode: '835', Tracking: tracked }, { LineAmount: -20, AccountCode: '200', Description: 'Revenue' }] },
      { Narration: 'Unbalanced', JournalLines: [{ LineAmount: 20, AccountCode: '835' }, { LineAmount: -2, AccountCode: '200' }] },
    ] });
    const journalId = journals.ManualJournals[0].ManualJournalID;
    await check('POST', '/ManualJournals?summarizeErrors=false', { ManualJournals: [{ ManualJournalID: journalId, Narration: 'Recognise February (again)' }] });
    await check('POST', `/ManualJournals/${journalId}`, { ManualJournals: [{ Narration: 'Recognise February (again)', Status: 'VOIDED' }] });
    await check('GET', `/ManualJournals?page=1&where=${encodeURIComponent('Narration=="Recognise February (again)"')}`);
    await check('POST', `/Invoices/${invoiceId}`, { Invoices: [{ InvoiceID: invoiceId, Status: 'VOIDED' }] }, 400);
  });

  it('covered every operation the sandbox serves', () => {
    expect([...seen].sort()).toEqual([
      'GET /Accounts', 'GET /Accounts/{AccountID}', 'GET /BrandingThemes', 'GET /BrandingThemes/{BrandingThemeID}', 'GET /Contacts', 'GET /Contacts/{ContactID}',
      'GET /CreditNotes', 'GET /CreditNotes/{CreditNoteID}', 'GET /Currencies', 'GET /Invoices', 'GET /Invoices/{InvoiceID}', 'GET /Invoices/{InvoiceID}/OnlineInvoice',
      'GET /Items', 'GET /Items/{ItemID}', 'GET /ManualJournals', 'GET /ManualJournals/{ManualJournalID}', 'GET /Organisation',
      'GET /Payments', 'GET /Payments/{PaymentID}', 'GET /TaxRates', 'GET /TaxRates/{TaxType}', 'GET /TrackingCategories', 'GET /TrackingCategories/{TrackingCategoryID}',
      'POST /Contacts', 'POST /Contacts/{ContactID}', 'POST /CreditNotes', 'POST /CreditNotes/{CreditNoteID}', 'POST /Invoices', 'POST /Invoices/{InvoiceID}', 'POST /Invoices/{InvoiceID}/Email',
      'POST /ManualJournals', 'POST /ManualJournals/{ManualJournalID}', 'POST /Payments', 'POST /Payments/{PaymentID}',
      'PUT /Contacts', 'PUT /CreditNotes', 'PUT /CreditNotes/{CreditNoteID}/Allocations', 'PUT /Invoices', 'PUT /ManualJournals', 'PUT /Payments',
    ]);
  });
});

describe('the validator itself', () => {
  it('catches wrong types and enums, and accepts Xero\'s "" currency', () => {
    expect(validateAccountingResponse('GET', '/Invoices', 200, { Invoices: [{ Total: '12.00' }] }).valid).toBe(false);
    expect(validateAccountingResponse('GET', '/Invoices', 200, { Invoices: [{ Status: 'OPEN' }] }).valid).toBe(false);
    expect(validateAccountingResponse('GET', '/Invoices', 200, { Invoices: [{ CurrencyCode: '' }] }).valid).toBe(true);
    expect(validateAccountingRequest('PUT', '/Invoices', { Invoices: [{ Type: 'SALES' }] }).valid).toBe(false);
  });
});
