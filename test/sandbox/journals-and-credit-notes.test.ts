import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

describe('manual journals', () => {
  it('posts a balanced journal and reads it back', async () => {
    const res = await h.api('PUT', '/ManualJournals', { body: { ManualJournals: [{ Narration: 'Recognise March revenue', Date: '2026-03-31', Status: 'POSTED', JournalLines: [
      { LineAmount: 100, AccountCode: '835', Description: 'Release deferred revenue' },
      { LineAmount: -100, AccountCode: '200', Description: 'Membership revenue' },
    ] }] } });
    expect(res.status).toBe(200);
    const journal = res.body.ManualJournals[0];
    expect(journal).toMatchObject({ Narration: 'Recognise March revenue', Status: 'POSTED', LineAmountTypes: 'NoTax' });
    expect((await h.api('GET', `/ManualJournals/${journal.ManualJournalID}`)).body.ManualJournals[0].JournalLines).toHaveLength(2);
    expect((await h.api('GET', '/ManualJournals')).body.ManualJournals).toHaveLength(1);
  });

  it('refuses unbalanced lines, archived accounts and a missing narration', async () => {
    const res = await h.api('PUT', '/ManualJournals?summarizeErrors=false', { body: { ManualJournals: [
      { Narration: 'Bad', JournalLines: [{ LineAmount: 100, AccountCode: '835' }, { LineAmount: -10, AccountCode: '200' }] },
      { Narration: 'Archived', JournalLines: [{ LineAmount: 10, AccountCode: '280' }, { LineAmount: -10, AccountCode: '200' }] },
      { JournalLines: [{ LineAmount: 10, AccountCode: '835' }, { LineAmount: -10, AccountCode: '200' }] },
    ] } });
    const [unbalanced, archived, unnamed] = res.body.ManualJournals;
    expect(unbalanced.ValidationErrors).toEqual([{ Message: 'The total debits (100.00) must equal total credits (-10.00)' }]);
    expect(archived.ValidationErrors[0].Message).toBe("Account code '280' is not a valid code for this document.");
    expect(unnamed.ValidationErrors).toEqual([{ Message: 'Narration must be specified.' }]);
  });
});

describe('credit notes', () => {
  it('creates an authorised credit note and allocates it to an invoice, settling it', async () => {
    const { invoice, contactId } = await seedInvoice(h); // 115 due
    const created = await h.api('PUT', '/CreditNotes', { body: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, Date: '2026-02-01', Status: 'AUTHORISED',
      LineItems: [{ Description: 'Refund', Quantity: 1, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT2' }] }] } });
    expect(created.status).toBe(200);
    const note = created.body.CreditNotes[0];
    expect(note).toMatchObject({ CreditNoteNumber: 'CN-0001', Total: 115, RemainingCredit: 115, Status: 'AUTHORISED' });
    const tooMuch = await h.api('PUT', `/CreditNotes/${note.CreditNoteID}/Allocations?summarizeErrors=false`, { body: { Allocations: [{ Invoice: { InvoiceID: invoice.InvoiceID }, Amount: 200, Date: '2026-02-02' }] } });
    expect(tooMuch.body.Allocations[0].StatusAttributeString).toBe('ERROR');
    const allocated = await h.api('PUT', `/CreditNotes/${note.CreditNoteID}/Allocations`, { body: { Allocations: [{ Invoice: { InvoiceID: invoice.InvoiceID }, Amount: 115, Date: '2026-02-02' }] } });
    expect(allocated.status).toBe(200);
    const inv = (await h.api('GET', `/Invoices/${invoice.InvoiceID}`)).body.Invoices[0];
    expect(inv).toMatchObject({ Status: 'PAID', AmountCredited: 115, AmountDue: 0 });
    expect((await h.api('GET', `/CreditNotes/${note.CreditNoteID}`)).body.CreditNotes[0]).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
    expect((await h.api('GET', '/CreditNotes')).body.CreditNotes).toHaveLength(1);
  });
});
