/**
 * PUT /CreditNotes/{id}/Allocations: applying credit to invoices. Both documents must be approved, for the same
 * contact and currency, a customer credit to a sales invoice (a supplier credit to a bill), and the amount can
 * exceed neither the credit left nor the invoice's amount due. Messages seen from Xero: "Credit Note cannot be
 * allocated as amount is greater than amount outstanding", "The invoice you are trying to allocate to has already
 * been paid off", "Credit Note cannot be allocated to an incorrect invoice type" (reported cut short after
 * "invoice t"); the others are the sandbox's wording.
 */
import { randomUUID } from 'node:crypto';
import { round } from '../money.ts';
import { calendarDate, msDateOnly, parseDateOnly } from '../xero-dates.ts';
import type { ElementResult } from './batch.ts';
import type { BooksContext } from './context.ts';
import { settleCreditNote } from './credit-notes.ts';
import { compact, number, object, text, type Json } from './fields.ts';
import { DOCUMENT_NOT_FOUND, findInvoice, settle } from './invoices.ts';
import type { CreditNote, Invoice } from './records.ts';

export const ALLOCATION_EXCEEDS = 'Credit Note cannot be allocated as amount is greater than amount outstanding';
export const ALLOCATION_INVOICE_PAID = 'The invoice you are trying to allocate to has already been paid off';
export const ALLOCATION_WRONG_TYPE = 'Credit Note cannot be allocated to an incorrect invoice type';
export const ALLOCATION_NOT_AUTHORISED = 'Credit notes can only be allocated when they are AUTHORISED.';
export const ALLOCATION_INVOICE_NOT_AUTHORISED = 'Credit notes can only be allocated to AUTHORISED invoices.';
export const ALLOCATION_CONTACT = 'The invoice and credit note must be for the same contact.';
export const ALLOCATION_CURRENCY = 'The invoice and credit note must be in the same currency.';
export const ALLOCATION_NOT_POSITIVE = 'The amount allocated must be greater than zero.';
export const ALLOCATION_DATE = 'Date must be a valid date.';

function renderAllocation(note: CreditNote, invoice: Invoice | undefined, invoiceRef: Json | undefined, allocation: { AllocationID?: string; Amount: number; Date: string }): Record<string, unknown> {
  return compact({
    AllocationID: allocation.AllocationID,
    Amount: allocation.Amount,
    Date: msDateOnly(allocation.Date),
    Invoice: compact({
      InvoiceID: invoice?.InvoiceID ?? text(invoiceRef ?? {}, 'InvoiceID'),
      InvoiceNumber: invoice?.InvoiceNumber ?? text(invoiceRef ?? {}, 'InvoiceNumber'),
      Type: invoice?.Type,
      Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], HasErrors: false, IsDiscounted: false, LineItems: [],
    }),
    CreditNote: { CreditNoteID: note.CreditNoteID, CreditNoteNumber: note.CreditNoteNumber, Type: note.Type, LineItems: [], Allocations: [], Payments: [] },
    IsDeleted: false,
  });
}

export function allocateCreditNote(ctx: BooksContext, note: CreditNote, input: Json): ElementResult {
  const { books } = ctx;
  const invoiceRef = object(input, 'Invoice');
  const found = invoiceRef ? findInvoice(books, invoiceRef) : undefined;
  const invoice = found === 'unknown-id' ? undefined : found;
  const amount = round(number(input, 'Amount') ?? 0);
  const rawDate = text(input, 'Date');
  const date = rawDate ? parseDateOnly(rawDate) : calendarDate(ctx.now());
  const errors: string[] = [];
  if (!invoice) errors.push(DOCUMENT_NOT_FOUND);
  if (!date) errors.push(ALLOCATION_DATE);
  if (note.Status !== 'AUTHORISED') errors.push(note.Status === 'PAID' ? ALLOCATION_EXCEEDS : ALLOCATION_NOT_AUTHORISED);
  if (invoice) {
    if ((note.Type === 'ACCRECCREDIT') !== (invoice.Type === 'ACCREC')) errors.push(ALLOCATION_WRONG_TYPE);
    if (invoice.Status === 'PAID') errors.push(ALLOCATION_INVOICE_PAID);
    else if (invoice.Status !== 'AUTHORISED') errors.push(ALLOCATION_INVOICE_NOT_AUTHORISED);
    if (invoice.ContactID !== note.ContactID) errors.push(ALLOCATION_CONTACT);
    if (invoice.CurrencyCode !== note.CurrencyCode) errors.push(ALLOCATION_CURRENCY);
  }
  if (amount <= 0) errors.push(ALLOCATION_NOT_POSITIVE);
  else if (amount > note.RemainingCredit || (invoice?.Status === 'AUTHORISED' && amount > invoice.AmountDue)) errors.push(ALLOCATION_EXCEEDS);
  const shownDate = date ?? calendarDate(ctx.now());
  if (errors.length > 0) return { element: renderAllocation(note, invoice, invoiceRef, { Amount: amount, Date: shownDate }), errors: [...new Set(errors)] };

  const allocation = { AllocationID: randomUUID(), InvoiceID: invoice!.InvoiceID, Amount: amount, Date: date! };
  note.Allocations.push(allocation);
  note.RemainingCredit = round(note.RemainingCredit - amount);
  settleCreditNote(ctx, note, date);
  invoice!.AmountCredited = round(invoice!.AmountCredited + amount);
  settle(ctx, invoice!, date);
  return { element: renderAllocation(note, invoice, invoiceRef, allocation), errors: [] };
}
