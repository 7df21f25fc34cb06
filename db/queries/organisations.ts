import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { organisations } from '../schema/index.ts';

/** The platform's organisation ids are its own; the first record we hear of creates the row. */
export async function ensureOrganisation(db: DbOrTx, { orgId }: { orgId: string }): Promise<void> {
  await db.insert(organisations).values({ id: orgId }).onConflictDoNothing({ target: organisations.id });
}

export async function pingDatabase(db: DbOrTx): Promise<void> {
  await db.execute(sql`select 1`);
}
