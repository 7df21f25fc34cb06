/**
 * GET /Invoices/{id}/OnlineInvoice: the link a customer opens to view (and pay) a sales invoice. Xero gives one
 * only for sales invoices, and not for drafts ("you cannot retrieve an online invoice url for DRAFT invoices");
 * the sandbox also refuses deleted ones. The link is stable per invoice; here it points at a small page the
 * sandbox serves itself (`/in/{token}`) instead of in.xero.com.
 */
import { createHmac } from 'node:crypto';
import express, { type Router } from 'express';
import type { SandboxStore } from '../store.ts';
import { validationMessage } from './errors.ts';
import type { Books, Invoice } from './records.ts';

export const ONLINE_INVOICE_ONLY_SALES = 'Online invoices are only available for sales invoices (ACCREC).';
export const ONLINE_INVOICE_NOT_APPROVED = 'Online invoices are not available for DRAFT or DELETED invoices.';

function token(store: SandboxStore, tenantId: string, invoiceId: string): string {
  // 40 letters and digits like Xero's, the same for the same invoice for as long as the sandbox runs. A
  // SHA-512 digest is 86 characters in base64url, so 40 remain once its '-' and '_' are dropped (from
  // SHA-256's 43 sometimes left fewer than 40).
  return createHmac('sha512', store.signingSecret).update(`${tenantId}/${invoiceId}`).digest('base64url').replace(/[-_]/g, '').slice(0, 40);
}

export function onlineInvoiceUrl(store: SandboxStore, books: Books, invoice: Invoice): string {
  if (invoice.Type !== 'ACCREC') throw validationMessage(ONLINE_INVOICE_ONLY_SALES);
  if (invoice.Status === 'DRAFT' || invoice.Status === 'DELETED') throw validationMessage(ONLINE_INVOICE_NOT_APPROVED);
  const key = token(store, books.org.OrganisationID, invoice.InvoiceID);
  store.onlineInvoices.set(key, { tenantId: books.org.OrganisationID, invoiceId: invoice.InvoiceID });
  return `${store.baseUrl}/in/${key}`;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page behind an online invoice link: who it is from and to, what is due. */
export function onlineInvoicePages(store: SandboxStore): Router {
  const router = express.Router();
  router.get('/in/:token', (req, res) => {
    const found = store.onlineInvoices.get(String(req.params['token']));
    const books = found ? store.books.get(found.tenantId) : undefined;
    const invoice = found && books ? books.invoices.get(found.invoiceId) : undefined;
    if (!books || !invoice) {
      res.status(404).type('text/plain').send('This invoice is no longer available.');
      return;
    }
    const contact = books.contacts.get(invoice.ContactID)?.Name ?? '';
    const money = (n: number) => `${invoice.CurrencyCode} ${n.toFixed(2)}`;
    res.type('html').send(`<!doctype html><meta charset="utf-8"><title>Invoice ${escape(invoice.InvoiceNumber)}</title>
<h1>${escape(books.org.Name)}: invoice ${escape(invoice.InvoiceNumber)}</h1>
<p>To ${escape(contact)} · dated ${invoice.Date}${invoice.DueDate ? ` · due ${invoice.DueDate}` : ''} · ${invoice.Status}</p>
<p>Total ${money(invoice.Total)} · paid ${money(invoice.AmountPaid + invoice.AmountCredited)} · <strong>due ${money(invoice.AmountDue)}</strong></p>`);
  });
  return router;
}
