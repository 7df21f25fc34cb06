import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncState, type RecordType, type SyncState } from '../schema/index.ts';

export type SyncStateRow = typeof syncState.$inferSelect;

export async function getSyncState(
  db: DbOrTx,
  { orgId, recordType, recordId }: { orgId: string; recordType: RecordType; recordId: string },
): Promise<SyncStateRow | undefined> {
  const [row] = await db
    .select()
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, recordType), eq(syncState.recordId, recordId)));
  return row;
}

/** The organisation's oldest pending records of one type: the workflow's next batch. */
export async function listRecordsInState(
  db: DbOrTx,
  { orgId, recordType, state, limit }: { orgId: string; recordType: RecordType; state: SyncState; limit: number },
): Promise<SyncStateRow[]> {
  return db
    .select()
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.state, state), eq(syncState.recordType, recordType)))
    .orderBy(asc(syncState.updatedAt))
    .limit(limit);
}

/**
 * Puts records back in the queue (admin retry, "sync now", resync). Only from the given states: a
 * record already pending stays as it is, and a synced one is re-pushed only when asked for.
 */
export async function requeueRecords(
  db: DbOrTx,
  { orgId, recordType, recordIds, states }: { orgId: string; recordType: RecordType; recordIds?: string[]; states: SyncState[] },
): Promise<number> {
  const rows = await db
    .update(syncState)
    .set({ state: 'pending', attempts: 0, lastError: null, lastErrorHint: null, updatedAt: sql`now()` })
    .where(
      and(
        eq(syncState.orgId, orgId),
        eq(syncState.recordType, recordType),
        inArray(syncState.state, states),
        recordIds ? inArray(syncState.recordId, recordIds) : undefined,
      ),
    )
    .returning({ id: syncState.recordId });
  return rows.length;
}
