import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';

let h: Harness;
let contactId: string;
beforeEach(async () => {
  h = await startHarness();
  contactId = (await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Member One', EmailAddress: 'one@example.org' }] } })).body.Contacts[0].ContactID;
});
afterEach(async () => { await h.close(); });

function invoice(extra: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  return {
    Type: 'ACCREC', Contact: { ContactID: contactId }, Date: '2026-03-01', DueDate: '2026-03-31', Status: 'AUTHORISED',
    LineItems: [{ Description: 'Membership', Quantity: 1, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT2', ...line }],
    ...extra,
  };
}
async function create(extra: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  return h.api('PUT', '/Invoices?summarizeErrors=false', { body: { Invoices: [invoice(extra, line)] } });
}
const errorsOf = (res: { body: any }) => res.body.Invoices[0].ValidationErrors?.map((e: { Message: string }) => e.Message);

describe('totals and tax', () => {
  it('Exclusive adds tax per line, rounded to 2 dp', async () => {
    const res = await h.api('PUT', '/Invoices', { body: { Invoices: [invoice({}, {}), ] } });
    const inv = res.body.Invoices[0];
    expect(inv).toMatchObject({ SubTotal: 100, TotalTax: 15, Total: 115, AmountDue: 115, AmountPaid: 0, Status: 'AUTHORISED', LineAmountTypes: 'Exclusive' });
    const odd = (await create({}, { Quantity: 3, UnitAmount: 33.33 })).body.Invoices[0];
    expect(odd).toMatchObject({ SubTotal: 99.99, TotalTax: 15, Total: 114.99 });
  });

  it('Inclusive takes tax out of the line; NoTax charges none', async () => {
    const inc = (await create({ LineAmountTypes: 'Inclusive' }, { UnitAmount: 115 })).body.Invoices[0];
    expect(inc).toMatchObject({ SubTotal: 100, TotalTax: 15, Total: 115 });
    const inc2 = (await create({ LineAmountTypes: 'Inclusive' }, { UnitAmount: 10 })).body.Invoices[0];
    expect(inc2).toMatchObject({ SubTotal: 8.7, TotalTax: 1.3, Total: 10 });
    const none = (await create({ LineAmountTypes: 'NoTax' }, { UnitAmount: 50, TaxType: undefined })).body.Invoices[0];
    expect(none).toMatchObject({ SubTotal: 50, TotalTax: 0, Total: 50 });
  });

  it('defaults the tax type from the account and applies discounts', async () => {
    const inv = (await create({}, { TaxType: undefined, Quantity: 2, UnitAmount: 50, DiscountRate: 10 })).body.Invoices[0];
    expect(inv.LineItems[0]).toMatchObject({ TaxType: 'OUTPUT2', LineAmount: 90, TaxAmount: 13.5 });
    expect(inv).toMatchObject({ SubTotal: 90, Total: 103.5 });
  });
});

describe('validation with Xero\'s messages', () => {
  it('refuses bank, system, archived and unknown account codes, and allows a liability such as 835', async () => {
    for (const code of ['090', '610', '820', '280', '999']) {
      expect(errorsOf(await create({}, { AccountCode: code, TaxType: 'NONE' }))).toContain(`Account code '${code}' is not a valid code for this document.`);
    }
    expect((await create({}, { AccountCode: '835' })).body.Invoices[0].StatusAttributeString).toBe('OK');
  });

  it('refuses a tax type that does not exist, is archived, or belongs to purchases', async () => {
    for (const tax of ['INPUT2', 'OUTPUT', 'GST15']) {
      expect(errorsOf(await create({}, { TaxType: tax }))).toEqual([`The TaxType code ${tax} does not exist or cannot be used for this type of transaction.`]);
    }
    const bill = await create({ Type: 'ACCPAY' }, { AccountCode: '429', TaxType: 'OUTPUT2' });
    expect(errorsOf(bill)).toEqual(['The TaxType code OUTPUT2 does not exist or cannot be used for this type of transaction.']);
    expect((await create({ Type: 'ACCPAY' }, { AccountCode: '429', TaxType: 'INPUT2' })).body.Invoices[0].StatusAttributeString).toBe('OK');
  });

  it('refuses a currency the organisation is not subscribed to, and accepts an enabled one with a rate', async () => {
    expect(errorsOf(await create({ CurrencyCode: 'EUR' }))).toEqual(['Organisation is not subscribed to currency EUR']);
    const aud = (await create({ CurrencyCode: 'AUD' })).body.Invoices[0];
    expect(aud.CurrencyCode).toBe('AUD');
    expect(aud.CurrencyRate).toBeGreaterThan(0);
  });

  it('numbers sales invoices INV-0001... and refuses a duplicate InvoiceNumber', async () => {
    expect((await create()).body.Invoices[0].InvoiceNumber).toBe('INV-0001');
    expect((await create({ InvoiceNumber: 'M-100' })).body.Invoices[0].InvoiceNumber).toBe('M-100');
    expect(errorsOf(await create({ InvoiceNumber: 'm-100' }))).toEqual(['Invoice # must be unique.']);
    expect(errorsOf(await create({ InvoiceNumber: 'INV-0001' }))).toEqual(['Invoice # must be unique.']);
    expect((await create()).body.Invoices[0].InvoiceNumber).toBe('INV-0002');
  });

  it('needs a contact; a contact given by a new name is created, an existing name reused', async () => {
    expect(errorsOf(await create({ Contact: undefined }))).toContain('A Contact must be specified for this type of transaction');
    const byName = (await create({ Contact: { Name: 'Walk-in Member' } })).body.Invoices[0];
    expect(byName.Contact.Name).toBe('Walk-in Member');
    const again = (await create({ Contact: { Name: 'Walk-in Member' } })).body.Invoices[0];
    expect(again.Contact.ContactID).toBe(byName.Contact.ContactID);
  });
});

describe('status rules', () => {
  it('edits an AUTHORISED invoice without payments; UpdatedDateUTC moves', async () => {
    const { invoice: inv } = await seedInvoice(h);
    const updated = await h.api('POST', `/Invoices/${inv.InvoiceID}`, { body: { Invoices: [{ Reference: 'R-1', LineItems: [{ Description: 'Membership', Quantity: 2, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT2' }] }] } });
    expect(updated.status).toBe(200);
    expect(updated.body.Invoices[0]).toMatchObject({ Reference: 'R-1', Total: 230, AmountDue: 230 });
    expect(updated.body.Invoices[0].UpdatedDateUTC).not.toBe(inv.UpdatedDateUTC);
  });

  it('once paid, amounts are fixed and it cannot be voided', async () => {
    const { invoice: inv } = await seedInvoice(h);
    h.sandbox.control.payInvoice(h.tenantId, inv.InvoiceID, { amount: 10 });
    const edit = await h.api('POST', `/Invoices/${inv.InvoiceID}`, { body: { Invoices: [{ LineItems: [{ Description: 'X', Quantity: 1, UnitAmount: 5, AccountCode: '200' }] }] } });
    expect(edit.status).toBe(400);
    expect(edit.body.Elements[0].ValidationErrors).toEqual([{ Message: 'This document cannot be edited as it has a payment or credit note allocated to it.' }]);
    const voided = await h.api('POST', `/Invoices/${inv.InvoiceID}`, { body: { Invoices: [{ Status: 'VOIDED' }] } });
    expect(voided.body.Elements[0].ValidationErrors).toEqual([{ Message: 'The status VOIDED cannot be applied to the invoice because it has payments or credit notes allocated to it.' }]);
    expect((await h.api('POST', `/Invoices/${inv.InvoiceID}`, { body: { Invoices: [{ Reference: 'still fine' }] } })).status).toBe(200);
  });

  it('voids an AUTHORISED invoice, deletes a DRAFT, and refuses the other transitions', async () => {
    const { invoice: inv } = await seedInvoice(h);
    const bad = 'Invoice not of valid status for modification';
    expect((await h.api('POST', `/Invoices/${inv.InvoiceID}`, { body: { Invoices: [{ Status: 'DELETED' }] } })).body.Elements[0].ValidationErrors[0].Message).toBe(bad);
    expect((await h.api('POST', `/Invoices/${inv.InvoiceID}`, { body: { Invoices: [{ Status: 'DRAFT' }] } })).body.Elements[0].ValidationErrors[0].Message).toBe(bad);
    const voided = await h.api('POST', `/Invoices/${inv.InvoiceID}`, { body: { Invoices: [{ Status: 'VOIDED' }] } });
    expect(voided.body.Invoices[0]).toMatchObject({ Status: 'VOIDED', AmountDue: 0 });
    expect((await h.api('POST', `/Invoices/${inv.InvoiceID}`, { body: { Invoices: [{ Reference: 'x' }] } })).body.Elements[0].ValidationErrors[0].Message).toBe(bad);

    const draft = (await create({ Status: 'DRAFT', DueDate: undefined })).body.Invoices[0];
    const deleted = await h.api('POST', `/Invoices/${draft.InvoiceID}`, { body: { Invoices: [{ Status: 'DELETED' }] } });
    expect(deleted.body.Invoices[0].Status).toBe('DELETED');
    expect((await h.api('GET', '/Invoices')).body.Invoices.map((i: { Status: string }) => i.Status)).not.toContain('DELETED');
    expect((await h.api('GET', '/Invoices?Statuses=DELETED')).body.Invoices).toHaveLength(1);
  });

  it('approving needs a due date and at least one line with an account', async () => {
    expect(errorsOf(await create({ DueDate: undefined }))).toEqual(['Due Date is required.']);
    expect(errorsOf(await create({ LineItems: [] }))).toEqual(['At least one line item is required to approve an invoice.']);
    const draft = (await create({ Status: 'DRAFT' }, { AccountCode: undefined, TaxType: undefined })).body.Invoices[0];
    expect(draft.StatusAttributeString).toBe('OK');
    const approve = await h.api('POST', `/Invoices/${draft.InvoiceID}`, { body: { Invoices: [{ Status: 'AUTHORISED' }] } });
    expect(approve.status).toBe(400);
  });
});

describe('reading invoices', () => {
  it('filters by IDs, InvoiceNumbers, ContactIDs, Statuses and where; line items only when paged or fetched by id', async () => {
    const a = (await create({ InvoiceNumber: 'A-1', Reference: 'ref-a' })).body.Invoices[0];
    const b = (await create({ InvoiceNumber: 'B-2', Status: 'DRAFT', Date: '2026-05-01' })).body.Invoices[0];
    const names = (res: { body: any }) => res.body.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber).sort();
    expect(names(await h.api('GET', `/Invoices?IDs=${a.InvoiceID},${b.InvoiceID}`))).toEqual(['A-1', 'B-2']);
    expect(names(await h.api('GET', '/Invoices?InvoiceNumbers=B-2'))).toEqual(['B-2']);
    expect(names(await h.api('GET', `/Invoices?ContactIDs=${contactId}&Statuses=AUTHORISED`))).toEqual(['A-1']);
    const where = `Contact.ContactID==Guid("${contactId}") AND Date>=DateTime(2026, 04, 01)`;
    expect(names(await h.api('GET', `/Invoices?where=${encodeURIComponent(where)}`))).toEqual(['B-2']);
    expect(names(await h.api('GET', `/Invoices?where=${encodeURIComponent('Reference=="ref-a" && AmountDue>100')}`))).toEqual(['A-1']);
    expect((await h.api('GET', '/Invoices')).body.Invoices[0].LineItems).toBeUndefined();
    expect((await h.api('GET', '/Invoices?page=1')).body.Invoices[0].LineItems).toHaveLength(1);
    const one = (await h.api('GET', `/Invoices/${a.InvoiceID}`)).body.Invoices[0];
    expect(one.LineItems).toHaveLength(1);
    expect(one.Date).toBe('/Date(1772323200000+0000)/');
    expect(one.DateString).toBe('2026-03-01T00:00:00');
    expect((await h.api('GET', '/Invoices/A-1')).body.Invoices[0].InvoiceID).toBe(a.InvoiceID);
  });
});

describe('emailing invoices', () => {
  it('sends an approved sales invoice (204) and refuses drafts, contacts without email, demo companies and past the daily limit', async () => {
    const { invoice: inv } = await seedInvoice(h);
    expect((await h.api('POST', `/Invoices/${inv.InvoiceID}/Email`, { body: {} })).status).toBe(204);
    expect((await h.api('GET', `/Invoices/${inv.InvoiceID}`)).body.Invoices[0].SentToContact).toBe(true);

    const draft = (await create({ Status: 'DRAFT' })).body.Invoices[0];
    const refused = await h.api('POST', `/Invoices/${draft.InvoiceID}/Email`, { body: {} });
    expect(refused.status).toBe(400);
    expect(refused.body.Type).toBe('ValidationException');

    const noMail = (await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'No Mail' }] } })).body.Contacts[0];
    const toNoMail = (await create({ Contact: { ContactID: noMail.ContactID } })).body.Invoices[0];
    expect((await h.api('POST', `/Invoices/${toNoMail.InvoiceID}/Email`, { body: {} })).status).toBe(400);

    h.sandbox.control.setLimits({});
    const limited = h.sandbox.control.createOrganisation({ name: 'Trial Org', orgClass: 'TRIAL', emailDailyLimit: 1 });
    const demo = h.sandbox.control.createOrganisation({ name: 'Demo Company (NZ)', isDemoCompany: true });
    for (const [tenant, expected] of [[limited.tenantId, [204, 400]], [demo.tenantId, [400]]] as const) {
      const c = h.sandbox.control.createContact(tenant, { Name: 'Emailable', EmailAddress: 'e@example.org' });
      const tokens = await (await import('./helpers.ts')).connectApp(h.sandbox, h.clientId, h.clientSecret, [tenant]);
      for (const status of expected) {
        const i = h.sandbox.control.createInvoice(tenant, invoice({ Contact: { ContactID: c['ContactID'] } }));
        expect((await h.api('POST', `/Invoices/${i['InvoiceID']}/Email`, { body: {}, tenantId: tenant, token: tokens.access_token })).status).toBe(status);
      }
    }
    expect(h.sandbox.control.counters().emailsSent).toEqual({ [h.tenantId]: 1, [limited.tenantId]: 1 });
  });
});
