/**
 * Xero's side of the platform's contacts (name, email, archived) as last read after a CONTACT webhook.
 * Ours are found by the Xero id in sync_state, or, before we learned it, by ContactNumber (our contact id).
 */
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { contacts, syncState, xeroContactViews, type ContactDifferences, type SyncState } from '../schema/index.ts';

export interface OurContact {
  contactId: string;
  name: string;
  email: string | null;
  xeroId: string | null;
  syncState: SyncState | null;
  /** What was last announced as held differently in Xero (empty: nothing). */
  announced: ContactDifferences | null;
}

export async function findContactsForXero(
  db: DbOrTx,
  { orgId, xeroIds, contactNumbers = [] }: { orgId: string; xeroIds: string[]; contactNumbers?: string[] },
): Promise<OurContact[]> {
  if (xeroIds.length === 0 && contactNumbers.length === 0) return [];
  const byId = xeroIds.length > 0 ? inArray(sql`lower(${syncState.xeroId})`, xeroIds.map((id) => id.toLowerCase())) : undefined;
  const byNumber = contactNumbers.length > 0 ? and(isNull(syncState.xeroId), inArray(contacts.id, contactNumbers)) : undefined;
  return db
    .select({
      contactId: contacts.id,
      name: contacts.name,
      email: contacts.email,
      xeroId: syncState.xeroId,
      syncState: syncState.state,
      announced: xeroContactViews.differences,
    })
    .from(contacts)
    .leftJoin(syncState, and(eq(syncState.orgId, contacts.orgId), eq(syncState.recordType, 'contact'), eq(syncState.recordId, contacts.id)))
    .leftJoin(xeroContactViews, and(eq(xeroContactViews.orgId, contacts.orgId), eq(xeroContactViews.contactId, contacts.id)))
    .where(and(eq(contacts.orgId, orgId), or(byId, byNumber)))
    .orderBy(contacts.id)
    .for('update', { of: contacts });
}

export interface XeroContactView {
  contactId: string;
  xeroContactId: string;
  name: string | null;
  email: string | null;
  archived: boolean;
  xeroUpdatedAt: Date | null;
  differences: ContactDifferences;
  /** True when these differences are newly announced. */
  announced: boolean;
}

export async function upsertXeroContactViews(db: DbOrTx, { orgId, views }: { orgId: string; views: XeroContactView[] }): Promise<void> {
  if (views.length === 0) return;
  await db
    .insert(xeroContactViews)
    .values(views.map(({ announced, ...v }) => ({ orgId, ...v, changedAt: announced ? sql`now()` : null, seenAt: sql`now()` })))
    .onConflictDoUpdate({
      target: [xeroContactViews.orgId, xeroContactViews.contactId],
      set: {
        xeroContactId: sql`excluded.xero_contact_id`,
        name: sql`excluded.name`,
        email: sql`excluded.email`,
        archived: sql`excluded.archived`,
        xeroUpdatedAt: sql`excluded.xero_updated_at`,
        differences: sql`excluded.differences`,
        changedAt: sql`coalesce(excluded.changed_at, ${xeroContactViews.changedAt})`,
        seenAt: sql`now()`,
      },
    });
}

/** XERO_APPLY_CONTACT_EDITS: Xero's name and email become the platform's. */
export async function applyXeroContactEdits(db: DbOrTx, { orgId, contactId, name, email }: { orgId: string; contactId: string; name?: string; email?: string | null }) {
  await db
    .update(contacts)
    .set({ ...(name !== undefined ? { name } : {}), ...(email !== undefined ? { email } : {}), updatedAt: sql`now()` })
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
}

export async function getXeroContactView(db: DbOrTx, { orgId, contactId }: { orgId: string; contactId: string }) {
  const [row] = await db.select().from(xeroContactViews).where(and(eq(xeroContactViews.orgId, orgId), eq(xeroContactViews.contactId, contactId)));
  return row;
}
