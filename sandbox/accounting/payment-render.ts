/** How payments (to invoices, and refunds of credit notes) look on the wire, and the fields `where` knows them by. */
import { isoSeconds, msDate, msDateOnly } from '../xero-dates.ts';
import { renderContactSummary } from './contacts.ts';
import { compact } from './fields.ts';
import type { Books, Payment } from './records.ts';
import type { FieldMap } from './where.ts';

/** A payment as Xero shows it; a failed element (never saved) shows the account as the element named it. */
export function renderPayment(books: Books, p: Payment, account?: { Code?: string; AccountID?: string }): Record<string, unknown> {
  const saved = p.updatedAt > 0;
  const invoice = p.InvoiceID ? books.invoices.get(p.InvoiceID) : undefined;
  const note = p.CreditNoteID ? books.creditNotes.get(p.CreditNoteID) : undefined;
  const stored = books.accounts.find((a) => a.AccountID === p.AccountID);
  return compact({
    PaymentID: p.PaymentID,
    Date: p.Date ? msDateOnly(p.Date) : undefined,
    BankAmount: p.BankAmount,
    Amount: p.Amount,
    Reference: p.Reference ?? '',
    CurrencyRate: p.CurrencyRate,
    PaymentType: p.PaymentType,
    Status: p.Status,
    UpdatedDateUTC: saved ? msDate(p.updatedAt) : undefined,
    UpdatedDateUTCString: saved ? isoSeconds(p.updatedAt) : undefined,
    HasAccount: stored !== undefined,
    IsReconciled: p.IsReconciled,
    Account: stored ? { AccountID: stored.AccountID, Code: stored.Code } : compact({ AccountID: account?.AccountID, Code: account?.Code }),
    Invoice: invoice
      ? compact({
          Type: invoice.Type, InvoiceID: invoice.InvoiceID, InvoiceNumber: invoice.InvoiceNumber,
          Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], HasErrors: false, IsDiscounted: false,
          Contact: renderContactSummary(books.contacts.get(invoice.ContactID), invoice.ContactID), LineItems: [], CurrencyCode: invoice.CurrencyCode,
        })
      : undefined,
    CreditNote: note
      ? compact({
          Type: note.Type, CreditNoteID: note.CreditNoteID, CreditNoteNumber: note.CreditNoteNumber,
          Contact: renderContactSummary(books.contacts.get(note.ContactID), note.ContactID), LineItems: [], Allocations: [], Payments: [],
          CurrencyCode: note.CurrencyCode, HasErrors: false,
        })
      : undefined,
    HasValidationErrors: false,
  });
}

export const PAYMENT_FIELDS: FieldMap<Payment> = {
  paymentid: (p) => p.PaymentID,
  status: (p) => p.Status,
  paymenttype: (p) => p.PaymentType,
  'invoice.invoiceid': (p) => p.InvoiceID,
  'creditnote.creditnoteid': (p) => p.CreditNoteID,
  reference: (p) => p.Reference,
  date: (p) => Date.parse(`${p.Date}T00:00:00Z`),
  amount: (p) => p.Amount,
  isreconciled: (p) => p.IsReconciled,
  updateddateutc: (p) => p.updatedAt,
  'account.accountid': (p) => p.AccountID,
};

export function paymentFieldsFor(books: Books): FieldMap<Payment> {
  return {
    ...PAYMENT_FIELDS,
    'invoice.invoicenumber': (p) => (p.InvoiceID ? books.invoices.get(p.InvoiceID)?.InvoiceNumber : undefined),
    'invoice.contact.contactid': (p) => (p.InvoiceID ? books.invoices.get(p.InvoiceID)?.ContactID : undefined),
    'creditnote.creditnotenumber': (p) => (p.CreditNoteID ? books.creditNotes.get(p.CreditNoteID)?.CreditNoteNumber : undefined),
    'account.code': (p) => books.accounts.find((a) => a.AccountID === p.AccountID)?.Code,
  };
}
