/** How invoices look on the wire, and the fields `where` and `order` know them by. */
import { dateString, isoSeconds, msDate, msDateOnly } from '../xero-dates.ts';
import { renderContactSummary } from './contacts.ts';
import { compact } from './fields.ts';
import { renderLine } from './line-items.ts';
import type { Books, Invoice } from './records.ts';
import type { FieldMap } from './where.ts';

/**
 * An invoice as Xero shows it. A failed element (never saved: `updatedAt` 0) is shown the same way, with the
 * contact as the element named it (`contact`) and no UpdatedDateUTC.
 */
export function renderInvoice(books: Books, inv: Invoice, withLines: boolean, contact?: Record<string, unknown>): Record<string, unknown> {
  const saved = inv.updatedAt > 0;
  const payments = books.payments
    .find('invoice', inv.InvoiceID, (p) => p.Status === 'AUTHORISED')
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
    Contact: contact ?? (inv.ContactID ? renderContactSummary(books.contacts.get(inv.ContactID), inv.ContactID) : undefined),
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
    UpdatedDateUTC: saved ? msDate(inv.updatedAt) : undefined,
    UpdatedDateUTCString: saved ? isoSeconds(inv.updatedAt) : undefined,
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
