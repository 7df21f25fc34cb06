/** The official SDK reaches everything the sandbox added for accounting features, and its requests conform to the spec. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditNote, Invoice, LineAmountTypes, ManualJournal, XeroClient, type Payment } from 'xero-node';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';

let h: Harness;
let xero: XeroClient;
beforeEach(async () => {
  h = await startHarness({ validateRequests: 'record' });
  xero = new XeroClient({ clientId: h.clientId, clientSecret: h.clientSecret, redirectUris: ['http://localhost:3999/callback'], scopes: [] });
  xero.accountingApi.basePath = h.sandbox.apiUrl;
  xero.setTokenSet(h.tokens);
});
afterEach(async () => {
  // Every request xero-node sent conforms to Xero's OpenAPI spec.
  expect(h.sandbox.control.specViolations()).toEqual([]);
  await h.close();
});

describe('xero-node and the accounting catalogues', () => {
  it('getTrackingCategories, getTrackingCategory, getBrandingThemes, getItems, getItem, getOrganisations', async () => {
    const tracking = await xero.accountingApi.getTrackingCategories(h.tenantId, 'Status=="ACTIVE"', 'Name', true);
    expect(tracking.body.trackingCategories!.map((c) => c.name)).toEqual(['Chapter', 'Region']);
    const region = tracking.body.trackingCategories!.find((c) => c.name === 'Region')!;
    expect(region.options!.map((o) => o.name)).toEqual(['North', 'Central', 'South', 'Overseas']);
    expect((await xero.accountingApi.getTrackingCategory(h.tenantId, region.trackingCategoryID!)).body.trackingCategories![0]!.name).toBe('Region');

    const themes = await xero.accountingApi.getBrandingThemes(h.tenantId);
    expect(themes.body.brandingThemes!.map((t) => [t.name, t.sortOrder])).toEqual([['Standard', 0], ['Special projects', 1]]);
    expect(themes.body.brandingThemes![0]!.createdDateUTC).toBeInstanceOf(Date);

    const items = await xero.accountingApi.getItems(h.tenantId, undefined, 'IsSold==true', 'Code', 4);
    expect(items.body.items!.map((i) => i.code)).toEqual(['EVENT-ENTRY', 'MEMBER-FULL', 'MEMBER-JUNIOR']);
    expect(items.body.items![1]!.salesDetails).toMatchObject({ unitPrice: 120, accountCode: '200', taxType: 'OUTPUT2' });
    expect((await xero.accountingApi.getItem(h.tenantId, items.body.items![0]!.itemID!)).body.items![0]!.code).toBe('EVENT-ENTRY');

    const org = (await xero.accountingApi.getOrganisations(h.tenantId)).body.organisations![0]!;
    expect(org).toMatchObject({ baseCurrency: 'NZD', isDemoCompany: false });
    expect(String(org.timezone)).toBe('NEWZEALANDSTANDARDTIME');
    expect(String(org.organisationType)).toBe('COMPANY');
  });

  it('invoices with tracking, an item, a discount and a branding theme; getOnlineInvoice; updateInvoice with a status', async () => {
    const [special] = (await xero.accountingApi.getBrandingThemes(h.tenantId)).body.brandingThemes!.slice(1);
    const created = await xero.accountingApi.createInvoices(h.tenantId, { invoices: [{
      type: Invoice.TypeEnum.ACCREC, contact: { name: 'SDK Member' }, date: '2026-04-01', dueDate: '2026-04-30', status: Invoice.StatusEnum.AUTHORISED,
      lineAmountTypes: LineAmountTypes.Exclusive, brandingThemeID: special!.brandingThemeID,
      lineItems: [
        { itemCode: 'MEMBER-FULL', quantity: 1, discountRate: 25, tracking: [{ name: 'Region', option: 'South' }, { name: 'Chapter', option: 'Nowhere' }] },
        { description: 'Event', quantity: 2, unitAmount: 25, accountCode: '260', discountAmount: 5 },
      ],
    }] }, false, 2);
    const invoice = created.body.invoices![0]!;
    expect(invoice).toMatchObject({ statusAttributeString: 'OK', subTotal: 135, totalTax: 20.25, total: 155.25, totalDiscount: 35, brandingThemeID: special!.brandingThemeID });
    expect(invoice.lineItems![0]!.tracking!.map((t) => t.option)).toEqual(['South']);
    expect(invoice.lineItems![0]!.item).toMatchObject({ code: 'MEMBER-FULL', name: 'Full membership' });

    const online = await xero.accountingApi.getOnlineInvoice(h.tenantId, invoice.invoiceID!);
    expect(online.body.onlineInvoices![0]!.onlineInvoiceUrl).toMatch(/\/in\/[A-Za-z0-9]{40}$/);

    const voided = await xero.accountingApi.updateInvoice(h.tenantId, invoice.invoiceID!, { invoices: [{ invoiceID: invoice.invoiceID, status: Invoice.StatusEnum.VOIDED }] });
    expect(voided.body.invoices![0]).toMatchObject({ status: Invoice.StatusEnum.VOIDED, amountDue: 0 });
  });

  it('createCreditNotes, createCreditNoteAllocation, createPayments against a credit note, getCreditNotes', async () => {
    const { invoice, contactId } = await seedInvoice(h); // 115 due
    const notes = await xero.accountingApi.createCreditNotes(h.tenantId, { creditNotes: [{
      type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { contactID: contactId }, date: '2026-02-01', status: CreditNote.StatusEnum.AUTHORISED,
      lineItems: [{ description: 'Refund', quantity: 1, unitAmount: 40, accountCode: '200', taxType: 'OUTPUT2' }],
    }] }, false, undefined, 'sdk-cn-1');
    const note = notes.body.creditNotes![0]!;
    expect(note).toMatchObject({ creditNoteNumber: 'CN-0001', total: 46, remainingCredit: 46, statusAttributeString: 'OK' });

    const allocated = await xero.accountingApi.createCreditNoteAllocation(h.tenantId, note.creditNoteID!, { allocations: [{ invoice: { invoiceID: invoice['InvoiceID'] }, amount: 16, date: '2026-02-02' }] }, false, 'sdk-alloc-1');
    expect(allocated.body.allocations![0]).toMatchObject({ amount: 16 });
    expect((await xero.accountingApi.getInvoice(h.tenantId, invoice['InvoiceID'])).body.invoices![0]).toMatchObject({ amountCredited: 16, amountDue: 99 });

    const refund = await xero.accountingApi.createPayments(h.tenantId, { payments: [{ creditNote: { creditNoteID: note.creditNoteID }, account: { code: '090' }, amount: 30, date: '2026-02-03', reference: 'Refund' } as Payment] }, false, 'sdk-refund-1');
    expect(refund.body.payments![0]).toMatchObject({ amount: 30, creditNote: { creditNoteID: note.creditNoteID } });
    expect(String(refund.body.payments![0]!.paymentType)).toBe('ARCREDITPAYMENT');

    const listed = await xero.accountingApi.getCreditNotes(h.tenantId, undefined, `Contact.ContactID==Guid("${contactId}")`, 'CreditNoteNumber', 1, 2, 100);
    expect(listed.body.creditNotes![0]).toMatchObject({ status: CreditNote.StatusEnum.PAID, remainingCredit: 0 });
    expect(listed.body.creditNotes![0]!.fullyPaidOnDate).toBeInstanceOf(Date);
    expect(listed.body.creditNotes![0]!.lineItems).toHaveLength(1);

    const updated = await xero.accountingApi.updateOrCreateCreditNotes(h.tenantId, { creditNotes: [{ creditNoteID: note.creditNoteID, reference: 'Paid out' }] }, false);
    expect(updated.body.creditNotes![0]).toMatchObject({ reference: 'Paid out' });
  });

  it('createManualJournals and getManualJournals by exact narration', async () => {
    const narration = 'Revenue recognition 2026-03 (org 42)';
    const created = await xero.accountingApi.createManualJournals(h.tenantId, { manualJournals: [{
      narration, date: '2026-03-31', status: ManualJournal.StatusEnum.POSTED,
      journalLines: [
        { lineAmount: 120, accountCode: '835', description: 'Release', tracking: [{ name: 'Region', option: 'North' }] },
        { lineAmount: -120, accountCode: '200', description: 'Recognise', taxType: 'NONE' },
      ],
    }] }, false, 'rr-2026-03-org-42');
    expect(created.body.manualJournals![0]).toMatchObject({ narration, statusAttributeString: 'OK' });
    await xero.accountingApi.createManualJournals(h.tenantId, { manualJournals: [{ narration: `${narration} v2`, date: '2026-03-31', journalLines: [{ lineAmount: 1, accountCode: '835' }, { lineAmount: -1, accountCode: '200' }] }] });
    const found = await xero.accountingApi.getManualJournals(h.tenantId, undefined, `Narration=="${narration}"`, undefined, 1);
    expect(found.body.manualJournals!.map((j) => j.narration)).toEqual([narration]);
    expect(found.body.manualJournals![0]!.journalLines![0]!.tracking![0]).toMatchObject({ name: 'Region', option: 'North' });
    expect(found.body.manualJournals![0]!.date).toBeInstanceOf(Date);
  });
});
