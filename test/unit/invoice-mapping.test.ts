/**
 * A platform invoice as a Xero ACCREC invoice, with the organisation's settings (the product page: "the
 * organisation's accounts, tax rates, status, currency and amount type"), and what stops one before any call.
 */
import { describe, expect, it } from 'vitest';
import { invoiceProblem, toXeroInvoice, voidStatusFor } from '../../activities/push/invoice-mapping.ts';
import { lineAccounts } from '../../activities/push/document-lines.ts';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import type { InvoiceWithLines } from '../../db/queries/invoices.ts';

const settings: EffectiveSettings = {
  defaultRevenueAccountCode: '200',
  invoiceStatus: 'AUTHORISED',
  amountType: 'INCLUSIVE',
  currencyCode: 'NZD',
  autoSyncInvoices: true,
  emailInvoices: false,
  contactMatchOrder: ['contact_number', 'email', 'name'],
  serviceAccounts: { EVENT: '260' },
  taxTypes: { GST15: 'OUTPUT2' },
  onlineInvoiceLinks: true,
  trackingCategories: {},
  serviceItems: {},
};

const line = (over: Partial<InvoiceWithLines['lines'][number]> = {}): InvoiceWithLines['lines'][number] => ({
  orgId: 'org',
  invoiceId: 'inv-1',
  lineNo: 1,
  serviceCode: null,
  description: 'Annual membership',
  quantity: '1.0000',
  unitAmount: '150.0000',
  taxCode: null,
  servicePeriodStart: null,
  servicePeriodEnd: null,
  discountRate: null,
  discountAmount: null,
  tracking: null,
  ...over,
});

const invoice = (over: Partial<InvoiceWithLines> = {}): InvoiceWithLines => ({
  orgId: 'org',
  id: 'inv-1',
  contactId: 'member-1',
  number: 'INV-0001',
  reference: 'Membership 2027',
  date: '2026-12-01',
  dueDate: '2026-12-31',
  currencyCode: null,
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
  lines: [line()],
  ...over,
});

describe('toXeroInvoice', () => {
  it('sends an ACCREC invoice with our number, the contact, the status, amount type and currency from the settings', () => {
    expect(toXeroInvoice(invoice(), 'xero-contact', null, settings)).toMatchObject({
      type: 'ACCREC',
      contact: { contactID: 'xero-contact' },
      invoiceNumber: 'INV-0001',
      reference: 'Membership 2027',
      date: '2026-12-01',
      dueDate: '2026-12-31',
      currencyCode: 'NZD',
      status: 'AUTHORISED',
      lineAmountTypes: 'Inclusive',
    });
    expect(toXeroInvoice(invoice(), 'xero-contact', null, settings).invoiceID).toBeUndefined();
    expect(toXeroInvoice(invoice(), 'xero-contact', 'xero-invoice', settings).invoiceID).toBe('xero-invoice');
  });

  it("posts each line to its service's account, else to the default revenue account, with mapped or default tax types", () => {
    const lines = toXeroInvoice(
      invoice({ lines: [line({ serviceCode: 'EVENT', taxCode: 'GST15' }), line({ lineNo: 2, serviceCode: 'UNMAPPED', quantity: '2.5000', unitAmount: '10.0100' })] }),
      'c',
      null,
      { ...settings, defaultTaxType: 'NONE' },
    ).lineItems;
    expect(lines).toEqual([
      { description: 'Annual membership', quantity: 1, unitAmount: 150, accountCode: '260', taxType: 'OUTPUT2' },
      { description: 'Annual membership', quantity: 2.5, unitAmount: 10.01, accountCode: '200', taxType: 'NONE' },
    ]);
  });

  it("prefers the invoice's own currency, names the service period on the line, and omits what is not set", () => {
    const sent = toXeroInvoice(invoice({ currencyCode: 'AUD', reference: null, lines: [line({ servicePeriodStart: '2027-01-01', servicePeriodEnd: '2027-12-31' })] }), 'c', null, {
      ...settings,
      amountType: 'NOTAX',
    });
    expect(sent).toMatchObject({ currencyCode: 'AUD', lineAmountTypes: 'NoTax', reference: undefined });
    expect(sent.lineItems![0]!.description).toBe('Annual membership (2027-01-01 to 2027-12-31)');
    expect(sent.lineItems![0]!).not.toHaveProperty('taxType');
    expect(toXeroInvoice(invoice(), 'c', null, { ...settings, currencyCode: undefined })).not.toHaveProperty('currencyCode');
  });
});

describe('deferred revenue', () => {
  const withDeferred = { ...settings, deferredRevenueAccountCode: '835' };
  const period = { servicePeriodStart: '2027-01-01', servicePeriodEnd: '2027-12-31' };

  it('posts a line with a service period to the deferred account, to be recognised into its own revenue account', () => {
    const sent = toXeroInvoice(
      invoice({ lines: [line({ ...period, serviceCode: 'EVENT' }), line({ lineNo: 2, ...period }), line({ lineNo: 3, serviceCode: 'EVENT' })] }),
      'c',
      null,
      withDeferred,
    );
    expect(sent.lineItems!.map((l) => l.accountCode)).toEqual(['835', '835', '260']);
    expect(lineAccounts(line({ ...period, serviceCode: 'EVENT' }), withDeferred)).toEqual({ postedTo: '835', revenueAccount: '260', deferred: true });
    expect(lineAccounts(line(period), withDeferred)).toEqual({ postedTo: '835', revenueAccount: '200', deferred: true });
  });

  it('posts to revenue as before without a deferred account, or without a service period', () => {
    expect(lineAccounts(line(period), settings)).toEqual({ postedTo: '200', revenueAccount: '200', deferred: false });
    expect(lineAccounts(line({ serviceCode: 'EVENT' }), withDeferred)).toEqual({ postedTo: '260', revenueAccount: '260', deferred: false });
    expect(toXeroInvoice(invoice({ lines: [line(period)] }), 'c', null, settings).lineItems![0]!.accountCode).toBe('200');
  });
});

describe('toXeroInvoice: what Xero adds to a line and a document', () => {
  it("sends a line's discount as Xero's DiscountRate or DiscountAmount, and a mapped service's item as ItemCode beside our own account", () => {
    const sent = toXeroInvoice(
      invoice({ lines: [line({ serviceCode: 'EVENT', discountRate: '12.5000' }), line({ lineNo: 2, discountAmount: '5.00' })] }),
      'c',
      null,
      { ...settings, serviceItems: { EVENT: 'EVENT-ENTRY' } },
    );
    expect(sent.lineItems).toEqual([
      { description: 'Annual membership', quantity: 1, unitAmount: 150, itemCode: 'EVENT-ENTRY', accountCode: '260', discountRate: 12.5 },
      { description: 'Annual membership', quantity: 1, unitAmount: 150, accountCode: '200', discountAmount: 5 },
    ]);
  });

  it("sends the resolved tracking per line and the invoice's own branding theme over the organisation's", () => {
    const names = { tracking: [[{ name: 'Chapter', option: 'Auckland' }], undefined], brandingThemeId: 'own-theme' };
    const sent = toXeroInvoice(invoice({ lines: [line(), line({ lineNo: 2 })] }), 'c', null, { ...settings, brandingThemeId: 'org-theme' }, names);
    expect(sent.brandingThemeID).toBe('own-theme');
    expect(sent.lineItems![0]!.tracking).toEqual([{ name: 'Chapter', option: 'Auckland' }]);
    expect(sent.lineItems![1]!).not.toHaveProperty('tracking');
    expect(toXeroInvoice(invoice(), 'c', null, { ...settings, brandingThemeId: 'org-theme' }).brandingThemeID).toBe('org-theme');
    expect(toXeroInvoice(invoice(), 'c', null, settings)).not.toHaveProperty('brandingThemeID');
  });

  it('voids by deleting a draft or submitted invoice and voiding an approved one, from Xero\'s last known status', () => {
    expect(voidStatusFor('DRAFT', 'AUTHORISED')).toBe('DELETED');
    expect(voidStatusFor('SUBMITTED', 'AUTHORISED')).toBe('DELETED');
    expect(voidStatusFor('AUTHORISED', 'DRAFT')).toBe('VOIDED');
    // Never read back: what it was created as.
    expect(voidStatusFor(null, 'DRAFT')).toBe('DELETED');
    expect(voidStatusFor(null, 'AUTHORISED')).toBe('VOIDED');
  });
});

describe('invoiceProblem', () => {
  const inXero = { state: 'synced', xeroId: 'xero-contact', lastError: null };

  it('passes an invoice whose contact is in Xero and whose tax codes are all mapped', () => {
    expect(invoiceProblem(invoice({ lines: [line({ taxCode: 'GST15' })] }), inXero, settings)).toBeUndefined();
  });

  it('stops an invoice whose contact is unknown or not in Xero, saying what to do', () => {
    expect(invoiceProblem(invoice(), undefined, settings)).toEqual({ error: 'Unknown contact member-1.', hint: 'Send the contact (PUT .../contacts/{id}) before its invoices.' });
    expect(invoiceProblem(invoice(), { state: 'failed', xeroId: null, lastError: 'Xero said no' }, settings)).toEqual({
      error: 'Contact member-1 is not in Xero (failed: Xero said no).',
      hint: 'Fix the contact, then retry this invoice.',
    });
  });

  it('names every unmapped platform tax code once', () => {
    const problem = invoiceProblem(invoice({ lines: [line({ taxCode: 'VAT20' }), line({ lineNo: 2, taxCode: 'VAT20' }), line({ lineNo: 3, taxCode: 'ZERO' })] }), inXero, settings);
    expect(problem).toEqual({
      error: 'No Xero tax type is mapped for platform tax code VAT20, ZERO.',
      hint: 'Map tax code VAT20 to a Xero tax type in Settings > Integrations > Xero > Mappings.',
    });
  });

  it("refuses a currency the organisation's Xero is known not to have, in Xero's words; sends when nothing is known", () => {
    expect(invoiceProblem(invoice({ currencyCode: 'EUR' }), inXero, settings, ['NZD', 'AUD'])).toEqual({
      error: 'Organisation is not subscribed to currency EUR (invoice INV-0001 not sent; enabled in Xero: NZD, AUD).',
      hint: "Enable currency EUR in Xero (Settings > Currencies), or invoice in the organisation's base currency.",
    });
    // The settings' currency when the invoice has none of its own.
    expect(invoiceProblem(invoice(), inXero, { ...settings, currencyCode: 'USD' }, ['NZD'])?.error).toMatch(/^Organisation is not subscribed to currency USD/);
    expect(invoiceProblem(invoice({ currencyCode: 'AUD' }), inXero, settings, ['NZD', 'AUD'])).toBeUndefined();
    expect(invoiceProblem(invoice({ currencyCode: 'EUR' }), inXero, settings, undefined)).toBeUndefined();
    expect(invoiceProblem(invoice({ currencyCode: 'EUR' }), inXero, settings)).toBeUndefined();
  });
});
