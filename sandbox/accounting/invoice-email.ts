/**
 * POST /Invoices/{id}/Email: Xero emails a sales invoice to the contact's primary address.
 * Only approved sales invoices can go, the contact needs an address, a Demo Company cannot email at all,
 * and each organisation has a daily allowance (1,000 paying, 20 trial).
 */
import { calendarDate } from '../xero-dates.ts';
import { change, touch, type BooksContext } from './context.ts';
import { notFound, validationMessage } from './errors.ts';

export const EMAIL_ONLY_SALES = 'Only sales invoices (ACCREC) can be emailed.';
export const EMAIL_BAD_STATUS = 'Invoices can only be emailed when they are SUBMITTED, AUTHORISED or PAID.';
export const EMAIL_NO_ADDRESS = 'The contact for this invoice does not have an email address.';
export const EMAIL_DEMO = 'The Demo Company cannot send emails.';
export const EMAIL_LIMIT = 'The daily limit of invoice emails for this organisation has been reached.';

export function emailInvoice(ctx: BooksContext, invoiceId: string): void {
  const { books } = ctx;
  const invoice = books.invoices.get(invoiceId.toLowerCase());
  if (!invoice) throw notFound();
  if (invoice.Type !== 'ACCREC') throw validationMessage(EMAIL_ONLY_SALES);
  if (!['SUBMITTED', 'AUTHORISED', 'PAID'].includes(invoice.Status)) throw validationMessage(EMAIL_BAD_STATUS);
  const contact = books.contacts.get(invoice.ContactID);
  if (!contact?.EmailAddress) throw validationMessage(EMAIL_NO_ADDRESS);
  if (books.org.IsDemoCompany) throw validationMessage(EMAIL_DEMO);
  const today = calendarDate(ctx.now());
  if (books.emails.day !== today) books.emails = { ...books.emails, day: today, sentToday: 0 };
  if (books.emails.sentToday >= books.org.emailDailyLimit) throw validationMessage(EMAIL_LIMIT);
  books.emails.sentToday += 1;
  books.emails.total += 1;
  ctx.store.counters.emailsSent[ctx.tenantId] = (ctx.store.counters.emailsSent[ctx.tenantId] ?? 0) + 1;
  if (!invoice.SentToContact) {
    invoice.SentToContact = true;
    invoice.updatedAt = touch(ctx, invoice.updatedAt);
    change(ctx, 'INVOICE', 'UPDATE', invoice.InvoiceID);
  }
}
