import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroOrganisationProfiles } from '../schema/index.ts';

export type XeroOrganisationProfile = typeof xeroOrganisationProfiles.$inferSelect;

export async function getXeroOrganisationProfile(db: DbOrTx, { orgId }: { orgId: string }): Promise<XeroOrganisationProfile | undefined> {
  const [row] = await db.select().from(xeroOrganisationProfiles).where(eq(xeroOrganisationProfiles.orgId, orgId));
  return row;
}

/** What Xero's Organisation said just now: its timezone (and the zone it maps to) and base currency. */
export async function saveXeroOrganisationProfile(
  db: DbOrTx,
  { orgId, xeroTimezone, timeZone, baseCurrency }: { orgId: string; xeroTimezone: string | null; timeZone: string; baseCurrency: string | null },
): Promise<void> {
  await db
    .insert(xeroOrganisationProfiles)
    .values({ orgId, xeroTimezone, timeZone, baseCurrency })
    .onConflictDoUpdate({ target: xeroOrganisationProfiles.orgId, set: { xeroTimezone, timeZone, baseCurrency, readAt: sql`now()` } });
}
