import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroCatalogues, type CataloguedBrandingTheme, type CataloguedTrackingCategory, type XeroCatalogueKind } from '../schema/index.ts';

/** What is known of the organisation's Xero lists (absent: never read), and when each was read. */
export interface XeroCatalogueCopy {
  trackingCategories?: CataloguedTrackingCategory[];
  brandingThemes?: CataloguedBrandingTheme[];
  fetchedAt: Partial<Record<XeroCatalogueKind, Date>>;
}

export async function getXeroCatalogues(db: DbOrTx, { orgId, kinds }: { orgId: string; kinds: XeroCatalogueKind[] }): Promise<XeroCatalogueCopy> {
  if (kinds.length === 0) return { fetchedAt: {} };
  const rows = await db.select().from(xeroCatalogues).where(and(eq(xeroCatalogues.orgId, orgId), inArray(xeroCatalogues.kind, kinds)));
  return catalogueCopyOf(rows);
}

/** Stored lists as one copy. */
export function catalogueCopyOf(rows: Array<typeof xeroCatalogues.$inferSelect>): XeroCatalogueCopy {
  const copy: XeroCatalogueCopy = { fetchedAt: {} };
  for (const row of rows) {
    copy.fetchedAt[row.kind] = row.fetchedAt;
    if (row.kind === 'tracking_categories') copy.trackingCategories = row.entries as CataloguedTrackingCategory[];
    else copy.brandingThemes = row.entries as CataloguedBrandingTheme[];
  }
  return copy;
}

export async function saveXeroCatalogue(
  db: DbOrTx,
  { orgId, kind, entries }: { orgId: string; kind: XeroCatalogueKind; entries: CataloguedTrackingCategory[] | CataloguedBrandingTheme[] },
): Promise<void> {
  await db
    .insert(xeroCatalogues)
    .values({ orgId, kind, entries })
    .onConflictDoUpdate({ target: [xeroCatalogues.orgId, xeroCatalogues.kind], set: { entries: sql`excluded.entries`, fetchedAt: sql`now()` } });
}
