/** /ManualJournals and /CreditNotes endpoints (used for revenue recognition and refunds). */
import express, { type Router } from 'express';
import { batchElements, bodyElements, summarizeErrors } from './batch.ts';
import { allocateCreditNote, createCreditNote, renderCreditNote } from './credit-notes.ts';
import { notFound, postDataInvalid } from './errors.ts';
import { createManualJournal, renderManualJournal } from './manual-journals.ts';
import { applyWhere, modifiedSince, paginate, readPage } from './query.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';
import type { CreditNote, ManualJournal } from './records.ts';
import type { FieldMap } from './where.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

const JOURNAL_FIELDS: FieldMap<ManualJournal> = {
  manualjournalid: (m) => m.ManualJournalID,
  narration: (m) => m.Narration,
  status: (m) => m.Status,
  date: (m) => day(m.Date),
  updateddateutc: (m) => m.updatedAt,
};

const CREDIT_NOTE_FIELDS: FieldMap<CreditNote> = {
  creditnoteid: (c) => c.CreditNoteID,
  creditnotenumber: (c) => c.CreditNoteNumber,
  status: (c) => c.Status,
  type: (c) => c.Type,
  reference: (c) => c.Reference,
  'contact.contactid': (c) => c.ContactID,
  date: (c) => day(c.Date),
  remainingcredit: (c) => c.RemainingCredit,
  updateddateutc: (c) => c.updatedAt,
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

  router.get('/CreditNotes', accountingRoute(deps, 'GET /CreditNotes', (req, ctx) => {
    let list = modifiedSince(req, [...ctx.books.creditNotes.values()], (c) => c.updatedAt);
    list = applyWhere(req, list, 'CreditNote', CREDIT_NOTE_FIELDS);
    const paging = readPage(req);
    const { items, pagination } = paging ? paginate(list, paging) : { items: list, pagination: undefined };
    return { status: 200, body: envelope(ctx.store, 'CreditNotes', items.map((c) => renderCreditNote(ctx.books, c)), pagination ? { pagination } : {}) };
  }));
  router.get('/CreditNotes/:id', accountingRoute(deps, 'GET /CreditNotes/{CreditNoteID}', (req, ctx) => {
    const note = ctx.books.creditNotes.get(String(req.params['id']).toLowerCase());
    if (!note) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'CreditNotes', [renderCreditNote(ctx.books, note)]) };
  }));
  router.put('/CreditNotes', accountingRoute(deps, 'PUT /CreditNotes', (req, ctx) => {
    const elements = bodyElements(req.body, 'CreditNotes');
    if (!elements || elements.length === 0) throw postDataInvalid('No credit notes were provided.');
    const results = elements.map((e) => createCreditNote(ctx, e, ctx.unitDp));
    return { status: 200, body: envelope(ctx.store, 'CreditNotes', batchElements(results, summarizeErrors(req), 'HasErrors')) };
  }));
  router.put('/CreditNotes/:id/Allocations', accountingRoute(deps, 'PUT /CreditNotes/{CreditNoteID}/Allocations', (req, ctx) => {
    const note = ctx.books.creditNotes.get(String(req.params['id']).toLowerCase());
    if (!note) throw notFound();
    const elements = bodyElements(req.body, 'Allocations');
    if (!elements || elements.length === 0) throw postDataInvalid('No allocations were provided.');
    const results = elements.map((e) => allocateCreditNote(ctx, note, e));
    return { status: 200, body: { Allocations: batchElements(results, summarizeErrors(req), 'HasErrors') } };
  }));
  return router;
}
