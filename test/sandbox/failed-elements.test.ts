/**
 * A failed element of a batch comes back rendered like a stored record (MS dates with DateString twins, defaults
 * filled in, zero Guid, StatusAttributeString ERROR, ValidationErrors), not as an echo of the request; xero-node
 * parses such answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditNote, Invoice, XeroClient, type ManualJournal, type Payment } from 'xero-node';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';

const ZERO = '00000000-0000-0000-0000-000000000000';
const MS_DATE = /^\/Date\(\d+\+0000\)\/$/;
let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

async function failedOf(path: string, key: string, elements: unknown[]) {
  const res = await h.api('PUT', `/${path}?summarizeErrors=false`, { body: { [key]: elements } });
  expect(res.status).toBe(200);
  expect(validateAccountingResponse('PUT', `/${path}`, 200, res.body).errors).toEqual([]);
  const element = res.body[key][0];
  expect(element.StatusAttributeString).toBe('ERROR');
  expect(element.ValidationErrors.length).toBeGreaterThan(0);
  return element;
}

describe('failed elements rendered as Xero renders them', () => {
  it('an invoice: defaults, totals, MS dates with their twins, the contact as named, the zero Guid', async () => {
    const invoice = await failedOf('Invoices', 'Invoices', [{
      Type: 'ACCREC', Contact: { Name: 'Never Created', EmailAddress: 'never@example.org' }, Date: '2026-03-01', DueDate: '2026-03-31T00:00:00',
      Reference: 'R-9', LineItems: [{ Description: 'Membership', Quantity: 2, UnitAmount: 50, AccountCode: '999', TaxType: 'OUTPUT2' }],
    }]);
    expect(invoice).toMatchObject({
      InvoiceID: ZERO, Type: 'ACCREC', Status: 'DRAFT', LineAmountTypes: 'Exclusive', CurrencyCode: 'NZD', CurrencyRate: 1,
      Reference: 'R-9', Date: '/Date(1772323200000+0000)/', DateString: '2026-03-01T00:00:00', DueDate: '/Date(1774915200000+0000)/', DueDateString: '2026-03-31T00:00:00',
      SubTotal: 100, TotalTax: 15, Total: 115, AmountDue: 115, AmountPaid: 0, HasErrors: true,
      Contact: { ContactID: ZERO, Name: 'Never Created', EmailAddress: 'never@example.org' },
      ValidationErrors: [{ Message: "Account code '999' is not a valid code for this document." }],
    });
    expect(invoice.LineItems[0]).toMatchObject({ Description: 'Membership', Quantity: 2, UnitAmount: 50, LineAmount: 100, TaxAmount: 15, AccountCode: '999' });
    expect(invoice.BrandingThemeID).toEqual(expect.any(String));
    expect(invoice.UpdatedDateUTC).toBeUndefined();
    expect((await h.api('GET', '/Contacts')).body.Contacts).toEqual([]);
  });

  it('an update that fails shows the invoice as it would have become, under its own id', async () => {
    const { invoice } = await seedInvoice(h);
    h.sandbox.control.payInvoice(h.tenantId, invoice.InvoiceID, { amount: 10 });
    const res = await h.api('POST', '/Invoices?summarizeErrors=false', { body: { Invoices: [{ InvoiceID: invoice.InvoiceID, Status: 'VOIDED' }] } });
    const element = res.body.Invoices[0];
    expect(element).toMatchObject({ InvoiceID: invoice.InvoiceID, Status: 'VOIDED', AmountPaid: 10, StatusAttributeString: 'ERROR', Date: expect.stringMatching(MS_DATE) });
    expect(element.Contact.Name).toBe(invoice.Contact.Name);
  });

  it('a contact, a credit note, a payment and a manual journal', async () => {
    await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Taken' }] } });
    const contact = await failedOf('Contacts', 'Contacts', [{ Name: 'Taken', EmailAddress: 'taken@example.org', Phones: [{ PhoneType: 'MOBILE', PhoneNumber: '021' }] }]);
    expect(contact).toMatchObject({ ContactID: ZERO, Name: 'Taken', ContactStatus: 'ACTIVE', EmailAddress: 'taken@example.org', Addresses: [], Phones: [{ PhoneType: 'MOBILE', PhoneNumber: '021' }], HasValidationErrors: true, IsCustomer: false });
    expect(contact.UpdatedDateUTC).toBeUndefined();

    const credit = await failedOf('CreditNotes', 'CreditNotes', [{ Type: 'ACCRECCREDIT', Contact: { Name: 'Taken' }, Date: '2026-02-01', CurrencyCode: 'AUD', LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 10, AccountCode: '200', TaxType: 'INPUT2' }] }]);
    expect(credit).toMatchObject({ CreditNoteID: ZERO, Status: 'DRAFT', LineAmountTypes: 'Exclusive', CurrencyCode: 'AUD', Total: 10, RemainingCredit: 10, Date: '/Date(1769904000000+0000)/', DateString: '2026-02-01T00:00:00', Contact: { Name: 'Taken' } });
    expect(credit.CurrencyRate).toBeGreaterThan(0);

    const { invoice } = await seedInvoice(h);
    const payment = await failedOf('Payments', 'Payments', [{ Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: '200' }, Amount: 20, Date: '2026-02-05' }]);
    expect(payment).toMatchObject({
      PaymentID: ZERO, Amount: 20, Date: '/Date(1770249600000+0000)/', Status: 'AUTHORISED', PaymentType: 'ACCRECPAYMENT', CurrencyRate: 1, BankAmount: 20,
      Account: { Code: '200' }, Invoice: { InvoiceID: invoice.InvoiceID, InvoiceNumber: invoice.InvoiceNumber }, HasValidationErrors: true,
    });

    const journal = await failedOf('ManualJournals', 'ManualJournals', [{ Narration: 'Off by one', Date: '2026-03-31', JournalLines: [{ LineAmount: 10, AccountCode: '835' }, { LineAmount: -9, AccountCode: '200' }] }]);
    expect(journal).toMatchObject({ ManualJournalID: ZERO, Narration: 'Off by one', Status: 'DRAFT', LineAmountTypes: 'NoTax', Date: '/Date(1774915200000+0000)/', DateString: '2026-03-31T00:00:00', ShowOnCashBasisReports: true });
    expect(journal.JournalLines.map((l: { LineAmount: number }) => l.LineAmount)).toEqual([10, -9]);
  });

  it('is the same rendering inside a summarised 400 ValidationException', async () => {
    const res = await h.api('PUT', '/Invoices', { body: { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Summarised' }, Date: '2026-03-01', Status: 'AUTHORISED', LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '200' }] }] } });
    expect(res.status).toBe(400);
    const [element] = res.body.Elements;
    expect(element).toMatchObject({ InvoiceID: ZERO, Status: 'AUTHORISED', Date: '/Date(1772323200000+0000)/', Total: 5.75, HasErrors: true, ValidationErrors: [{ Message: 'Due Date is required.' }] });
  });
});

describe('xero-node reads failed elements', () => {
  it('parses them: ids, statuses, errors and dates as Dates', async () => {
    const xero = new XeroClient({ clientId: h.clientId, clientSecret: h.clientSecret, redirectUris: ['http://localhost:3999/callback'], scopes: [] });
    xero.accountingApi.basePath = h.sandbox.apiUrl;
    xero.setTokenSet(h.tokens);
    const invoices = await xero.accountingApi.createInvoices(h.tenantId, { invoices: [
      { type: Invoice.TypeEnum.ACCREC, contact: { name: 'SDK Failure' }, date: '2026-03-01', lineItems: [{ description: 'x', quantity: 1, unitAmount: 10, accountCode: '999' }] },
    ] }, false);
    const failed = invoices.body.invoices![0]!;
    expect(failed).toMatchObject({ invoiceID: ZERO, hasErrors: true, statusAttributeString: 'ERROR', status: Invoice.StatusEnum.DRAFT, total: 10 });
    expect(failed.date as unknown).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(failed.validationErrors![0]!.message).toBe("Account code '999' is not a valid code for this document.");

    const credit = await xero.accountingApi.createCreditNotes(h.tenantId, { creditNotes: [{ type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { name: 'SDK Failure' }, status: CreditNote.StatusEnum.AUTHORISED, lineItems: [] }] }, false);
    expect(credit.body.creditNotes![0]).toMatchObject({ creditNoteID: ZERO, statusAttributeString: 'ERROR' });
    const payment = await xero.accountingApi.createPayments(h.tenantId, { payments: [{ invoice: { invoiceID: ZERO.replace(/0$/, '1') }, account: { code: '090' }, amount: 5, date: '2026-03-02' } as Payment] }, false);
    expect(payment.body.payments![0]).toMatchObject({ paymentID: ZERO, hasValidationErrors: true, statusAttributeString: 'ERROR' });
    const journal = await xero.accountingApi.createManualJournals(h.tenantId, { manualJournals: [{ narration: 'SDK journal', date: '2026-03-31', journalLines: [{ lineAmount: 1, accountCode: '835' }] } as ManualJournal] }, false);
    expect(journal.body.manualJournals![0]).toMatchObject({ manualJournalID: ZERO, statusAttributeString: 'ERROR', validationErrors: [{ message: 'A manual journal must have at least two journal lines.' }] });
    const contacts = await xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: '' }] }, false);
    expect(contacts.body.contacts![0]).toMatchObject({ contactID: ZERO, hasValidationErrors: true });
  });
});
