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

  it('covered every operation the sandbox serves', () => {
    expect([...seen].sort()).toEqual([
      'GET /Accounts', 'GET /Accounts/{AccountID}', 'GET /Contacts', 'GET /Contacts/{ContactID}', 'GET /CreditNotes', 'GET /CreditNotes/{CreditNoteID}',
      'GET /Currencies', 'GET /Invoices', 'GET /Invoices/{InvoiceID}', 'GET /ManualJournals', 'GET /ManualJournals/{ManualJournalID}', 'GET /Organisation',
      'GET /Payments', 'GET /Payments/{PaymentID}', 'GET /TaxRates', 'GET /TaxRates/{TaxType}',
      'POST /Contacts', 'POST /Contacts/{ContactID}', 'POST /Invoices', 'POST /Invoices/{InvoiceID}', 'POST /Invoices/{InvoiceID}/Email',
      'POST /Payments', 'POST /Payments/{PaymentID}',
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
