/**
 * Invoices (sales invoices ACCREC and bills ACCPAY): creating, updating, approving, voiding and deleting them under
 * Xero's rules. Each element is read into a draft record first; a failed one is answered as that draft, rendered
 * like a stored invoice (defaults filled in, zero Guid, the contact as named), as Xero answers it.
 */
import { randomUUID } from 'node:crypto';
import { round } from '../money.ts';
import { calendarDate } from '../xero-dates.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { documentBrandingTheme } from './branding-themes.ts';
import { contactForDocument, renderContactReference } from './contacts.ts';
import { change, touch, type BooksContext } from './context.ts';
import { documentCurrency } from './currency-rates.ts';
import { readDate, readEnum, readStatus } from './document-fields.ts';
import { NOT_VALID_STATUS, statusChangeRefusal } from './document-status.ts';
import { postDataInvalid } from './errors.ts';
import { array, bool, compact, has, object, text, type Json } from './fields.ts';
import { renderInvoice } from './invoice-render.ts';
import { computeLines, readLineAmountTypes, sameLines, totals } from './line-items.ts';
import type { Books, Invoice, LineAmountTypes } from './records.ts';

export const INVOICE_NUMBER_TAKEN = 'Invoice # must be unique.';
export const HAS_PAYMENTS = 'This document cannot be edited as it has a payment or credit note allocated to it.';
export const DUE_DATE_REQUIRED = 'Due Date is required.';
export const NO_LINES = 'At least one line item is required to approve an invoice.';
export const NEGATIVE_TOTAL = 'Invoice total cannot be negative.';
export const TYPE_REQUIRED = 'Invoice Type must be ACCREC or ACCPAY.';
export const CONTACT_REQUIRED = 'A Contact must be specified for this type of transaction';
export const DOCUMENT_NOT_FOUND = 'The document with the supplied id was not found for this endpoint.';
export { NOT_VALID_STATUS };

export function invoiceNumberTaken(books: Books, number: string, exceptId?: string): boolean {
  const taken = (inv: Invoice) => inv.InvoiceID !== exceptId && inv.Type === 'ACCREC' && inv.Status !== 'DELETED';
  return books.invoices.findFirst('number', number.trim().toLowerCase(), taken) !== undefined;
}

/** The next free INV-nnnn number (Xero's "next invoice number" setting, skipping numbers already used). */
function nextInvoiceNumber(books: Books): string {
  for (;;) {
    const candidate = `INV-${String(books.nextInvoiceNumber++).padStart(4, '0')}`;
    if (!invoiceNumberTaken(books, candidate)) return candidate;
  }
}

export function findInvoice(books: Books, input: Json): Invoice | 'unknown-id' | undefined {
  const id = text(input, 'InvoiceID');
  if (id && id !== ZERO_GUID) return books.invoices.get(id.toLowerCase()) ?? 'unknown-id';
  const number = text(input, 'InvoiceNumber');
  if (!number) return undefined;
  return books.invoices.findFirst('number', number.trim().toLowerCase(), (inv) => inv.Type === 'ACCREC' && inv.Status !== 'DELETED');
}

function lineAmountTypesOf(input: Json, fallback: LineAmountTypes): LineAmountTypes {
  const value = readLineAmountTypes(text(input, 'LineAmountTypes'), fallback);
  if (value === 'invalid') throw postDataInvalid(`Requested value '${text(input, 'LineAmountTypes')}' was not found. Path 'LineAmountTypes'.`);
  return value;
}

interface SaveOptions {
  unitDp: 2 | 4;
}

/** Saves one invoice element: create (PUT), create-or-update (POST), or update of a known id. */
export function saveInvoice(ctx: BooksContext, input: Json, mode: 'create' | 'upsert' | { updateId: string }, options: SaveOptions): ElementResult {
  const { books } = ctx;
  let existing: Invoice | undefined;
  if (typeof mode === 'object') existing = books.invoices.get(mode.updateId.toLowerCase());
  else if (mode === 'upsert') {
    const found = findInvoice(books, input);
    if (found === 'unknown-id') return createInvoice(ctx, input, options, [DOCUMENT_NOT_FOUND]);
    existing = found;
  }
  return existing ? updateInvoice(ctx, existing, input, options) : createInvoice(ctx, input, options);
}

/** A failed element: the draft as Xero would have saved it, under the zero Guid (or the id of the invoice it updates). */
function failed(books: Books, draft: Invoice, input: Json, errors: string[]): ElementResult {
  return { element: renderInvoice(books, draft, true, renderContactReference(books, object(input, 'Contact'))), errors: [...new Set(errors)] };
}

function createInvoice(ctx: BooksContext, input: Json, options: SaveOptions, refused: string[] = []): ElementResult {
  const { books } = ctx;
  const errors = [...refused];
  const type = readEnum(input, 'Type', ['ACCREC', 'ACCPAY'] as const);
  if (!type) errors.push(TYPE_REQUIRED);
  const status = readStatus(input) ?? 'DRAFT';
  if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status)) errors.push(NOT_VALID_STATUS);
  const approving = status === 'SUBMITTED' || status === 'AUTHORISED';
  const lineAmountTypes = lineAmountTypesOf(input, 'Exclusive');
  const currency = documentCurrency(books, input, errors);
  const date = readDate(input, 'Date', errors) ?? calendarDate(ctx.now());
  const dueDate = readDate(input, 'DueDate', errors);
  if (approving && !dueDate) errors.push(DUE_DATE_REQUIRED);
  const brandingThemeId = documentBrandingTheme(books, input, errors);
  const invoiceNumber = text(input, 'InvoiceNumber')?.trim() ?? '';
  if (type === 'ACCREC' && invoiceNumber !== '' && invoiceNumberTaken(books, invoiceNumber)) errors.push(INVOICE_NUMBER_TAKEN);

  const { lines, errors: lineErrors } = computeLines(books, array(input, 'LineItems') ?? [], {
    side: type === 'ACCPAY' ? 'purchases' : 'sales', discounts: type === 'ACCREC', lineAmountTypes, approving, unitDp: options.unitDp,
  });
  errors.push(...lineErrors);
  if (approving && lines.length === 0) errors.push(NO_LINES);
  const sums = totals(lines, lineAmountTypes);
  if (sums.Total < 0) errors.push(NEGATIVE_TOTAL);
  if (!object(input, 'Contact')) errors.unshift(CONTACT_REQUIRED);

  const draft: Invoice = compact({
    InvoiceID: ZERO_GUID,
    Type: type as Invoice['Type'],
    ContactID: '',
    InvoiceNumber: invoiceNumber,
    Reference: text(input, 'Reference'),
    Url: text(input, 'Url'),
    Date: date,
    DueDate: dueDate,
    ExpectedPaymentDate: readDate(input, 'ExpectedPaymentDate', []),
    PlannedPaymentDate: readDate(input, 'PlannedPaymentDate', []),
    BrandingThemeID: brandingThemeId,
    LineAmountTypes: lineAmountTypes,
    LineItems: lines,
    ...currency,
    Status: status,
    // Only an approved invoice can be marked as sent.
    SentToContact: status === 'AUTHORISED' ? (bool(input, 'SentToContact') ?? false) : false,
    ...sums,
    AmountPaid: 0,
    AmountCredited: 0,
    AmountDue: sums.Total,
    updatedAt: 0,
  }) as Invoice;
  if (errors.length > 0) return failed(books, draft, input, errors);

  // The contact is looked up (or created from its name) last, so a failing invoice creates no contact.
  const { contact, error: contactError } = contactForDocument(ctx, object(input, 'Contact'));
  if (!contact) return failed(books, draft, input, [contactError!]);
  const invoice: Invoice = {
    ...draft,
    InvoiceID: randomUUID(),
    ContactID: contact.ContactID,
    InvoiceNumber: type === 'ACCREC' && invoiceNumber === '' ? nextInvoiceNumber(books) : invoiceNumber,
    updatedAt: touch(ctx),
  };
  books.invoices.set(invoice.InvoiceID, invoice);
  change(ctx, 'INVOICE', 'CREATE', invoice.InvoiceID);
  return { element: renderInvoice(books, invoice, true), errors: [] };
}

function updateInvoice(ctx: BooksContext, existing: Invoice, input: Json, options: SaveOptions): ElementResult {
  const { books } = ctx;
  const errors: string[] = [];
  const requested = readStatus(input) ?? existing.Status;
  const settled = existing.AmountPaid > 0 || existing.AmountCredited > 0;
  // The invoice as this element would leave it; a refusal answers it as it stands at that point.
  const next: Invoice = { ...existing, LineItems: [...existing.LineItems], Status: requested };
  const fail = (messages: string[]) => ({ element: renderInvoice(books, next, true), errors: [...new Set(messages)] });

  const refusal = statusChangeRefusal('invoice', existing.Status, requested, settled);
  if (refusal) return fail([refusal]);
  const type = readEnum(input, 'Type', ['ACCREC', 'ACCPAY'] as const);
  if (type && type !== existing.Type) return fail([NOT_VALID_STATUS]);
  const approving = requested === 'SUBMITTED' || requested === 'AUTHORISED' || requested === 'PAID';

  next.LineAmountTypes = lineAmountTypesOf(input, existing.LineAmountTypes);
  Object.assign(next, documentCurrency(books, input, errors, existing));
  next.Date = readDate(input, 'Date', errors) ?? existing.Date;
  next.DueDate = readDate(input, 'DueDate', errors) ?? existing.DueDate;
  next.ExpectedPaymentDate = readDate(input, 'ExpectedPaymentDate', errors) ?? existing.ExpectedPaymentDate;
  next.PlannedPaymentDate = readDate(input, 'PlannedPaymentDate', errors) ?? existing.PlannedPaymentDate;
  next.BrandingThemeID = documentBrandingTheme(books, input, errors, existing.BrandingThemeID);
  if (has(input, 'Reference')) next.Reference = text(input, 'Reference');
  if (has(input, 'Url')) next.Url = text(input, 'Url');
  if (has(input, 'SentToContact')) next.SentToContact = bool(input, 'SentToContact') ?? false;
  if (approving && !next.DueDate) errors.push(DUE_DATE_REQUIRED);

  const newNumber = text(input, 'InvoiceNumber')?.trim();
  if (newNumber !== undefined && newNumber !== '' && newNumber !== existing.InvoiceNumber) {
    if (existing.Type === 'ACCREC' && invoiceNumberTaken(books, newNumber, existing.InvoiceID)) errors.push(INVOICE_NUMBER_TAKEN);
    next.InvoiceNumber = newNumber;
  }

  const contactInput = object(input, 'Contact');
  let contactChanged = false;
  if (contactInput) {
    const contactId = text(contactInput, 'ContactID')?.toLowerCase();
    contactChanged = contactId !== undefined ? contactId !== existing.ContactID : true;
  }

  const lineOptions = {
    side: existing.Type === 'ACCREC' ? 'sales' : 'purchases', discounts: existing.Type === 'ACCREC', lineAmountTypes: next.LineAmountTypes,
    approving, unitDp: options.unitDp, previous: existing.LineItems,
  } as const;
  const lineInputs = array(input, 'LineItems');
  if (lineInputs) {
    const { lines, errors: lineErrors } = computeLines(books, lineInputs, lineOptions);
    errors.push(...lineErrors);
    next.LineItems = lines;
  } else if (next.LineAmountTypes !== existing.LineAmountTypes || (approving && existing.Status === 'DRAFT')) {
    // Recompute from the stored lines; the tax is worked out afresh under the new amount type.
    const stored = existing.LineItems.map((l) => ({ ...l, TaxAmount: undefined }) as unknown as Json);
    const { lines, errors: lineErrors } = computeLines(books, stored, { ...lineOptions, stored: true });
    errors.push(...lineErrors);
    next.LineItems = lines;
  }
  if (approving && next.LineItems.length === 0) errors.push(NO_LINES);
  Object.assign(next, totals(next.LineItems, next.LineAmountTypes));

  // Once money is allocated the amounts, contact, currency and date are fixed.
  if (settled) {
    const amountsChanged = !sameLines(next.LineItems, existing.LineItems) || next.LineAmountTypes !== existing.LineAmountTypes;
    if (amountsChanged || contactChanged || next.CurrencyCode !== existing.CurrencyCode || next.Date !== existing.Date) return fail([HAS_PAYMENTS]);
  }
  if (next.Total < 0) errors.push(NEGATIVE_TOTAL);
  if (errors.length > 0) return fail(errors);

  if (contactInput && contactChanged) {
    const { contact, error } = contactForDocument(ctx, contactInput);
    if (!contact) return fail([error!]);
    next.ContactID = contact.ContactID;
  }
  if (next.Type === 'ACCREC' && next.InvoiceNumber === '') next.InvoiceNumber = nextInvoiceNumber(books);
  next.AmountDue = round(next.Total - next.AmountPaid - next.AmountCredited);
  if (next.Status !== 'AUTHORISED') next.SentToContact = next.Status === 'PAID' ? next.SentToContact : false;
  if (next.Status === 'VOIDED' || next.Status === 'DELETED') next.AmountDue = 0;
  next.updatedAt = touch(ctx, existing.updatedAt);
  books.invoices.set(next.InvoiceID, compact(next as unknown as Record<string, unknown>) as unknown as Invoice);
  change(ctx, 'INVOICE', 'UPDATE', next.InvoiceID);
  return { element: renderInvoice(books, next, true), errors: [] };
}

/** Recomputes status after money moved: PAID when nothing is due, back to AUTHORISED when something is. */
export function settle(ctx: BooksContext, invoice: Invoice, paidOn?: string): void {
  invoice.AmountDue = round(invoice.Total - invoice.AmountPaid - invoice.AmountCredited);
  if (invoice.AmountDue <= 0 && invoice.Status === 'AUTHORISED') {
    invoice.Status = 'PAID';
    invoice.FullyPaidOnDate = paidOn ?? calendarDate(ctx.now());
  } else if (invoice.AmountDue > 0 && invoice.Status === 'PAID') {
    invoice.Status = 'AUTHORISED';
    delete invoice.FullyPaidOnDate;
  }
  invoice.updatedAt = touch(ctx, invoice.updatedAt);
  change(ctx, 'INVOICE', 'UPDATE', invoice.InvoiceID);
}
