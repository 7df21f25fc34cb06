/**
 * Credit notes (ACCRECCREDIT / ACCPAYCREDIT) and their allocation to invoices. An allocation needs both
 * documents AUTHORISED, the same contact and currency, and cannot exceed the credit left or the amount due.
 */
import { randomUUID } from 'node:crypto';
import { round } from '../money.ts';
import { calendarDate, dateString, isoSeconds, msDate, msDateOnly, parseDateOnly } from '../xero-dates.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { documentBrandingTheme } from './branding-themes.ts';
import { documentCurrency } from './currency-rates.ts';
import { contactForDocument, renderContactSummary } from './contacts.ts';
import { change, touch, type BooksContext } from './context.ts';
import { postDataInvalid } from './errors.ts';
import { array, compact, number, object, text, type Json } from './fields.ts';
import { findInvoice, settle } from './invoices.ts';
import { computeLines, readLineAmountTypes, renderLine, totals } from './line-items.ts';
import type { Books, CreditNote, CreditNoteStatus } from './records.ts';
import { ONLY_AUTHORISED } from './payments.ts';

export const CREDIT_NUMBER_TAKEN = 'Credit Note # must be unique.';
export const ALLOCATION_EXCEEDS_CREDIT = 'The amount allocated exceeds the remaining credit on this credit note.';
export const ALLOCATION_EXCEEDS_DUE = 'The amount allocated exceeds the amount outstanding on the invoice.';
export const ALLOCATION_CONTACT = 'The invoice and credit note must be for the same contact.';
export const ALLOCATION_CURRENCY = 'The invoice and credit note must be in the same currency.';
export const ALLOCATION_NOT_AUTHORISED = 'Credit notes can only be allocated when they are AUTHORISED.';

function creditNumberTaken(books: Books, number: string): boolean {
  for (const cn of books.creditNotes.values()) if (cn.Status !== 'DELETED' && cn.CreditNoteNumber.toLowerCase() === number.toLowerCase()) return true;
  return false;
}

export function createCreditNote(ctx: BooksContext, input: Json, unitDp: 2 | 4): ElementResult {
  const { books } = ctx;
  const errors: string[] = [];
  const fail = (messages: string[]): ElementResult => ({ element: { ...input, CreditNoteID: ZERO_GUID }, errors: messages });
  const type = text(input, 'Type')?.toUpperCase();
  if (type !== 'ACCRECCREDIT' && type !== 'ACCPAYCREDIT') return fail(['Credit Note Type must be ACCRECCREDIT or ACCPAYCREDIT.']);
  const status = (text(input, 'Status')?.toUpperCase() || 'DRAFT') as CreditNoteStatus;
  if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status)) errors.push('Credit note not of valid status for creation');
  const lineAmountTypes = readLineAmountTypes(text(input, 'LineAmountTypes'), 'Exclusive');
  if (lineAmountTypes === 'invalid') throw postDataInvalid("Requested value was not found. Path 'LineAmountTypes'.");
  const currency = documentCurrency(books, input, errors);
  const brandingThemeId = documentBrandingTheme(books, input, errors);
  const rawDate = text(input, 'Date');
  const date = rawDate ? parseDateOnly(rawDate) : calendarDate(ctx.now());
  if (!date) errors.push('Date must be a valid date.');
  let creditNoteNumber = text(input, 'CreditNoteNumber')?.trim() ?? '';
  if (type === 'ACCRECCREDIT' && creditNoteNumber && creditNumberTaken(books, creditNoteNumber)) errors.push(CREDIT_NUMBER_TAKEN);
  const { lines, errors: lineErrors } = computeLines(books, array(input, 'LineItems') ?? [], {
    side: type === 'ACCRECCREDIT' ? 'sales' : 'purchases', discounts: false, lineAmountTypes, approving: status !== 'DRAFT', unitDp,
  });
  errors.push(...lineErrors);
  if (errors.length > 0) return fail([...new Set(errors)]);
  const { contact, error } = contactForDocument(ctx, object(input, 'Contact'));
  if (!contact) return fail([error!]);
  if (type === 'ACCRECCREDIT' && !creditNoteNumber) {
    do creditNoteNumber = `CN-${String(books.nextCreditNoteNumber++).padStart(4, '0')}`;
    while (creditNumberTaken(books, creditNoteNumber));
  }
  const sums = totals(lines, lineAmountTypes);
  const note: CreditNote = compact({
    CreditNoteID: randomUUID(),
    Type: type,
    ContactID: contact.ContactID,
    CreditNoteNumber: creditNoteNumber,
    Reference: text(input, 'Reference'),
    Date: date!,
    LineAmountTypes: lineAmountTypes,
    LineItems: lines,
    ...currency,
    BrandingThemeID: brandingThemeId,
    Status: status,
    SubTotal: sums.SubTotal,
    TotalTax: sums.TotalTax,
    Total: sums.Total,
    RemainingCredit: sums.Total,
    Allocations: [],
    updatedAt: touch(ctx),
  }) as CreditNote;
  books.creditNotes.set(note.CreditNoteID, note);
  change(ctx, 'CREDITNOTE', 'CREATE', note.CreditNoteID);
  return { element: renderCreditNote(books, note), errors: [] };
}

/** PUT /CreditNotes/{id}/Allocations: applies credit to invoices. */
export function allocateCreditNote(ctx: BooksContext, note: CreditNote, input: Json): ElementResult {
  const { books } = ctx;
  const fail = (messages: string[]): ElementResult => ({ element: { ...input }, errors: messages });
  if (note.Status !== 'AUTHORISED') return fail([ALLOCATION_NOT_AUTHORISED]);
  const invoiceRef = object(input, 'Invoice');
  const invoice = invoiceRef ? findInvoice(books, invoiceRef) : undefined;
  if (!invoice || invoice === 'unknown-id') return fail(['The document with the supplied id was not found for this endpoint.']);
  const amount = round(number(input, 'Amount') ?? 0);
  const errors: string[] = [];
  if (invoice.Status !== 'AUTHORISED') errors.push(ONLY_AUTHORISED);
  if (invoice.ContactID !== note.ContactID) errors.push(ALLOCATION_CONTACT);
  if (invoice.CurrencyCode !== note.CurrencyCode) errors.push(ALLOCATION_CURRENCY);
  if (amount <= 0) errors.push('The amount allocated must be greater than zero.');
  if (amount > note.RemainingCredit) errors.push(ALLOCATION_EXCEEDS_CREDIT);
  else if (amount > invoice.AmountDue) errors.push(ALLOCATION_EXCEEDS_DUE);
  const date = parseDateOnly(text(input, 'Date')) ?? calendarDate(ctx.now());
  if (errors.length > 0) return fail(errors);

  const allocation = { AllocationID: randomUUID(), InvoiceID: invoice.InvoiceID, Amount: amount, Date: date };
  note.Allocations.push(allocation);
  note.RemainingCredit = round(note.RemainingCredit - amount);
  if (note.RemainingCredit === 0) {
    note.Status = 'PAID';
    note.FullyPaidOnDate = date;
  }
  note.updatedAt = touch(ctx, note.updatedAt);
  change(ctx, 'CREDITNOTE', 'UPDATE', note.CreditNoteID);
  invoice.AmountCredited = round(invoice.AmountCredited + amount);
  settle(ctx, invoice, date);
  return {
    element: {
      AllocationID: allocation.AllocationID,
      Amount: amount,
      Date: msDateOnly(date),
      Invoice: { InvoiceID: invoice.InvoiceID, InvoiceNumber: invoice.InvoiceNumber, Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], HasErrors: false, IsDiscounted: false, LineItems: [] },
      CreditNote: { CreditNoteID: note.CreditNoteID, CreditNoteNumber: note.CreditNoteNumber },
      IsDeleted: false,
    },
    errors: [],
  };
}

export function renderCreditNote(books: Books, cn: CreditNote): Record<string, unknown> {
  return compact({
    CreditNoteID: cn.CreditNoteID,
    CreditNoteNumber: cn.CreditNoteNumber,
    Type: cn.Type,
    Reference: cn.Reference,
    Contact: renderContactSummary(books.contacts.get(cn.ContactID), cn.ContactID),
    DateString: dateString(cn.Date),
    Date: msDateOnly(cn.Date),
    Status: cn.Status,
    LineAmountTypes: cn.LineAmountTypes,
    LineItems: cn.LineItems.map((l) => renderLine(books, l)),
    SubTotal: cn.SubTotal,
    TotalTax: cn.TotalTax,
    Total: cn.Total,
    UpdatedDateUTC: msDate(cn.updatedAt),
    UpdatedDateUTCString: isoSeconds(cn.updatedAt),
    CurrencyCode: cn.CurrencyCode,
    CurrencyRate: cn.CurrencyRate,
    BrandingThemeID: cn.BrandingThemeID,
    FullyPaidOnDate: cn.FullyPaidOnDate ? msDateOnly(cn.FullyPaidOnDate) : undefined,
    RemainingCredit: cn.RemainingCredit,
    Allocations: cn.Allocations.map((a) => ({
      AllocationID: a.AllocationID,
      Amount: a.Amount,
      Date: msDateOnly(a.Date),
      Invoice: { InvoiceID: a.InvoiceID, InvoiceNumber: books.invoices.get(a.InvoiceID)?.InvoiceNumber, Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], HasErrors: false, IsDiscounted: false, LineItems: [] },
    })),
    Payments: [],
    HasAttachments: false,
    HasErrors: false,
  });
}
