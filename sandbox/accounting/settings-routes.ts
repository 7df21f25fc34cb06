/** Read-only reference data: /Organisation, /Accounts, /TaxRates, /Currencies. */
import express, { type Router } from 'express';
import { notFound } from './errors.ts';
import { isGuid } from './fields.ts';
import { applyOrder, applyWhere, modifiedSince, queryParam } from './query.ts';
import { ACCOUNT_FIELDS, TAX_RATE_FIELDS, renderAccount, renderCurrencies, renderOrganisation, renderTaxRate } from './reference-data.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';
import type { FieldMap } from './where.ts';

const CURRENCY_FIELDS: FieldMap<Record<string, unknown>> = {
  code: (c) => c['Code'] as string,
  description: (c) => c['Description'] as string,
};

export function settingsRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  router.get('/Organisation', accountingRoute(deps, 'GET /Organisation', (_req, ctx) =>
    ({ status: 200, body: envelope(ctx.store, 'Organisations', [renderOrganisation(ctx.books)]) })));

  router.get('/Accounts', accountingRoute(deps, 'GET /Accounts', (req, ctx) => {
    let list = modifiedSince(req, ctx.books.accounts, (a) => a.updatedAt);
    list = applyOrder(req, applyWhere(req, list, 'Account', ACCOUNT_FIELDS), 'Account', ACCOUNT_FIELDS);
    return { status: 200, body: envelope(ctx.store, 'Accounts', list.map(renderAccount)) };
  }));
  router.get('/Accounts/:id', accountingRoute(deps, 'GET /Accounts/{AccountID}', (req, ctx) => {
    const id = String(req.params['id']).toLowerCase();
    const account = isGuid(id) ? ctx.books.accounts.find((a) => a.AccountID === id) : undefined;
    if (!account) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'Accounts', [renderAccount(account)]) };
  }));

  router.get('/TaxRates', accountingRoute(deps, 'GET /TaxRates', (req, ctx) => {
    const taxType = queryParam(req, 'TaxType');
    let list = taxType ? ctx.books.taxRates.filter((t) => t.TaxType === taxType) : ctx.books.taxRates;
    list = applyOrder(req, applyWhere(req, list, 'TaxRate', TAX_RATE_FIELDS), 'TaxRate', TAX_RATE_FIELDS);
    return { status: 200, body: envelope(ctx.store, 'TaxRates', list.map(renderTaxRate)) };
  }));
  router.get('/TaxRates/:taxType', accountingRoute(deps, 'GET /TaxRates/{TaxType}', (req, ctx) => {
    const rate = ctx.books.taxRates.find((t) => t.TaxType === String(req.params['taxType']).toUpperCase());
    if (!rate) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'TaxRates', [renderTaxRate(rate)]) };
  }));

  router.get('/Currencies', accountingRoute(deps, 'GET /Currencies', (req, ctx) => {
    const list = applyOrder(req, applyWhere(req, renderCurrencies(ctx.books), 'Currency', CURRENCY_FIELDS), 'Currency', CURRENCY_FIELDS);
    return { status: 200, body: envelope(ctx.store, 'Currencies', list) };
  }));
  return router;
}
