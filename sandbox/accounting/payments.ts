/**
 * Payments against invoices, and refunds: a payment against a credit note pays its remaining credit out of a bank
 * account. Xero takes either only on AUTHORISED documents, into a bank account (or an account with payments
 * enabled), never above what is outstanding (the invoice's AmountDue, the credit note's RemainingCredit). A payment
 * cannot be edited, only deleted (`{"Status":"DELETED"}`), which gives the document its amount back. A failed
 * element is answered as the payment it would have saved.
 */
import { randomUUID } from 'node:crypto';
import { round } from '../money.ts';
import { parseDateOnly } from '../xero-dates.ts';
import { accountByCode, accountById, usableForPayments } from './accounts.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { touch, type BooksContext } from './context.ts';
import { findCreditNote, settleCreditNote } from './credit-notes.ts';
import { bool, compact, number, object, text, type Json } from './fields.ts';
import { DOCUMENT_NOT_FOUND, findInvoice, settle } from './invoices.ts';
import { renderPayment } from './payment-render.ts';
import type { CreditNote, Invoice, Payment } from './records.ts';

export const ONLY_AUTHORISED = 'Payments can only be made against Authorised documents';
export const EXCEEDS_OUTSTANDING = 'Payment amount exceeds the amount outstanding on this document';
export const NO_DOCUMENT = 'You must specify either an Invoice, CreditNote, Prepayment or Overpayment to make a payment against.';
export const NO_ACCOUNT = 'You must specify an Account to make a payment with.';
export const ACCOUNT_NOT_FOUND = 'The Account could not be found.';
export const ACCOUNT_NOT_FOR_PAYMENTS = 'Payments can only be made to bank accounts or accounts with payments enabled.';
export const AMOUNT_NOT_POSITIVE = 'Payment amount must be greater than zero.';
export const DATE_REQUIRED = 'A valid payment date must be specified.';
export const ALREADY_DELETED = 'This payment has already been deleted.';
/** Modelled on Xero's words for a reconciled bank transaction ("... cannot be edited as it has been reconciled with a Bank Statement."). */
export const RECONCILED = 'This Payment cannot be deleted as it has been reconciled with a Bank Statement.';

const PAYMENT_TYPE = { ACCREC: 'ACCRECPAYMENT', ACCPAY: 'ACCPAYPAYMENT', ACCRECCREDIT: 'ARCREDITPAYMENT', ACCPAYCREDIT: 'APCREDITPAYMENT' } as const;

type Target = { invoice: Invoice; note?: undefined } | { note: CreditNote; invoice?: undefined };

function target(ctx: BooksContext, input: Json, errors: string[]): Target | undefined {
  const invoiceRef = object(input, 'Invoice');
  const noteRef = object(input, 'CreditNote');
  if (!invoiceRef && !noteRef) {
    errors.push(NO_DOCUMENT);
    return undefined;
  }
  const found = invoiceRef ? findInvoice(ctx.books, invoiceRef) : findCreditNote(ctx.books, noteRef!);
  if (!found || found === 'unknown-id') {
    errors.push(DOCUMENT_NOT_FOUND);
    return undefined;
  }
  return invoiceRef ? { invoice: found as Invoice } : { note: found as CreditNote };
}

export function makePayment(ctx: BooksContext, input: Json): ElementResult {
  const { books } = ctx;
  const errors: string[] = [];
  const doc = target(ctx, input, errors);
  const accountRef = object(input, 'Account');
  const code = accountRef ? text(accountRef, 'Code') : text(input, 'Code');
  const accountId = accountRef ? text(accountRef, 'AccountID') : undefined;
  const account = code ? accountByCode(books, code) : accountId ? accountById(books, accountId) : undefined;
  if (doc) {
    if (!code && !accountId) errors.push(NO_ACCOUNT);
    else if (!account) errors.push(ACCOUNT_NOT_FOUND);
    else if (!usableForPayments(account)) errors.push(ACCOUNT_NOT_FOR_PAYMENTS);
  }
  const status = doc?.invoice?.Status ?? doc?.note?.Status;
  const outstanding = doc?.invoice ? doc.invoice.AmountDue : doc?.note?.RemainingCredit;
  if (doc && status !== 'AUTHORISED') errors.push(ONLY_AUTHORISED);
  const amount = number(input, 'Amount');
  if (doc) {
    if (amount === undefined || round(amount) <= 0) errors.push(AMOUNT_NOT_POSITIVE);
    else if (status === 'AUTHORISED' && round(amount) > outstanding!) errors.push(EXCEEDS_OUTSTANDING);
  }
  const date = parseDateOnly(text(input, 'Date'));
  if (doc && !date) errors.push(DATE_REQUIRED);

  const paid = round(amount ?? 0);
  const rate = number(input, 'CurrencyRate') ?? doc?.invoice?.CurrencyRate ?? doc?.note?.CurrencyRate ?? 1;
  const payment: Payment = compact({
    PaymentID: ZERO_GUID,
    InvoiceID: doc?.invoice?.InvoiceID,
    CreditNoteID: doc?.note?.CreditNoteID,
    AccountID: account?.AccountID ?? '',
    Date: date ?? '',
    Amount: paid,
    BankAmount: round(paid / rate),
    CurrencyRate: rate,
    Reference: text(input, 'Reference'),
    IsReconciled: bool(input, 'IsReconciled') ?? false,
    Status: 'AUTHORISED',
    PaymentType: PAYMENT_TYPE[doc?.invoice?.Type ?? doc?.note?.Type ?? 'ACCREC'],
    updatedAt: 0,
  }) as Payment;
  if (errors.length > 0) return { element: renderPayment(books, payment, compact({ Code: code, AccountID: accountId })), errors };

  payment.PaymentID = randomUUID();
  payment.updatedAt = touch(ctx);
  books.payments.set(payment.PaymentID, payment);
  // The document changes (an INVOICE or CREDITNOTE webhook): there is no payment webhook in Xero.
  if (doc!.invoice) {
    doc!.invoice.AmountPaid = round(doc!.invoice.AmountPaid + paid);
    settle(ctx, doc!.invoice, payment.Date);
  } else {
    doc!.note!.RemainingCredit = round(doc!.note!.RemainingCredit - paid);
    settleCreditNote(ctx, doc!.note!, payment.Date);
  }
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
  const note = payment.CreditNoteID ? books.creditNotes.get(payment.CreditNoteID) : undefined;
  if (note) {
    note.RemainingCredit = round(note.RemainingCredit + payment.Amount);
    settleCreditNote(ctx, note);
  }
  return { element: renderPayment(books, payment), errors: [] };
}
