/** /Invoices endpoints. */
import express, { type Router } from 'express';
import { batchElements, bodyElements, summarizeErrors } from './batch.ts';
import { notFound, postDataInvalid, validationException } from './errors.ts';
import { isGuid } from './fields.ts';
import { emailInvoice } from './invoice-email.ts';
import { invoiceFieldsFor, renderInvoice } from './invoice-render.ts';
import { saveInvoice } from './invoices.ts';
import { onlineInvoiceUrl } from './online-invoices.ts';
import { applyOrder, applyWhere, modifiedSince, paginate, queryList, queryParam, readPage } from './query.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';
import type { Books, Invoice } from './records.ts';

function invoiceByIdOrNumber(books: Books, key: string): Invoice | undefined {
  if (isGuid(key)) return books.invoices.get(key.toLowerCase());
  return books.invoices.findFirst('number', key.toLowerCase(), (i) => i.Status !== 'DELETED');
}

export function invoiceRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  router.get('/Invoices', accountingRoute(deps, 'GET /Invoices', (req, ctx) => {
    const { books } = ctx;
    let list = [...books.invoices.values()];
    const ids = queryList(req, 'IDs')?.map((s) => s.toLowerCase());
    const numbers = queryList(req, 'InvoiceNumbers')?.map((s) => s.toLowerCase());
    const contactIds = queryList(req, 'ContactIDs')?.map((s) => s.toLowerCase());
    const statuses = queryList(req, 'Statuses')?.map((s) => s.toUpperCase());
    const where = queryParam(req, 'where') ?? '';
    if (ids) list = list.filter((i) => ids.includes(i.InvoiceID));
    if (numbers) list = list.filter((i) => numbers.includes(i.InvoiceNumber.toLowerCase()));
    if (contactIds) list = list.filter((i) => contactIds.includes(i.ContactID));
    if (statuses) list = list.filter((i) => statuses.includes(i.Status));
    // Deleted invoices stay out of lists unless asked for by id, status or a where on Status.
    else if (!ids && !/status/i.test(where)) list = list.filter((i) => i.Status !== 'DELETED');
    const term = queryParam(req, 'searchTerm')?.toLowerCase();
    if (term) list = list.filter((i) => i.InvoiceNumber.toLowerCase().includes(term) || (i.Reference ?? '').toLowerCase().includes(term));
    list = modifiedSince(req, list, (i) => i.updatedAt);
    const fields = invoiceFieldsFor(books);
    list = applyOrder(req, applyWhere(req, list, 'Invoice', fields), 'Invoice', fields);
    const paging = readPage(req);
    const { items, pagination } = paging ? paginate(list, paging) : { items: list, pagination: undefined };
    const rendered = items.map((i) => renderInvoice(books, i, paging !== undefined));
    return { status: 200, body: envelope(ctx.store, 'Invoices', rendered, pagination ? { pagination } : {}) };
  }));

  router.get('/Invoices/:key', accountingRoute(deps, 'GET /Invoices/{InvoiceID}', (req, ctx) => {
    const invoice = invoiceByIdOrNumber(ctx.books, String(req.params['key']));
    if (!invoice) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'Invoices', [renderInvoice(ctx.books, invoice, true)]) };
  }));

  const write = (mode: 'create' | 'upsert') => accountingRoute(deps, `${mode === 'create' ? 'PUT' : 'POST'} /Invoices`, (req, ctx) => {
    const elements = bodyElements(req.body, 'Invoices');
    if (!elements || elements.length === 0) throw postDataInvalid('No invoices were provided.');
    const results = elements.map((e) => saveInvoice(ctx, e, mode, { unitDp: ctx.unitDp }));
    return { status: 200, body: envelope(ctx.store, 'Invoices', batchElements(results, summarizeErrors(req), 'HasErrors')) };
  });
  router.put('/Invoices', write('create'));
  router.post('/Invoices', write('upsert'));

  router.get('/Invoices/:key/OnlineInvoice', accountingRoute(deps, 'GET /Invoices/{InvoiceID}/OnlineInvoice', (req, ctx) => {
    const invoice = invoiceByIdOrNumber(ctx.books, String(req.params['key']));
    if (!invoice) throw notFound();
    const url = onlineInvoiceUrl(ctx.store, ctx.books, invoice);
    return { status: 200, body: envelope(ctx.store, 'OnlineInvoices', [{ OnlineInvoiceUrl: url }]) };
  }));

  router.post('/Invoices/:key/Email', accountingRoute(deps, 'POST /Invoices/{InvoiceID}/Email', (req, ctx) => {
    const invoice = invoiceByIdOrNumber(ctx.books, String(req.params['key']));
    if (!invoice) throw notFound();
    emailInvoice(ctx, invoice.InvoiceID);
    return { status: 204 };
  }));

  router.post('/Invoices/:key', accountingRoute(deps, 'POST /Invoices/{InvoiceID}', (req, ctx) => {
    const invoice = invoiceByIdOrNumber(ctx.books, String(req.params['key']));
    if (!invoice) throw notFound();
    const element = bodyElements(req.body, 'Invoices')?.[0];
    if (!element) throw postDataInvalid('No invoice was provided.');
    const result = saveInvoice(ctx, element, { updateId: invoice.InvoiceID }, { unitDp: ctx.unitDp });
    if (result.errors.length > 0) throw validationException([{ ...result.element, ValidationErrors: result.errors.map((Message) => ({ Message })) }]);
    return { status: 200, body: envelope(ctx.store, 'Invoices', [result.element]) };
  }));
  return router;
}
