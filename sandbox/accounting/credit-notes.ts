/**
 * Credit notes (ACCRECCREDIT for customers, ACCPAYCREDIT from suppliers): created and updated like invoices (lines
 * with tracking, items and tax; no discounts, which the spec says credit notes do not support), through the same
 * status table. Credit is used by allocating it to invoices (credit-note-allocations.ts) or paying it out as a
 * refund (refunds.ts); either way RemainingCredit falls, and at 0 the credit note is PAID. A failed element is
 * answered as the draft it would have saved.
 */
import { randomUUID } from 'node:crypto';
import { round } from '../money.ts';
import { calendarDate, dateString, isoSeconds, msDate, msDateOnly } from '../xero-dates.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { documentBrandingTheme } from './branding-themes.ts';
import { contactForDocument, renderContactReference, renderContactSummary } from './contacts.ts';
import { change, touch, type BooksContext } from './context.ts';
import { documentCurrency } from './currency-rates.ts';
import { readDate, readEnum, readStatus } from './document-fields.ts';
import { CREDIT_NOTE_NOT_VALID_STATUS, statusChangeRefusal } from './document-status.ts';
import { postDataInvalid } from './errors.ts';
import { array, compact, has, object, text, type Json } from './fields.ts';
import { CONTACT_REQUIRED, DOCUMENT_NOT_FOUND, HAS_PAYMENTS } from './invoices.ts';
import { computeLines, readLineAmountTypes, renderLine, sameLines, totals } from './line-items.ts';
import type { Books, CreditNote, LineAmountTypes } from './records.ts';
import type { FieldMap } from './where.ts';

export const CREDIT_NUMBER_TAKEN = 'Credit Note # must be unique.';
export const CREDIT_TYPE_REQUIRED = 'Credit Note Type must be ACCRECCREDIT or ACCPAYCREDIT.';
export const CREDIT_NO_LINES = 'At least one line item is required to approve a credit note.';
export const CREDIT_NEGATIVE_TOTAL = 'Credit note total cannot be negative.';

function creditNumberTaken(books: Books, number: string, exceptId?: string): boolean {
  const taken = (cn: CreditNote) => cn.CreditNoteID !== exceptId && cn.Type === 'ACCRECCREDIT' && cn.Status !== 'DELETED';
  return books.creditNotes.findFirst('number', number.trim().toLowerCase(), taken) !== undefined;
}

function nextCreditNoteNumber(books: Books): string {
  for (;;) {
    const candidate = `CN-${String(books.nextCreditNoteNumber++).padStart(4, '0')}`;
    if (!creditNumberTaken(books, candidate)) return candidate;
  }
}

/** Which credit note an element (or a payment's CreditNote) names: by CreditNoteID, else by CreditNoteNumber. */
export function findCreditNote(books: Books, input: Json): CreditNote | 'unknown-id' | undefined {
  const id = text(input, 'CreditNoteID');
  if (id && id !== ZERO_GUID) return books.creditNotes.get(id.toLowerCase()) ?? 'unknown-id';
  const number = text(input, 'CreditNoteNumber')?.trim().toLowerCase();
  if (!number) return undefined;
  return books.creditNotes.findFirst('number', number, (cn) => cn.Status !== 'DELETED');
}

/** Credit already used: allocated to invoices or paid out. */
export function creditUsed(cn: CreditNote): number {
  return cn.Status === 'VOIDED' || cn.Status === 'DELETED' ? 0 : round(cn.Total - cn.RemainingCredit);
}

function lineAmountTypesOf(input: Json, fallback: LineAmountTypes): LineAmountTypes {
  const value = readLineAmountTypes(text(input, 'LineAmountTypes'), fallback);
  if (value === 'invalid') throw postDataInvalid(`Requested value '${text(input, 'LineAmountTypes')}' was not found. Path 'LineAmountTypes'.`);
  return value;
}

export function saveCreditNote(ctx: BooksContext, input: Json, mode: 'create' | 'upsert' | { updateId: string }, unitDp: 2 | 4): ElementResult {
  let existing: CreditNote | undefined;
  if (typeof mode === 'object') existing = ctx.books.creditNotes.get(mode.updateId.toLowerCase());
  else if (mode === 'upsert') {
    const found = findCreditNote(ctx.books, input);
    if (found === 'unknown-id') return createCreditNote(ctx, input, unitDp, [DOCUMENT_NOT_FOUND]);
    existing = found;
  }
  return existing ? updateCreditNote(ctx, existing, input, unitDp) : createCreditNote(ctx, input, unitDp);
}

function createCreditNote(ctx: BooksContext, input: Json, unitDp: 2 | 4, refused: string[] = []): ElementResult {
  const { books } = ctx;
  const errors = [...refused];
  const type = readEnum(input, 'Type', ['ACCRECCREDIT', 'ACCPAYCREDIT'] as const);
  if (!type) errors.push(CREDIT_TYPE_REQUIRED);
  const status = readStatus(input) ?? 'DRAFT';
  if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status)) errors.push(CREDIT_NOTE_NOT_VALID_STATUS);
  const approving = status !== 'DRAFT';
  const lineAmountTypes = lineAmountTypesOf(input, 'Exclusive');
  const currency = documentCurrency(books, input, errors);
  const brandingThemeId = documentBrandingTheme(books, input, errors);
  const date = readDate(input, 'Date', errors) ?? calendarDate(ctx.now());
  const number = text(input, 'CreditNoteNumber')?.trim() ?? '';
  if (type === 'ACCRECCREDIT' && number && creditNumberTaken(books, number)) errors.push(CREDIT_NUMBER_TAKEN);
  const { lines, errors: lineErrors } = computeLines(books, array(input, 'LineItems') ?? [], {
    side: type === 'ACCPAYCREDIT' ? 'purchases' : 'sales', discounts: false, lineAmountTypes, approving, unitDp,
  });
  errors.push(...lineErrors);
  if (approving && lines.length === 0) errors.push(CREDIT_NO_LINES);
  const sums = totals(lines, lineAmountTypes);
  if (sums.Total < 0) errors.push(CREDIT_NEGATIVE_TOTAL);
  if (!object(input, 'Contact')) errors.unshift(CONTACT_REQUIRED);

  const draft: CreditNote = compact({
    CreditNoteID: ZERO_GUID,
    Type: type as CreditNote['Type'],
    ContactID: '',
    CreditNoteNumber: number,
    Reference: text(input, 'Reference'),
    Date: date,
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
    updatedAt: 0,
  }) as CreditNote;
  const fail = (messages: string[]): ElementResult =>
    ({ element: renderCreditNote(books, draft, true, renderContactReference(books, object(input, 'Contact'))), errors: [...new Set(messages)] });
  if (errors.length > 0) return fail(errors);
  const { contact, error } = contactForDocument(ctx, object(input, 'Contact'));
  if (!contact) return fail([error!]);
  const note: CreditNote = {
    ...draft,
    CreditNoteID: randomUUID(),
    ContactID: contact.ContactID,
    CreditNoteNumber: type === 'ACCRECCREDIT' && !number ? nextCreditNoteNumber(books) : number,
    updatedAt: touch(ctx),
  };
  books.creditNotes.set(note.CreditNoteID, note);
  change(ctx, 'CREDITNOTE', 'CREATE', note.CreditNoteID);
  return { element: renderCreditNote(books, note, true), errors: [] };
}

function updateCreditNote(ctx: BooksContext, existing: CreditNote, input: Json, unitDp: 2 | 4): ElementResult {
  const { books } = ctx;
  const errors: string[] = [];
  const requested = readStatus(input) ?? existing.Status;
  const settled = creditUsed(existing) > 0;
  const next: CreditNote = { ...existing, LineItems: [...existing.LineItems], Allocations: [...existing.Allocations], Status: requested };
  const fail = (messages: string[]): ElementResult => ({ element: renderCreditNote(books, next, true), errors: [...new Set(messages)] });

  const refusal = statusChangeRefusal('credit note', existing.Status, requested, settled);
  if (refusal) return fail([refusal]);
  const type = readEnum(input, 'Type', ['ACCRECCREDIT', 'ACCPAYCREDIT'] as const);
  if (type && type !== existing.Type) return fail([CREDIT_NOTE_NOT_VALID_STATUS]);
  const approving = requested !== 'DRAFT';

  next.LineAmountTypes = lineAmountTypesOf(input, existing.LineAmountTypes);
  Object.assign(next, documentCurrency(books, input, errors, existing));
  next.BrandingThemeID = documentBrandingTheme(books, input, errors, existing.BrandingThemeID);
  next.Date = readDate(input, 'Date', errors) ?? existing.Date;
  if (has(input, 'Reference')) next.Reference = text(input, 'Reference');
  const newNumber = text(input, 'CreditNoteNumber')?.trim();
  if (newNumber && newNumber !== existing.CreditNoteNumber) {
    if (existing.Type === 'ACCRECCREDIT' && creditNumberTaken(books, newNumber, existing.CreditNoteID)) errors.push(CREDIT_NUMBER_TAKEN);
    next.CreditNoteNumber = newNumber;
  }
  const contactInput = object(input, 'Contact');
  const contactId = contactInput ? text(contactInput, 'ContactID')?.toLowerCase() : undefined;
  const contactChanged = contactInput !== undefined && (contactId === undefined || contactId !== existing.ContactID);

  const lineOptions = { side: existing.Type === 'ACCRECCREDIT' ? 'sales' : 'purchases', discounts: false, lineAmountTypes: next.LineAmountTypes, approving, unitDp, previous: existing.LineItems } as const;
  const lineInputs = array(input, 'LineItems');
  if (lineInputs) {
    const { lines, errors: lineErrors } = computeLines(books, lineInputs, lineOptions);
    errors.push(...lineErrors);
    next.LineItems = lines;
  } else if (next.LineAmountTypes !== existing.LineAmountTypes || (approving && existing.Status === 'DRAFT')) {
    const stored = existing.LineItems.map((l) => ({ ...l, TaxAmount: undefined }) as unknown as Json);
    const { lines, errors: lineErrors } = computeLines(books, stored, { ...lineOptions, stored: true });
    errors.push(...lineErrors);
    next.LineItems = lines;
  }
  if (approving && next.LineItems.length === 0) errors.push(CREDIT_NO_LINES);
  Object.assign(next, totals(next.LineItems, next.LineAmountTypes));
  // Once credit is used the amounts, contact, currency and date are fixed, as on invoices.
  if (settled) {
    const amountsChanged = !sameLines(next.LineItems, existing.LineItems) || next.LineAmountTypes !== existing.LineAmountTypes;
    if (amountsChanged || contactChanged || next.CurrencyCode !== existing.CurrencyCode || next.Date !== existing.Date) return fail([HAS_PAYMENTS]);
  }
  if (next.Total < 0) errors.push(CREDIT_NEGATIVE_TOTAL);
  if (errors.length > 0) return fail(errors);
  if (contactInput && contactChanged) {
    const { contact, error } = contactForDocument(ctx, contactInput);
    if (!contact) return fail([error!]);
    next.ContactID = contact.ContactID;
  }
  next.RemainingCredit = next.Status === 'VOIDED' || next.Status === 'DELETED' ? 0 : round(next.Total - creditUsed(existing));
  next.updatedAt = touch(ctx, existing.updatedAt);
  books.creditNotes.set(next.CreditNoteID, compact(next as unknown as Record<string, unknown>) as unknown as CreditNote);
  change(ctx, 'CREDITNOTE', 'UPDATE', next.CreditNoteID);
  return { element: renderCreditNote(books, next, true), errors: [] };
}

/** Recomputes a credit note after credit was used or given back: PAID at nothing left, AUTHORISED again when there is. */
export function settleCreditNote(ctx: BooksContext, note: CreditNote, on?: string): void {
  if (note.RemainingCredit <= 0 && note.Status === 'AUTHORISED') {
    note.Status = 'PAID';
    note.FullyPaidOnDate = on ?? calendarDate(ctx.now());
  } else if (note.RemainingCredit > 0 && note.Status === 'PAID') {
    note.Status = 'AUTHORISED';
    delete note.FullyPaidOnDate;
  }
  note.updatedAt = touch(ctx, note.updatedAt);
  change(ctx, 'CREDITNOTE', 'UPDATE', note.CreditNoteID);
}

/** A credit note as Xero shows it; line items only when `withLines` (paged lists, one by id). */
export function renderCreditNote(books: Books, cn: CreditNote, withLines: boolean, contact?: Record<string, unknown>): Record<string, unknown> {
  const saved = cn.updatedAt > 0;
  const refunds = [...books.payments.values()]
    .filter((p) => p.CreditNoteID === cn.CreditNoteID && p.Status === 'AUTHORISED')
    .map((p) => compact({ PaymentID: p.PaymentID, Date: msDateOnly(p.Date), Amount: p.Amount, Reference: p.Reference, CurrencyRate: p.CurrencyRate, HasAccount: false, HasValidationErrors: false }));
  return compact({
    CreditNoteID: cn.CreditNoteID,
    CreditNoteNumber: cn.CreditNoteNumber,
    Type: cn.Type,
    Reference: cn.Reference,
    Contact: contact ?? (cn.ContactID ? renderContactSummary(books.contacts.get(cn.ContactID), cn.ContactID) : undefined),
    DateString: dateString(cn.Date),
    Date: msDateOnly(cn.Date),
    Status: cn.Status,
    LineAmountTypes: cn.LineAmountTypes,
    LineItems: withLines ? cn.LineItems.map((l) => renderLine(books, l)) : undefined,
    SubTotal: cn.SubTotal,
    TotalTax: cn.TotalTax,
    Total: cn.Total,
    UpdatedDateUTC: saved ? msDate(cn.updatedAt) : undefined,
    UpdatedDateUTCString: saved ? isoSeconds(cn.updatedAt) : undefined,
    CurrencyCode: cn.CurrencyCode,
    CurrencyRate: cn.CurrencyRate,
    BrandingThemeID: cn.BrandingThemeID,
    FullyPaidOnDate: cn.FullyPaidOnDate ? msDateOnly(cn.FullyPaidOnDate) : undefined,
    RemainingCredit: cn.RemainingCredit,
    Allocations: cn.Allocations.map((a) => {
      const invoice = books.invoices.get(a.InvoiceID);
      return {
        AllocationID: a.AllocationID,
        Amount: a.Amount,
        Date: msDateOnly(a.Date),
        Invoice: compact({ InvoiceID: a.InvoiceID, InvoiceNumber: invoice?.InvoiceNumber, Type: invoice?.Type, Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], HasErrors: false, IsDiscounted: false, LineItems: [] }),
      };
    }),
    Payments: refunds,
    HasAttachments: false,
    HasErrors: false,
  });
}

const day = (iso: string | undefined) => (iso ? Date.parse(`${iso}T00:00:00Z`) : undefined);

export function creditNoteFieldsFor(books: Books): FieldMap<CreditNote> {
  return {
    creditnoteid: (c) => c.CreditNoteID,
    creditnotenumber: (c) => c.CreditNoteNumber,
    status: (c) => c.Status,
    type: (c) => c.Type,
    reference: (c) => c.Reference,
    'contact.contactid': (c) => c.ContactID,
    'contact.name': (c) => books.contacts.get(c.ContactID)?.Name,
    date: (c) => day(c.Date),
    total: (c) => c.Total,
    remainingcredit: (c) => c.RemainingCredit,
    currencycode: (c) => c.CurrencyCode,
    updateddateutc: (c) => c.updatedAt,
    fullypaidondate: (c) => day(c.FullyPaidOnDate),
  };
}
