import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { contacts } from '../schema/index.ts';
import { contentHash } from './content-hash.ts';
import { ensureOrganisation } from './organisations.ts';
import { getSyncState, markRecordPending, type SyncStateRow } from './sync-state.ts';

export interface ContactInput {
  name: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}

export type ContactRow = typeof contacts.$inferSelect;

/**
 * Stores the platform's contact and queues it for Xero, in the caller's transaction.
 * `changed` is false when the body matches what is stored: no new push.
 */
export async function upsertContact(
  tx: DbOrTx,
  { orgId, contactId, contact }: { orgId: string; contactId: string; contact: ContactInput },
): Promise<{ changed: boolean }> {
  await ensureOrganisation(tx, { orgId });
  const values = {
    name: contact.name,
    firstName: contact.firstName ?? null,
    lastName: contact.lastName ?? null,
    email: contact.email ?? null,
    phone: contact.phone ?? null,
  };
  await tx
    .insert(contacts)
    .values({ orgId, id: contactId, ...values })
    .onConflictDoUpdate({ target: [contacts.orgId, contacts.id], set: { ...values, updatedAt: sql`now()` } });
  return markRecordPending(tx, { orgId, recordType: 'contact', recordId: contactId, hash: contentHash(values) });
}

export async function getContact(
  db: DbOrTx,
  { orgId, contactId }: { orgId: string; contactId: string },
): Promise<{ contact: ContactRow; sync: SyncStateRow | undefined } | undefined> {
  const [contact] = await db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
  if (!contact) return undefined;
  return { contact, sync: await getSyncState(db, { orgId, recordType: 'contact', recordId: contactId }) };
}
