import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { contacts } from '../schema/index.ts';
import { chunks } from '../../lib/chunks.ts';
import { contentHash } from './content-hash.ts';
import { storeChanged, type IntakeResult } from './record-intake.ts';
import { columnsOf, rowOf } from './table-rows.ts';
import { getSyncState, type SyncStateRow } from './sync-state.ts';

export interface ContactInput {
  name: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}

export type ContactRow = typeof contacts.$inferSelect;

/** Stores the platform's contacts and queues the changed ones for Xero, in the caller's transaction. */
export async function upsertContacts(tx: DbOrTx, { orgId, items }: { orgId: string; items: Array<{ id: string; contact: ContactInput }> }): Promise<IntakeResult[]> {
  const prepared = items.map(({ id, contact }) => {
    const values = {
      name: contact.name,
      firstName: contact.firstName ?? null,
      lastName: contact.lastName ?? null,
      email: contact.email ?? null,
      phone: contact.phone ?? null,
    };
    return { id, values, hash: contentHash(values) };
  });
  return storeChanged(tx, { orgId, recordType: 'contact', prepared }, async (toWrite) => {
    for (const part of chunks(toWrite, 1_000)) {
      await tx
        .insert(contacts)
        .values(part.map((p) => ({ orgId, id: p.id, ...p.values })))
        .onConflictDoUpdate({
          target: [contacts.orgId, contacts.id],
          set: {
            name: sql`excluded.name`,
            firstName: sql`excluded.first_name`,
            lastName: sql`excluded.last_name`,
            email: sql`excluded.email`,
            phone: sql`excluded.phone`,
            updatedAt: sql`now()`,
          },
        });
    }
  });
}

export async function getContact(
  db: DbOrTx,
  { orgId, contactId }: { orgId: string; contactId: string },
): Promise<{ contact: ContactRow; sync: SyncStateRow | undefined } | undefined> {
  const [contact] = await db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
  if (!contact) return undefined;
  return { contact, sync: await getSyncState(db, { orgId, recordType: 'contact', recordId: contactId }) };
}

/** The organisation's contacts with these ids (a push batch's, an invoice batch's contacts). */
/** These contacts, in one statement (the ids as one json parameter: it runs for every batch pushed). */
export async function getContactsByIds(db: DbOrTx, { orgId, contactIds }: { orgId: string; contactIds: string[] }): Promise<ContactRow[]> {
  if (contactIds.length === 0) return [];
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${columnsOf(contacts, 'c')} from contacts c
    where c.org_id = ${orgId} and c.id = any(array(select jsonb_array_elements_text(${JSON.stringify(contactIds)}::jsonb)))`);
  return rows.map((r) => rowOf(contacts, r));
}
