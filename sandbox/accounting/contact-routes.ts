/** /Contacts endpoints. */
import express, { type Router } from 'express';
import { batchElements, bodyElements, summarizeErrors } from './batch.ts';
import { contactFieldsFor, matchesSearchTerm, renderContact, saveContact, findByNumber } from './contacts.ts';
import { notFound, postDataInvalid, validationException } from './errors.ts';
import { isGuid } from './fields.ts';
import { applyOrder, applyWhere, modifiedSince, paginate, queryFlag, queryList, queryParam, readPage } from './query.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';
import type { Books, Contact } from './records.ts';

const LIGHT_FIELDS = ['Addresses', 'Phones', 'ContactGroups', 'ContactPersons'];

function contactByIdOrNumber(books: Books, key: string): Contact | undefined {
  return isGuid(key) ? books.contacts.get(key.toLowerCase()) : findByNumber(books, key);
}

export function contactRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  router.get('/Contacts', accountingRoute(deps, 'GET /Contacts', (req, ctx) => {
    const { books } = ctx;
    const ids = queryList(req, 'IDs')?.map((id) => id.toLowerCase());
    let list = [...books.contacts.values()];
    if (ids) list = list.filter((c) => ids.includes(c.ContactID));
    // Archived contacts only come back when asked for (or named by id).
    else if (!queryFlag(req, 'includeArchived')) list = list.filter((c) => c.ContactStatus !== 'ARCHIVED');
    const term = queryParam(req, 'searchTerm');
    if (term) list = list.filter((c) => matchesSearchTerm(c, term));
    list = modifiedSince(req, list, (c) => c.updatedAt);
    const fields = contactFieldsFor(books);
    list = applyOrder(req, applyWhere(req, list, 'Contact', fields), 'Contact', fields);
    const paging = readPage(req);
    const { items, pagination } = paging ? paginate(list, paging) : { items: list, pagination: undefined };
    const summary = queryFlag(req, 'summaryOnly');
    const rendered = items.map((c) => {
      const shown = renderContact(books, c);
      if (summary) for (const f of LIGHT_FIELDS) delete shown[f];
      return shown;
    });
    return { status: 200, body: envelope(ctx.store, 'Contacts', rendered, pagination ? { pagination } : {}) };
  }));

  router.get('/Contacts/:key', accountingRoute(deps, 'GET /Contacts/{ContactID}', (req, ctx) => {
    const contact = contactByIdOrNumber(ctx.books, String(req.params['key']));
    if (!contact) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'Contacts', [renderContact(ctx.books, contact)]) };
  }));

  const write = (mode: 'create' | 'upsert') => accountingRoute(deps, `${mode === 'create' ? 'PUT' : 'POST'} /Contacts`, (req, ctx) => {
    const elements = bodyElements(req.body, 'Contacts');
    if (!elements || elements.length === 0) throw postDataInvalid('No contacts were provided.');
    const results = elements.map((e) => saveContact(ctx, e, mode));
    return { status: 200, body: envelope(ctx.store, 'Contacts', batchElements(results, summarizeErrors(req), 'HasValidationErrors')) };
  });
  router.put('/Contacts', write('create'));
  router.post('/Contacts', write('upsert'));

  router.post('/Contacts/:key', accountingRoute(deps, 'POST /Contacts/{ContactID}', (req, ctx) => {
    const contact = contactByIdOrNumber(ctx.books, String(req.params['key']));
    if (!contact) throw notFound();
    const element = bodyElements(req.body, 'Contacts')?.[0];
    if (!element) throw postDataInvalid('No contact was provided.');
    const result = saveContact(ctx, element, { updateId: contact.ContactID });
    if (result.errors.length > 0) throw validationException([{ ...result.element, ValidationErrors: result.errors.map((Message) => ({ Message })) }]);
    return { status: 200, body: envelope(ctx.store, 'Contacts', [result.element]) };
  }));
  return router;
}
