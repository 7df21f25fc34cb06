/** The organisation's catalogues documents refer to: /TrackingCategories, /BrandingThemes. */
import express, { type Router } from 'express';
import { renderBrandingTheme } from './branding-themes.ts';
import { notFound } from './errors.ts';
import { isGuid } from './fields.ts';
import { applyOrder, applyWhere, queryFlag } from './query.ts';
import { accountingRoute, envelope, type RouteDeps } from './reply.ts';
import { TRACKING_CATEGORY_FIELDS, renderTrackingCategory } from './tracking.ts';

export function catalogueRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  router.get('/TrackingCategories', accountingRoute(deps, 'GET /TrackingCategories', (req, ctx) => {
    const includeArchived = queryFlag(req, 'includeArchived') ?? false;
    let list = ctx.books.trackingCategories.filter((c) => c.Status === 'ACTIVE' || (includeArchived && c.Status === 'ARCHIVED'));
    list = applyOrder(req, applyWhere(req, list, 'TrackingCategory', TRACKING_CATEGORY_FIELDS), 'TrackingCategory', TRACKING_CATEGORY_FIELDS);
    return { status: 200, body: envelope(ctx.store, 'TrackingCategories', list.map((c) => renderTrackingCategory(c, includeArchived))) };
  }));
  router.get('/TrackingCategories/:id', accountingRoute(deps, 'GET /TrackingCategories/{TrackingCategoryID}', (req, ctx) => {
    const id = String(req.params['id']).toLowerCase();
    const category = isGuid(id) ? ctx.books.trackingCategories.find((c) => c.TrackingCategoryID === id) : undefined;
    if (!category) throw notFound();
    // Asked for by id, a category shows whatever its status, with its archived options.
    return { status: 200, body: envelope(ctx.store, 'TrackingCategories', [renderTrackingCategory(category, true)]) };
  }));

  router.get('/BrandingThemes', accountingRoute(deps, 'GET /BrandingThemes', (_req, ctx) =>
    ({ status: 200, body: envelope(ctx.store, 'BrandingThemes', ctx.books.brandingThemes.map(renderBrandingTheme)) })));
  router.get('/BrandingThemes/:id', accountingRoute(deps, 'GET /BrandingThemes/{BrandingThemeID}', (req, ctx) => {
    const id = String(req.params['id']).toLowerCase();
    const theme = ctx.books.brandingThemes.find((t) => t.BrandingThemeID === id);
    if (!theme) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'BrandingThemes', [renderBrandingTheme(theme)]) };
  }));
  return router;
}
