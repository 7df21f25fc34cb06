/**
 * What a resync would push, before anyone confirms it: the records of each type in its scope (the same
 * scope `startResync` re-queues, plus what is pending already), counted in one statement.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncState, type RecordType } from '../schema/index.ts';
import { RESYNCED_STATES, recordChangedSince, sinceParam } from './resync-runs.ts';

export async function previewResync(
  db: DbOrTx,
  { orgId, recordTypes, since }: { orgId: string; recordTypes: RecordType[]; since?: Date },
): Promise<Record<RecordType, number>> {
  const rows = await db
    .select({ recordType: syncState.recordType, n: sql<number>`count(*)::int` })
    .from(syncState)
    .where(
      and(
        eq(syncState.orgId, orgId),
        inArray(syncState.recordType, recordTypes),
        inArray(syncState.state, [...RESYNCED_STATES, 'pending']),
        since ? recordChangedSince(sinceParam(since)) : undefined,
      ),
    )
    .groupBy(syncState.recordType);
  const counts = Object.fromEntries(recordTypes.map((t) => [t, 0])) as Record<RecordType, number>;
  for (const row of rows) counts[row.recordType] = row.n;
  return counts;
}
