/**
 * Invoices (sales invoices ACCREC and bills ACCPAY): creating, updating, approving, voiding and deleting
 * them under Xero's rules, and how they look on the wire.
 */
import { randomUUID } from 'node:crypto';
import { round } from '../money.ts';
import { calendarDate, dateString, isoSeconds, msDate, msDateOnly, parseDateOnly } from '../xero-dates.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { documentBrandingTheme } from './branding-themes.ts';
import { DOCUMENT_STATUSES, NOT_VALID_STATUS, statusChangeRefusal } from './document-status.ts';
import { CURRENCY_NOT_SUBSCRIBED, documentCurrency } from './currency-rates.ts';
import { contactForDocument, renderContactSummary } from './contacts.ts';
import { change, touch, type BooksContext } from './context.ts';
import { array, bool, compact, has, object, text, type Json } from './fields.ts';
import { computeLines, readLineAmountTypes, renderLine, sameLines, totals } from './line-items.ts';
import { postDataInvalid } from './errors.ts';
import type { Books, Invoice, InvoiceStatus } from './records.ts';
import type { FieldMap } from './where.ts';

export const INVOICE_NUMBER_TAKEN = 'Invoice # must be unique.';
export { NOT_VALID_STATUS };
export const HAS_PAYMENTS = 'This document cannot be edited as it has a payment or credit note allocated to it.';
export { CURRENCY_NOT_SUBSCRIBED };
export const DUE_DATE_REQUIRED = 'Due Date is required.';
export const NO_LINES = 'At least one line item is required to approve an invoice.';
export const NEGATIVE_TOTAL = 'Invoice total cannot be negative.';
export const TYPE_REQUIRED = 'Invoice Type must be ACCREC or ACCPAY.';

export function invoiceNumberTaken(books: Books, number: string, exceptId?: string): boolean {
  const key = number.trim().toLowerCase();
  for (const inv of books.invoices.values()) {
    if (inv.InvoiceID !== exceptId && inv.Type === 'ACCREC' && inv.Status !== 'DELETED' && inv.InvoiceNumber.toLowerCase() === key) return true;
  }
  return false;
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
  for (const inv of books.invoices.values()) {
    if (inv.Type === 'ACCREC' && inv.Status !== 'DELETED' && inv.InvoiceNumber.toLowerCase() === number.trim().toLowerCase()) return inv;
  }
  return undefined;
}

function readStatus(input: Json): InvoiceStatus | undefined {
  const status = text(input, 'Status')?.toUpperCase();
  if (status === undefined || status === '') return undefined;
  if (!DOCUMENT_STATUSES.includes(status as InvoiceStatus)) throw postDataInvalid(`Requested value '${status}' was not found. Path 'Status'.`);
  return status as InvoiceStatus;
}

function readDate(input: Json, name: string, errors: string[]): string | undefined {
  const raw = text(input, name);
  if (raw === undefined || raw === '') return undefined;
  const parsed = parseDateOnly(raw);
  if (!parsed) errors.push(`${name} must be a valid date.`);
  return parsed;
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
    if (found === 'unknown-id') return failed(input, ['The document with the supplied id was not found for this endpoint.']);
    existing = found;
  }
  return existing ? updateInvoice(ctx, existing, input, options) : createInvoice(ctx, input, options);
}

function failed(input: Json, errors: string[], existing?: Invoice, books?: Books): ElementResult {
  const shown = existing && books ? renderInvoice(books, existing, true) : {};
  return { element: { ...shown, ...input, InvoiceID: existing?.InvoiceID ?? ZERO_GUID }, errors };
}

function createInvoice(ctx: BooksContext, input: Json, options: SaveOptions): ElementResult {
  const { books } = ctx;
  const errors: string[] = [];
  const type = text(input, 'Type')?.toUpperCase();
  if (type !== 'ACCREC' && type !== 'ACCPAY') return failed(input, [TYPE_REQUIRED]);
  const status = readStatus(input) ?? 'DRAFT';
  if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status)) errors.push(NOT_VALID_STATUS);
  const approving = status === 'SUBMITTED' || status === 'AUTHORISED';

  const lineAmountTypes = readLineAmountTypes(text(input, 'LineAmountTypes'), 'Exclusive');
  if (lineAmountTypes === 'invalid') throw postDataInvalid(`Requested value '${text(input, 'LineAmountTypes')}' was not found. Path 'LineAmountTypes'.`);
  const currency = documentCurrency(books, input, errors);
  const date = readDate(input, 'Date', errors) ?? calendarDate(ctx.now());
  const dueDate = readDate(input, 'DueDate', errors);
  if (approving && !dueDate) errors.push(DUE_DATE_REQUIRED);
  const brandingThemeId = documentBrandingTheme(books, input, errors);

  let invoiceNumber = text(input, 'InvoiceNumber')?.trim() ?? '';
  if (type === 'ACCREC' && invoiceNumber !== '' && invoiceNumberTaken(books, invoiceNumber)) errors.push(INVOICE_NUMBER_TAKEN);

  const lineInputs = array(input, 'LineItems') ?? [];
  const { lines, errors: lineErrors } = computeLines(books, lineInputs, {
    side: type === 'ACCREC' ? 'sales' : 'purchases', discounts: type === 'ACCREC', lineAmountTypes, approving, unitDp: options.unitDp,
  });
  errors.push(...lineErrors);
  if (approving && lines.length === 0) errors.push(NO_LINES);
  const sums = totals(lines, lineAmountTypes);
  if (sums.Total < 0) errors.push(NEGATIVE_TOTAL);

  // The contact is looked up (or created from its name) last, so a failing invoice creates no contact.
  if (errors.length > 0) {
    if (!object(input, 'Contact')) errors.unshift('A Contact must be specified for this type of transaction');
    return failed(input, [...new Set(errors)]);
  }
  const { contact, error: contactError } = contactForDocument(ctx, object(input, 'Contact'));
  if (!contact) return failed(input, [contactError!]);

  if (type === 'ACCREC' && invoiceNumber === '') invoiceNumber = nextInvoiceNumber(books);
  const invoice: Invoice = compact({
    InvoiceID: randomUUID(),
    Type: type,
    ContactID: contact.ContactID,
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
    updatedAt: touch(ctx),
  }) as Invoice;
  books.invoices.set(invoice.InvoiceID, invoice);
  change(ctx, 'INVOICE', 'CREATE', invoice.InvoiceID);
  return { element: renderInvoice(books, invoice, true), errors: [] };
}

function updateInvoice(ctx: BooksContext, existing: Invoice, input: Json, options: SaveOptions): ElementResult {
  const { books } = ctx;
  const errors: string[] = [];
  const fail = (messages: string[]) => failed(input, messages, existing, books);
  const requested = readStatus(input) ?? existing.Status;
  const settled = existing.AmountPaid > 0 || existing.AmountCredited > 0;

  const refusal = statusChangeRefusal('invoice', existing.Status, requested, settled);
  if (refusal) return fail([refusal]);
  const type = text(input, 'Type')?.toUpperCase();
  if (type && type !== existing.Type) return fail([NOT_VALID_STATUS]);

  const next: Invoice = { ...existing, LineItems: [...existing.LineItems] };
  next.Status = requested;
  const approving = requested === 'SUBMITTED' || requested === 'AUTHORISED' || requested === 'PAID';

  const lineAmountTypes = readLineAmountTypes(text(input, 'LineAmountTypes'), existing.LineAmountTypes);
  if (lineAmountTypes === 'invalid') throw postDataInvalid(`Requested value '${text(input, 'LineAmountTypes')}' was not found. Path 'LineAmountTypes'.`);
  next.LineAmountTypes = lineAmountTypes;
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

  const lineInputs = array(input, 'LineItems');
  if (lineInputs) {
    const { lines, errors: lineErrors } = computeLines(books, lineInputs, {
      side: existing.Type === 'ACCREC' ? 'sales' : 'purchases', discounts: existing.Type === 'ACCREC', lineAmountTypes, approving, unitDp: options.unitDp, previous: existing.LineItems,
    });
    errors.push(...lineErrors);
    next.LineItems = lines;
  } else if (lineAmountTypes !== existing.LineAmountTypes || (approving && existing.Status === 'DRAFT')) {
    // Recompute from the stored lines; the tax is worked out afresh under the new amount type.
    const stored = existing.LineItems.map((l) => ({ ...l, TaxAmount: undefined }) as unknown as Json);
    const { lines, errors: lineErrors } = computeLines(books, stored, {
      side: existing.Type === 'ACCREC' ? 'sales' : 'purchases', discounts: existing.Type === 'ACCREC', lineAmountTypes, approving, unitDp: options.unitDp, previous: existing.LineItems, stored: true,
    });
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
  if (errors.length > 0) return fail([...new Set(errors)]);

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

export function renderInvoice(books: Books, inv: Invoice, withLines: boolean): Record<string, unknown> {
  const payments = [...books.payments.values()]
    .filter((p) => p.InvoiceID === inv.InvoiceID && p.Status === 'AUTHORISED')
    .map((p) => compact({ PaymentID: p.PaymentID, Date: msDateOnly(p.Date), Amount: p.Amount, Reference: p.Reference, CurrencyRate: p.CurrencyRate, HasAccount: false, HasValidationErrors: false }));
  const credits = [...books.creditNotes.values()].flatMap((cn) => cn.Allocations
    .filter((a) => a.InvoiceID === inv.InvoiceID)
    .map((a) => ({ CreditNoteID: cn.CreditNoteID, CreditNoteNumber: cn.CreditNoteNumber, Total: cn.Total, AppliedAmount: a.Amount, Date: msDateOnly(a.Date), HasErrors: false })));
  return compact({
    Type: inv.Type,
    InvoiceID: inv.InvoiceID,
    InvoiceNumber: inv.InvoiceNumber,
    Reference: inv.Reference,
    Payments: payments,
    CreditNotes: credits,
    Prepayments: [],
    Overpayments: [],
    AmountDue: inv.AmountDue,
    AmountPaid: inv.AmountPaid,
    AmountCredited: inv.AmountCredited,
    SentToContact: inv.SentToContact,
    CurrencyRate: inv.CurrencyRate,
    IsDiscounted: inv.TotalDiscount > 0,
    HasAttachments: false,
    HasErrors: false,
    Contact: renderContactSummary(books.contacts.get(inv.ContactID), inv.ContactID),
    DateString: dateString(inv.Date),
    Date: msDateOnly(inv.Date),
    DueDateString: inv.DueDate ? dateString(inv.DueDate) : undefined,
    DueDate: inv.DueDate ? msDateOnly(inv.DueDate) : undefined,
    ExpectedPaymentDate: inv.ExpectedPaymentDate ? msDateOnly(inv.ExpectedPaymentDate) : undefined,
    PlannedPaymentDate: inv.PlannedPaymentDate ? msDateOnly(inv.PlannedPaymentDate) : undefined,
    BrandingThemeID: inv.BrandingThemeID,
    Status: inv.Status,
    LineAmountTypes: inv.LineAmountTypes,
    // Xero leaves line items out of unpaged lists: they come with paging or when fetching one invoice.
    LineItems: withLines ? inv.LineItems.map((l) => renderLine(books, l)) : undefined,
    SubTotal: inv.SubTotal,
    TotalTax: inv.TotalTax,
    Total: inv.Total,
    TotalDiscount: inv.TotalDiscount > 0 ? inv.TotalDiscount : undefined,
    UpdatedDateUTC: msDate(inv.updatedAt),
    UpdatedDateUTCString: isoSeconds(inv.updatedAt),
    CurrencyCode: inv.CurrencyCode,
    FullyPaidOnDate: inv.FullyPaidOnDate ? msDateOnly(inv.FullyPaidOnDate) : undefined,
    Url: inv.Url,
  });
}

const day = (iso: string | undefined) => (iso ? Date.parse(`${iso}T00:00:00Z`) : undefined);

export const INVOICE_FIELDS: FieldMap<Invoice> = {
  invoiceid: (i) => i.InvoiceID,
  status: (i) => i.Status,
  'contact.contactid': (i) => i.ContactID,
  contactid: (i) => i.ContactID,
  invoicenumber: (i) => i.InvoiceNumber,
  reference: (i) => i.Reference,
  date: (i) => day(i.Date),
  duedate: (i) => day(i.DueDate),
  type: (i) => i.Type,
  amountdue: (i) => i.AmountDue,
  amountpaid: (i) => i.AmountPaid,
  total: (i) => i.Total,
  subtotal: (i) => i.SubTotal,
  currencycode: (i) => i.CurrencyCode,
  senttocontact: (i) => i.SentToContact,
  updateddateutc: (i) => i.updatedAt,
  fullypaidondate: (i) => day(i.FullyPaidOnDate),
};

export function invoiceFieldsFor(books: Books): FieldMap<Invoice> {
  return {
    ...INVOICE_FIELDS,
    'contact.name': (i) => books.contacts.get(i.ContactID)?.Name,
    'contact.contactnumber': (i) => books.contacts.get(i.ContactID)?.ContactNumber,
  };
}
