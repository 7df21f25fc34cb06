import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroContactIndex, xeroWatermarks } from '../schema/index.ts';

export type IndexedXeroContact = typeof xeroContactIndex.$inferSelect;

export async function upsertIndexedContacts(db: DbOrTx, rows: Array<typeof xeroContactIndex.$inferInsert>): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(xeroContactIndex)
    .values(rows)
    .onConflictDoUpdate({
      target: [xeroContactIndex.orgId, xeroContactIndex.xeroContactId],
      set: {
        contactNumber: sql`excluded.contact_number`,
        emailLower: sql`excluded.email_lower`,
        nameLower: sql`excluded.name_lower`,
        status: sql`excluded.status`,
        xeroUpdatedAt: sql`excluded.xero_updated_at`,
      },
    });
}

/** Active Xero contacts that could be the same person as one of ours, by number, email or name. */
export async function findIndexedCandidates(
  db: DbOrTx,
  { orgId, contactNumbers, emails, names }: { orgId: string; contactNumbers: string[]; emails: string[]; names: string[] },
): Promise<IndexedXeroContact[]> {
  const clauses = [
    contactNumbers.length ? inArray(xeroContactIndex.contactNumber, contactNumbers) : undefined,
    emails.length ? inArray(xeroContactIndex.emailLower, emails) : undefined,
    names.length ? inArray(xeroContactIndex.nameLower, names) : undefined,
  ].filter((c) => c !== undefined);
  if (clauses.length === 0) return [];
  return db
    .select()
    .from(xeroContactIndex)
    .where(and(eq(xeroContactIndex.orgId, orgId), eq(xeroContactIndex.status, 'ACTIVE'), or(...clauses)));
}

export async function getWatermark(db: DbOrTx, { orgId, feed }: { orgId: string; feed: string }): Promise<Date | undefined> {
  const [row] = await db.select().from(xeroWatermarks).where(and(eq(xeroWatermarks.orgId, orgId), eq(xeroWatermarks.feed, feed)));
  return row?.modifiedSince;
}

export async function setWatermark(db: DbOrTx, { orgId, feed, modifiedSince }: { orgId: string; feed: string; modifiedSince: Date }): Promise<void> {
  await db
    .insert(xeroWatermarks)
    .values({ orgId, feed, modifiedSince })
    .onConflictDoUpdate({ target: [xeroWatermarks.orgId, xeroWatermarks.feed], set: { modifiedSince, updatedAt: sql`now()` } });
}
