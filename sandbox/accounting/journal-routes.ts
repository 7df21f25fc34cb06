/** /ManualJournals endpoints (used for revenue recognition). */
import express, { type Router } from 'express';
import { batchElements, bodyElements, summarizeErrors } from './batch.ts';
import { notFound, postDataInvalid } from './errors.ts';
import { createManualJournal, renderManualJournal } from './manual-journals.ts';
import { applyWhere, modifiedSince, paginate, readPage } from './query.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';
import type { ManualJournal } from './records.ts';
import type { FieldMap } from './where.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

const JOURNAL_FIELDS: FieldMap<ManualJournal> = {
  manualjournalid: (m) => m.ManualJournalID,
  narration: (m) => m.Narration,
  status: (m) => m.Status,
  date: (m) => day(m.Date),
  updateddateutc: (m) => m.updatedAt,
};

export function journalRoutes(deps: RouteDeps): Router {
  const router = express.Router();

  router.get('/ManualJournals', accountingRoute(deps, 'GET /ManualJournals', (req, ctx) => {
    let list = modifiedSince(req, [...ctx.books.manualJournals.values()], (m) => m.updatedAt);
    list = applyWhere(req, list, 'ManualJournal', JOURNAL_FIELDS);
    const paging = readPage(req);
    const { items, pagination } = paging ? paginate(list, paging) : { items: list, pagination: undefined };
    return { status: 200, body: envelope(ctx.store, 'ManualJournals', items.map((m) => renderManualJournal(ctx.books, m)), pagination ? { pagination } : {}) };
  }));
  router.get('/ManualJournals/:id', accountingRoute(deps, 'GET /ManualJournals/{ManualJournalID}', (req, ctx) => {
    const journal = ctx.books.manualJournals.get(String(req.params['id']).toLowerCase());
    if (!journal) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'ManualJournals', [renderManualJournal(ctx.books, journal)]) };
  }));
  router.put('/ManualJournals', accountingRoute(deps, 'PUT /ManualJournals', (req, ctx) => {
    const elements = bodyElements(req.body, 'ManualJournals');
    if (!elements || elements.length === 0) throw postDataInvalid('No manual journals were provided.');
    const results = elements.map((e) => createManualJournal(ctx, e));
    return { status: 200, body: envelope(ctx.store, 'ManualJournals', batchElements(results, summarizeErrors(req), 'HasErrors')) };
  }));

  return router;
}
