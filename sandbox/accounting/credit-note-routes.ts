/** /CreditNotes endpoints (refunds and credit for members). */
import express, { type Router } from 'express';
import { batchElements, bodyElements, summarizeErrors } from './batch.ts';
import { allocateCreditNote } from './credit-note-allocations.ts';
import { creditNoteFieldsFor, renderCreditNote, saveCreditNote } from './credit-notes.ts';
import { notFound, postDataInvalid, validationException } from './errors.ts';
import { isGuid } from './fields.ts';
import { applyOrder, applyWhere, modifiedSince, paginate, queryParam, readPage } from './query.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';
import type { Books, CreditNote } from './records.ts';

function creditNoteById(books: Books, key: string): CreditNote | undefined {
  return isGuid(key) ? books.creditNotes.get(key.toLowerCase()) : undefined;
}

export function creditNoteRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  router.get('/CreditNotes', accountingRoute(deps, 'GET /CreditNotes', (req, ctx) => {
    const { books } = ctx;
    let list = modifiedSince(req, [...books.creditNotes.values()], (c) => c.updatedAt);
    // As with invoices, deleted credit notes stay out of lists unless a where asks about Status.
    if (!/status/i.test(queryParam(req, 'where') ?? '')) list = list.filter((c) => c.Status !== 'DELETED');
    const fields = creditNoteFieldsFor(books);
    list = applyOrder(req, applyWhere(req, list, 'CreditNote', fields), 'CreditNote', fields);
    const paging = readPage(req);
    const { items, pagination } = paging ? paginate(list, paging) : { items: list, pagination: undefined };
    // Line items come with paging ("page=1 ... with line items shown"), as on invoices.
    return { status: 200, body: envelope(ctx.store, 'CreditNotes', items.map((c) => renderCreditNote(books, c, paging !== undefined)), pagination ? { pagination } : {}) };
  }));
  router.get('/CreditNotes/:id', accountingRoute(deps, 'GET /CreditNotes/{CreditNoteID}', (req, ctx) => {
    const note = creditNoteById(ctx.books, String(req.params['id']));
    if (!note) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'CreditNotes', [renderCreditNote(ctx.books, note, true)]) };
  }));

  const write = (mode: 'create' | 'upsert') => accountingRoute(deps, `${mode === 'create' ? 'PUT' : 'POST'} /CreditNotes`, (req, ctx) => {
    const elements = bodyElements(req.body, 'CreditNotes');
    if (!elements || elements.length === 0) throw postDataInvalid('No credit notes were provided.');
    const results = elements.map((e) => saveCreditNote(ctx, e, mode, ctx.unitDp));
    return { status: 200, body: envelope(ctx.store, 'CreditNotes', batchElements(results, summarizeErrors(req), 'HasErrors')) };
  });
  router.put('/CreditNotes', write('create'));
  router.post('/CreditNotes', write('upsert'));

  router.post('/CreditNotes/:id', accountingRoute(deps, 'POST /CreditNotes/{CreditNoteID}', (req, ctx) => {
    const note = creditNoteById(ctx.books, String(req.params['id']));
    if (!note) throw notFound();
    const element = bodyElements(req.body, 'CreditNotes')?.[0];
    if (!element) throw postDataInvalid('No credit note was provided.');
    const result = saveCreditNote(ctx, element, { updateId: note.CreditNoteID }, ctx.unitDp);
    if (result.errors.length > 0) throw validationException([{ ...result.element, ValidationErrors: result.errors.map((Message) => ({ Message })) }]);
    return { status: 200, body: envelope(ctx.store, 'CreditNotes', [result.element]) };
  }));

  router.put('/CreditNotes/:id/Allocations', accountingRoute(deps, 'PUT /CreditNotes/{CreditNoteID}/Allocations', (req, ctx) => {
    const note = creditNoteById(ctx.books, String(req.params['id']));
    if (!note) throw notFound();
    const elements = bodyElements(req.body, 'Allocations');
    if (!elements || elements.length === 0) throw postDataInvalid('No allocations were provided.');
    const results = elements.map((e) => allocateCreditNote(ctx, note, e));
    return { status: 200, body: envelope(ctx.store, 'Allocations', batchElements(results, summarizeErrors(req), 'HasErrors')) };
  }));
  return router;
}
