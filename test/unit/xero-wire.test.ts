/**
 * The batch pushes' bodies built in Xero's wire shape, and their answers read, without xero-node's
 * ObjectSerializer (xero/wire.ts): the JSON Xero receives must be the JSON xero-node would have sent for the
 * same element, and what is read back must be what xero-node would have given for the fields read.
 */
import { describe, expect, it } from 'vitest';
import { ObjectSerializer, type Contact, type Invoice } from 'xero-node';
import { toXeroContact } from '../../activities/push/contacts.ts';
import { toXeroInvoice } from '../../activities/push/invoice-mapping.ts';
import type { ContactRow } from '../../db/queries/contacts.ts';
import type { InvoiceWithLines } from '../../db/queries/invoices.ts';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import { fromWire, toWire, wireElements } from '../../xero/wire.ts';

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const settings: EffectiveSettings = {
  defaultRevenueAccountCode: '200',
  deferredRevenueAccountCode: '820',
  invoiceStatus: 'AUTHORISED',
  amountType: 'EXCLUSIVE',
  currencyCode: 'NZD',
  autoSyncInvoices: true,
  emailInvoices: false,
  contactMatchOrder: ['contact_number', 'email', 'name'],
  serviceAccounts: { EVENT: '260' },
  serviceItems: { EVENT: 'EVT-TICKET' },
  taxTypes: { GST15: 'OUTPUT2' },
  defaultTaxType: 'NONE',
  brandingThemeId: '5d4e8c3a-6b1f-4f3e-9a57-1f2d3c4b5a69',
  onlineInvoiceLinks: true,
  trackingCategories: {},
};

const contact = (over: Partial<ContactRow> = {}): ContactRow => ({
  orgId: 'org',
  id: 'member-1',
  name: 'Ada Lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.org',
  phone: '+64 21 555 0101',
  contentHash: 'h',
  createdAt: new Date(),
  updatedAt: new Date(),
  ...over,
} as ContactRow);

const invoice: InvoiceWithLines = {
  orgId: 'org',
  id: 'inv-1',
  contactId: 'member-1',
  number: 'INV-0001',
  reference: 'Membership 2027',
  date: '2026-12-01',
  dueDate: '2026-12-31',
  currencyCode: 'AUD',
  total: null,
  amountPaid: '0',
  amountDue: null,
  xeroStatus: null,
  emailedAt: null,
  brandingTheme: null,
  voidRequestedAt: null,
  onlineInvoiceUrl: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  lines: [
    { orgId: 'org', invoiceId: 'inv-1', lineNo: 1, serviceCode: null, description: 'Annual membership', quantity: '1.0000', unitAmount: '150.0000', taxCode: 'GST15', servicePeriodStart: '2027-01-01', servicePeriodEnd: '2027-12-31', discountRate: '10', discountAmount: null, tracking: null },
    { orgId: 'org', invoiceId: 'inv-1', lineNo: 2, serviceCode: 'EVENT', description: 'Gala dinner', quantity: '2.0000', unitAmount: '45.5000', taxCode: null, servicePeriodStart: null, servicePeriodEnd: null, discountRate: null, discountAmount: '5.00', tracking: null },
  ],
} as InvoiceWithLines;

describe('toWire: the request body xero-node would have sent', () => {
  it('a contact, created and updated, with and without a phone', () => {
    const elements: Contact[] = [toXeroContact(contact(), null), toXeroContact(contact({ phone: null, firstName: null, email: null }), '9b1f0d5c-3a2e-4c1b-8f7a-6e5d4c3b2a19')];
    expect(json(toWire({ contacts: elements }, 'Contacts'))).toEqual(json(ObjectSerializer.serialize({ contacts: elements }, 'Contacts')));
    expect(json(toWire({ contacts: elements }, 'Contacts'))).toMatchObject({ Contacts: [{ ContactNumber: 'member-1', Name: 'Ada Lovelace', EmailAddress: 'ada@example.org', Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '+64 21 555 0101' }] }, { ContactID: '9b1f0d5c-3a2e-4c1b-8f7a-6e5d4c3b2a19' }] });
  });

  it('an invoice with items, tax types, discounts, tracking, a branding theme and a currency, and a void', () => {
    const tracking = [[{ name: 'Region', option: 'North' }], undefined];
    const elements: Invoice[] = [
      toXeroInvoice(invoice, 'c0ffee00-0000-4000-8000-000000000001', null, settings, { tracking }),
      toXeroInvoice(invoice, 'c0ffee00-0000-4000-8000-000000000001', 'c0ffee00-0000-4000-8000-000000000002', settings),
      { invoiceID: 'c0ffee00-0000-4000-8000-000000000003', status: 'VOIDED' as unknown as Invoice.StatusEnum },
    ];
    const wire = json(toWire({ invoices: elements }, 'Invoices'));
    expect(wire).toEqual(json(ObjectSerializer.serialize({ invoices: elements }, 'Invoices')));
    expect(wire).toMatchObject({
      Invoices: [
        {
          Type: 'ACCREC',
          Contact: { ContactID: 'c0ffee00-0000-4000-8000-000000000001' },
          InvoiceNumber: 'INV-0001',
          CurrencyCode: 'AUD',
          LineAmountTypes: 'Exclusive',
          BrandingThemeID: settings.brandingThemeId,
          LineItems: [
            { Description: 'Annual membership (2027-01-01 to 2027-12-31)', AccountCode: '820', TaxType: 'OUTPUT2', DiscountRate: 10, Tracking: [{ Name: 'Region', Option: 'North' }] },
            { ItemCode: 'EVT-TICKET', AccountCode: '260', TaxType: 'NONE', DiscountAmount: 5, Quantity: 2, UnitAmount: 45.5 },
          ],
        },
        { InvoiceID: 'c0ffee00-0000-4000-8000-000000000002' },
        { InvoiceID: 'c0ffee00-0000-4000-8000-000000000003', Status: 'VOIDED' },
      ],
    });
  });

  it('drops keys the model does not declare, as xero-node does', () => {
    expect(toWire({ name: 'A', notAField: 1 }, 'Contact')).toEqual({ Name: 'A' });
  });
});

// Shaped as Xero answers a POST /Contacts and POST /Invoices with summarizeErrors=false (one taken, one refused).
const contactsAnswer = {
  Id: 'a3b9c1d2-0000-4000-8000-00000000000a',
  Status: 'OK',
  Contacts: [
    {
      ContactID: '9b1f0d5c-3a2e-4c1b-8f7a-6e5d4c3b2a19',
      ContactNumber: 'member-1',
      ContactStatus: 'ACTIVE',
      Name: 'Ada Lovelace',
      EmailAddress: 'Ada@Example.org',
      Addresses: [{ AddressType: 'POBOX' }],
      Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '+64 21 555 0101' }],
      UpdatedDateUTC: '/Date(1573755038314+0000)/',
      IsSupplier: false,
      IsCustomer: false,
      HasValidationErrors: false,
    },
    { Name: 'Ada Lovelace', ContactNumber: 'member-2', HasValidationErrors: true, ValidationErrors: [{ Message: 'The contact name Ada Lovelace is already assigned to another contact.' }] },
  ],
};

const invoicesAnswer = {
  Invoices: [
    {
      Type: 'ACCREC',
      InvoiceID: 'c0ffee00-0000-4000-8000-000000000002',
      InvoiceNumber: 'INV-0001',
      Contact: { ContactID: 'c0ffee00-0000-4000-8000-000000000001', Name: 'Ada Lovelace', Addresses: [], Phones: [], UpdatedDateUTC: '/Date(1573755038314+0000)/' },
      Date: '/Date(1796083200000+0000)/',
      DateString: '2026-12-01T00:00:00',
      Status: 'AUTHORISED',
      LineAmountTypes: 'Exclusive',
      LineItems: [{ Description: 'Annual membership', Quantity: 1, UnitAmount: 150, TaxType: 'OUTPUT2', TaxAmount: 20.25, LineAmount: 135, AccountCode: '820', Tracking: [{ Name: 'Region', Option: 'North' }], LineItemID: 'c0ffee00-0000-4000-8000-0000000000aa' }],
      SubTotal: 135,
      TotalTax: 20.25,
      Total: 155.25,
      AmountDue: 155.25,
      AmountPaid: 0,
      CurrencyCode: 'AUD',
      CurrencyRate: 1.0834,
      UpdatedDateUTC: '/Date(1796083200000+0000)/',
    },
    { InvoiceNumber: 'INV-0002', HasErrors: true, ValidationErrors: [{ Message: 'Invoice # must be unique.' }] },
  ],
};

function pick(model: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => model[f] !== undefined).map((f) => [f, model[f]]));
}

describe('fromWire: what xero-node would have read, for the fields read', () => {
  it("contacts: ids, errors and what the contact index keeps (dates as dates)", () => {
    const fields = ['contactID', 'validationErrors', 'contactNumber', 'emailAddress', 'name', 'contactStatus', 'updatedDateUTC'];
    const read = wireElements(contactsAnswer, 'Contacts').map((raw) => fromWire<Record<string, unknown>>(raw, 'Contact', fields));
    const expected = (ObjectSerializer.deserialize(contactsAnswer, 'Contacts') as { contacts: Array<Record<string, unknown>> }).contacts.map((c) => pick(c, fields));
    expect(json(read)).toEqual(json(expected));
    expect(read[0]!.updatedDateUTC).toEqual(new Date(1573755038314));
    expect(read[1]).toMatchObject({ validationErrors: [{ message: 'The contact name Ada Lovelace is already assigned to another contact.' }] });
  });

  it('invoices: ids, errors, state and the lines with their figures', () => {
    const fields = ['invoiceID', 'validationErrors', 'status', 'total', 'amountPaid', 'amountDue', 'lineItems', 'lineAmountTypes', 'currencyCode', 'currencyRate'];
    const read = wireElements(invoicesAnswer, 'Invoices').map((raw) => fromWire<Record<string, unknown>>(raw, 'Invoice', fields));
    const expected = (ObjectSerializer.deserialize(invoicesAnswer, 'Invoices') as { invoices: Array<Record<string, unknown>> }).invoices.map((i) => pick(i, fields));
    expect(json(read)).toEqual(json(expected));
    expect(read[0]).toMatchObject({ status: 'AUTHORISED', total: 155.25, lineItems: [{ lineAmount: 135, taxAmount: 20.25, tracking: [{ name: 'Region', option: 'North' }] }] });
  });

  it('an answer without the list reads as no elements, and a field the model lacks is a mistake in our code', () => {
    expect(wireElements(undefined, 'Invoices')).toEqual([]);
    expect(wireElements({ Invoices: 'x' }, 'Invoices')).toEqual([]);
    expect(() => fromWire({}, 'Invoice', ['nonsense'])).toThrow(/no field nonsense/);
  });
});
