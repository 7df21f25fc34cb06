/** /Payments endpoints. */
import express, { type Router } from 'express';
import { batchElements, bodyElements, summarizeErrors } from './batch.ts';
import { notFound, postDataInvalid, validationException } from './errors.ts';
import { text } from './fields.ts';
import { paymentFieldsFor, renderPayment } from './payment-render.ts';
import { deletePayment, makePayment } from './payments.ts';
import { applyOrder, applyWhere, modifiedSince, paginate, readPage } from './query.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';
import type { ElementResult } from './batch.ts';

export const ONLY_DELETE = 'Payments can only be deleted: send {"Status":"DELETED"}.';

function failOnErrors(result: ElementResult): void {
  if (result.errors.length > 0) throw validationException([{ ...result.element, ValidationErrors: result.errors.map((Message) => ({ Message })) }]);
}

export function paymentRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  router.get('/Payments', accountingRoute(deps, 'GET /Payments', (req, ctx) => {
    const { books } = ctx;
    const fields = paymentFieldsFor(books);
    let list = modifiedSince(req, [...books.payments.values()], (p) => p.updatedAt);
    list = applyOrder(req, applyWhere(req, list, 'Payment', fields), 'Payment', fields);
    const paging = readPage(req);
    const { items, pagination } = paging ? paginate(list, paging) : { items: list, pagination: undefined };
    return { status: 200, body: envelope(ctx.store, 'Payments', items.map((p) => renderPayment(books, p)), pagination ? { pagination } : {}) };
  }));

  router.get('/Payments/:id', accountingRoute(deps, 'GET /Payments/{PaymentID}', (req, ctx) => {
    const payment = ctx.books.payments.get(String(req.params['id']).toLowerCase());
    if (!payment) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'Payments', [renderPayment(ctx.books, payment)]) };
  }));

  router.put('/Payments', accountingRoute(deps, 'PUT /Payments', (req, ctx) => {
    const elements = bodyElements(req.body, 'Payments');
    if (!elements || elements.length === 0) throw postDataInvalid('No payments were provided.');
    const results = elements.map((e) => makePayment(ctx, e));
    return { status: 200, body: envelope(ctx.store, 'Payments', batchElements(results, summarizeErrors(req), 'HasValidationErrors')) };
  }));

  // POST /Payments takes ONE payment (xero-node's createPayment sends it bare).
  router.post('/Payments', accountingRoute(deps, 'POST /Payments', (req, ctx) => {
    const element = bodyElements(req.body, 'Payments')?.[0];
    if (!element) throw postDataInvalid('No payment was provided.');
    const result = makePayment(ctx, element);
    failOnErrors(result);
    return { status: 200, body: envelope(ctx.store, 'Payments', [result.element]) };
  }));

  router.post('/Payments/:id', accountingRoute(deps, 'POST /Payments/{PaymentID}', (req, ctx) => {
    const payment = ctx.books.payments.get(String(req.params['id']).toLowerCase());
    if (!payment) throw notFound();
    const element = bodyElements(req.body, 'Payments')?.[0] ?? {};
    if (text(element, 'Status')?.toUpperCase() !== 'DELETED') {
      throw validationException([{ ...renderPayment(ctx.books, payment), ValidationErrors: [{ Message: ONLY_DELETE }] }]);
    }
    const result = deletePayment(ctx, payment);
    failOnErrors(result);
    return { status: 200, body: envelope(ctx.store, 'Payments', [result.element]) };
  }));
  return router;
}
