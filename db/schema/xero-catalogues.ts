import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

export const xeroCatalogueKinds = ['tracking_categories', 'branding_themes'] as const;
export type XeroCatalogueKind = (typeof xeroCatalogueKinds)[number];

/** An active tracking category and its active options, as Xero lists them. */
export interface CataloguedTrackingCategory {
  id: string;
  name: string;
  options: Array<{ id: string; name: string }>;
}

export interface CataloguedBrandingTheme {
  id: string;
  name: string;
}

/**
 * The organisation's Xero lists that lines and documents refer to by name (tracking categories and their
 * options, branding themes), kept so that every push can check them without a Xero call. Xero silently drops
 * a tracking option it does not know, so the check must happen on our side. Refreshed when an admin saves
 * the mapping or settings, and through a paced read when a push meets a name the copy does not know.
 */
export const xeroCatalogues = pgTable(
  'xero_catalogues',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: xeroCatalogueKinds }).notNull(),
    entries: jsonb('entries').$type<CataloguedTrackingCategory[] | CataloguedBrandingTheme[]>().notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.kind] })],
);
