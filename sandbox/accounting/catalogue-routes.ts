/** The organisation's catalogues documents refer to: /TrackingCategories, /BrandingThemes, /Items. */
import express, { type Router } from 'express';
import { renderBrandingTheme } from './branding-themes.ts';
import { notFound } from './errors.ts';
import { isGuid } from './fields.ts';
import { ITEM_FIELDS, itemByCode, renderItem } from './items.ts';
import { applyOrder, applyWhere, modifiedSince, queryFlag } from './query.ts';
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

  router.get('/Items', accountingRoute(deps, 'GET /Items', (req, ctx) => {
    let list = modifiedSince(req, ctx.books.items, (i) => i.updatedAt);
    list = applyOrder(req, applyWhere(req, list, 'Item', ITEM_FIELDS), 'Item', ITEM_FIELDS);
    return { status: 200, body: envelope(ctx.store, 'Items', list.map((i) => renderItem(i, ctx.unitDp))) };
  }));
  // Xero takes an item's Code where the spec says {ItemID}.
  router.get('/Items/:key', accountingRoute(deps, 'GET /Items/{ItemID}', (req, ctx) => {
    const key = String(req.params['key']);
    const item = isGuid(key) ? ctx.books.items.find((i) => i.ItemID === key.toLowerCase()) : itemByCode(ctx.books, key);
    if (!item) throw notFound();
    return { status: 200, body: envelope(ctx.store, 'Items', [renderItem(item, ctx.unitDp)]) };
  }));
  return router;
}
