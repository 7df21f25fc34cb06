/**
 * Payments against invoices. Xero only takes them on AUTHORISED documents, into a bank account (or an
 * account with payments enabled), never above the amount due. A payment cannot be edited, only deleted
 * (`{"Status":"DELETED"}`), which puts the invoice back to AUTHORISED with the amount due again.
 */
import { randomUUID } from 'node:crypto';
import { round } from '../money.ts';
import { isoSeconds, msDate, msDateOnly, parseDateOnly } from '../xero-dates.ts';
import { accountByCode, accountById, usableForPayments } from './accounts.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { renderContactSummary } from './contacts.ts';
import { touch, type BooksContext } from './context.ts';
import { bool, compact, number, object, text, type Json } from './fields.ts';
import { findInvoice, settle } from './invoices.ts';
import type { Books, Payment } from './records.ts';
import type { FieldMap } from './where.ts';

export const ONLY_AUTHORISED = 'Payments can only be made against Authorised documents';
export const EXCEEDS_OUTSTANDING = 'Payment amount exceeds the amount outstanding on this document';
export const NO_DOCUMENT = 'You must specify either an Invoice, CreditNote, Prepayment or Overpayment to make a payment against.';
export const DOCUMENT_NOT_FOUND = 'The document with the supplied id was not found for this endpoint.';
export const NO_ACCOUNT = 'You must specify an Account to make a payment with.';
export const ACCOUNT_NOT_FOUND = 'The Account could not be found.';
export const ACCOUNT_NOT_FOR_PAYMENTS = 'Payments can only be made to bank accounts or accounts with payments enabled.';
export const AMOUNT_NOT_POSITIVE = 'Payment amount must be greater than zero.';
export const DATE_REQUIRED = 'A valid payment date must be specified.';
export const ALREADY_DELETED = 'This payment has already been deleted.';
/** Modelled on Xero's words for a reconciled bank transaction ("... cannot be edited as it has been reconciled with a Bank Statement."). */
export const RECONCILED = 'This Payment cannot be deleted as it has been reconciled with a Bank Statement.';

export function makePayment(ctx: BooksContext, input: Json): ElementResult {
  const { books } = ctx;
  const fail = (errors: string[]): ElementResult => ({ element: { ...input, PaymentID: ZERO_GUID }, errors });
  const invoiceRef = object(input, 'Invoice');
  if (!invoiceRef) return fail([NO_DOCUMENT]);
  const invoice = findInvoice(books, invoiceRef);
  if (!invoice || invoice === 'unknown-id') return fail([DOCUMENT_NOT_FOUND]);

  const accountRef = object(input, 'Account');
  const code = accountRef ? text(accountRef, 'Code') : text(input, 'Code');
  const accountId = accountRef ? text(accountRef, 'AccountID') : undefined;
  if (!code && !accountId) return fail([NO_ACCOUNT]);
  const account = code ? accountByCode(books, code) : accountById(books, accountId!);
  const errors: string[] = [];
  if (!account) errors.push(ACCOUNT_NOT_FOUND);
  else if (!usableForPayments(account)) errors.push(ACCOUNT_NOT_FOR_PAYMENTS);

  if (invoice.Status !== 'AUTHORISED') errors.push(ONLY_AUTHORISED);
  const amount = number(input, 'Amount');
  if (amount === undefined || round(amount) <= 0) errors.push(AMOUNT_NOT_POSITIVE);
  else if (invoice.Status === 'AUTHORISED' && round(amount) > invoice.AmountDue) errors.push(EXCEEDS_OUTSTANDING);
  const date = parseDateOnly(text(input, 'Date'));
  if (!date) errors.push(DATE_REQUIRED);
  if (errors.length > 0) return fail(errors);

  const paid = round(amount!);
  const payment: Payment = compact({
    PaymentID: randomUUID(),
    InvoiceID: invoice.InvoiceID,
    AccountID: account!.AccountID,
    Date: date!,
    Amount: paid,
    BankAmount: round(paid / (number(input, 'CurrencyRate') ?? invoice.CurrencyRate)),
    CurrencyRate: number(input, 'CurrencyRate') ?? invoice.CurrencyRate,
    Reference: text(input, 'Reference'),
    IsReconciled: bool(input, 'IsReconciled') ?? false,
    Status: 'AUTHORISED',
    PaymentType: invoice.Type === 'ACCREC' ? 'ACCRECPAYMENT' : 'ACCPAYPAYMENT',
    updatedAt: touch(ctx),
  }) as Payment;
  books.payments.set(payment.PaymentID, payment);
  invoice.AmountPaid = round(invoice.AmountPaid + paid);
  // The invoice changes (an INVOICE UPDATE webhook): there is no payment webhook in Xero.
  settle(ctx, invoice, payment.Date);
  return { element: renderPayment(books, payment), errors: [] };
}

export function deletePayment(ctx: BooksContext, payment: Payment): ElementResult {
  const { books } = ctx;
  if (payment.Status === 'DELETED') return { element: renderPayment(books, payment), errors: [ALREADY_DELETED] };
  if (payment.IsReconciled) return { element: renderPayment(books, payment), errors: [RECONCILED] };
  payment.Status = 'DELETED';
  payment.updatedAt = touch(ctx, payment.updatedAt);
  const invoice = payment.InvoiceID ? books.invoices.get(payment.InvoiceID) : undefined;
  if (invoice) {
    invoice.AmountPaid = round(invoice.AmountPaid - payment.Amount);
    settle(ctx, invoice);
  }
  return { element: renderPayment(books, payment), errors: [] };
}

export function renderPayment(books: Books, p: Payment): Record<string, unknown> {
  const invoice = p.InvoiceID ? books.invoices.get(p.InvoiceID) : undefined;
  const account = books.accounts.find((a) => a.AccountID === p.AccountID);
  return compact({
    PaymentID: p.PaymentID,
    Date: msDateOnly(p.Date),
    BankAmount: p.BankAmount,
    Amount: p.Amount,
    Reference: p.Reference ?? '',
    CurrencyRate: p.CurrencyRate,
    PaymentType: p.PaymentType,
    Status: p.Status,
    UpdatedDateUTC: msDate(p.updatedAt),
    UpdatedDateUTCString: isoSeconds(p.updatedAt),
    HasAccount: true,
    IsReconciled: p.IsReconciled,
    Account: compact({ AccountID: p.AccountID, Code: account?.Code }),
    Invoice: invoice
      ? compact({
          Type: invoice.Type,
          InvoiceID: invoice.InvoiceID,
          InvoiceNumber: invoice.InvoiceNumber,
          Payments: [],
          CreditNotes: [],
          Prepayments: [],
          Overpayments: [],
          HasErrors: false,
          IsDiscounted: false,
          Contact: renderContactSummary(books.contacts.get(invoice.ContactID), invoice.ContactID),
          LineItems: [],
          CurrencyCode: invoice.CurrencyCode,
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
    'account.code': (p) => books.accounts.find((a) => a.AccountID === p.AccountID)?.Code,
  };
}

