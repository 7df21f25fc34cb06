/** /ManualJournals endpoints (revenue recognition). */
import express, { type Router } from 'express';
import { batchElements, bodyElements, summarizeErrors } from './batch.ts';
import { notFound, postDataInvalid, validationException } from './errors.ts';
import { isGuid } from './fields.ts';
import { JOURNAL_FIELDS, renderManualJournal, saveManualJournal } from './manual-journals.ts';
import { applyOrder, applyWhere, modifiedSince, paginate, queryParam, readPage } from './query.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';

export function journalRoutes(deps: RouteDeps): Router {
  const router = express.Router();

  router.get('/ManualJournals', accountingRoute(deps, 'GET /ManualJournals', (req, ctx) => {
    let list = modifiedSince(req, [...ctx.books.manualJournals.values()], (m) => m.updatedAt);
    // Deleted journals stay out of lists unless a where asks about Status, as with invoices.
    if (!/status/i.test(queryParam(req, 'where') ?? '')) list = list.filter((m) => m.Status !== 'DELETED');
    list = applyOrder(req, applyWhere(req, list, 'ManualJournal', JOURNAL_FIELDS), 'ManualJournal', JOURNAL_FIELDS);
    const paging = readPage(req);
    const { items, pagination } = paging ? paginate(list, paging) : { items: list, pagination: undefined };
    // Journal lines come with paging ("page=1 ... with line items shown") or when fetching one journal.
    const rendered = items.map((m) => renderManualJournal(ctx.books, m, paging !== undefined));
    return { status: 200, body: envelope(ctx.store, 'ManualJournals', rendered, pagination ? { pagination } : {}) };
  }));
  router.get('/ManualJournals/:id', accountingRoute(deps, 'GET /ManualJournals/{ManualJournalID}', (req, ctx) => {
    const id = String(req.params['id']).toLowerCase();
    const journal = isGuid(id) ? ctx.books.manualJournals.get(id) : undefined;
    if (!journal) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'ManualJournals', [renderManualJournal(ctx.books, journal)]) };
  }));

  const write = (mode: 'create' | 'upsert') => accountingRoute(deps, `${mode === 'create' ? 'PUT' : 'POST'} /ManualJournals`, (req, ctx) => {
    const elements = bodyElements(req.body, 'ManualJournals');
    if (!elements || elements.length === 0) throw postDataInvalid('No manual journals were provided.');
    const results = elements.map((e) => saveManualJournal(ctx, e, mode));
    return { status: 200, body: envelope(ctx.store, 'ManualJournals', batchElements(results, summarizeErrors(req), 'HasErrors')) };
  });
  router.put('/ManualJournals', write('create'));
  router.post('/ManualJournals', write('upsert'));

  router.post('/ManualJournals/:id', accountingRoute(deps, 'POST /ManualJournals/{ManualJournalID}', (req, ctx) => {
    const id = String(req.params['id']).toLowerCase();
    const journal = isGuid(id) ? ctx.books.manualJournals.get(id) : undefined;
    if (!journal) throw notFound();
    const element = bodyElements(req.body, 'ManualJournals')?.[0];
    if (!element) throw postDataInvalid('No manual journal was provided.');
    const result = saveManualJournal(ctx, element, { updateId: journal.ManualJournalID });
    if (result.errors.length > 0) throw validationException([{ ...result.element, ValidationErrors: result.errors.map((Message) => ({ Message })) }]);
    return { status: 200, body: envelope(ctx.store, 'ManualJournals', [result.element]) };
  }));
  return router;
}
