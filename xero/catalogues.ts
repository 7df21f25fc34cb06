/**
 * The organisation's Xero lists that documents name (tracking categories, branding themes, items), read in
 * ONE call each and reduced to what our checks need. Used by the settings checks (API) and by the paced
 * refresh the push asks for (activities) alike.
 */
import type { BrandingThemes, Items, TrackingCategories } from 'xero-node';
import type { CataloguedBrandingTheme, CataloguedTrackingCategory, XeroCatalogueKind } from '../db/schema/index.ts';
import type { AccountingCall } from './client.ts';

export interface XeroItemSummary {
  code: string;
  name: string;
  isSold: boolean;
}

/** Active categories only (Xero lists archived ones only when asked), with their active options. */
export const readTrackingCategories: AccountingCall<TrackingCategories> = (api, tenantId) => api.getTrackingCategories(tenantId);
export const readBrandingThemes: AccountingCall<BrandingThemes> = (api, tenantId) => api.getBrandingThemes(tenantId);
export const readItems: AccountingCall<Items> = (api, tenantId) => api.getItems(tenantId);

export function trackingCatalogue(body: TrackingCategories | undefined): CataloguedTrackingCategory[] {
  return (body?.trackingCategories ?? [])
    .filter((c) => c.trackingCategoryID && c.name && String(c.status ?? 'ACTIVE') === 'ACTIVE')
    .map((c) => ({
      id: c.trackingCategoryID!,
      name: c.name!,
      options: (c.options ?? []).filter((o) => o.trackingOptionID && o.name && String(o.status ?? 'ACTIVE') === 'ACTIVE').map((o) => ({ id: o.trackingOptionID!, name: o.name! })),
    }));
}

export function brandingCatalogue(body: BrandingThemes | undefined): CataloguedBrandingTheme[] {
  return (body?.brandingThemes ?? []).filter((t) => t.brandingThemeID && t.name).map((t) => ({ id: t.brandingThemeID!, name: t.name! }));
}

export function itemSummaries(body: Items | undefined): XeroItemSummary[] {
  return (body?.items ?? []).filter((i) => i.code).map((i) => ({ code: i.code, name: i.name ?? '', isSold: i.isSold !== false }));
}

/** The one read that refreshes a catalogue, and how its answer is reduced. */
export const CATALOGUE_READS: { [K in XeroCatalogueKind]: { read: AccountingCall<unknown>; reduce: (body: unknown) => CataloguedTrackingCategory[] | CataloguedBrandingTheme[] } } = {
  tracking_categories: { read: readTrackingCategories as AccountingCall<unknown>, reduce: (b) => trackingCatalogue(b as TrackingCategories) },
  branding_themes: { read: readBrandingThemes as AccountingCall<unknown>, reduce: (b) => brandingCatalogue(b as BrandingThemes) },
};
