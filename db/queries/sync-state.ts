import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncState, type RecordType, type SyncState } from '../schema/index.ts';
import { reversedReceipt } from './receipt-reversals.ts';
import { contactCreateAllowed } from './xero-contact-limits.ts';
import { currencyCheckDue } from './xero-currencies.ts';

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
  args: { orgId: string; recordType: RecordType; recordIds?: string[]; states: SyncState[] },
): Promise<number> {
  return (await requeueRecordIds(db, args)).length;
}

/** `requeueRecords`, answering which records it put back. */
export async function requeueRecordIds(
  db: DbOrTx,
  { orgId, recordType, recordIds, states }: { orgId: string; recordType: RecordType; recordIds?: string[]; states: SyncState[] },
): Promise<string[]> {
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
  return rows.map((r) => r.id);
}

/** The sync state of these records of one type (e.g. the contacts of an invoice batch), in one statement. */
export function getSyncStates(db: DbOrTx, { orgId, recordType, recordIds }: { orgId: string; recordType: RecordType; recordIds: string[] }): Promise<SyncStateRow[]> {
  if (recordIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, recordType), inArray(syncState.recordId, [...new Set(recordIds)])));
}

/**
 * Pending records per type; how many contacts among them Xero has not seen yet and may be created now (not
 * held by the organisation's contact limit); how many reversed receipts wait to be deleted in Xero; and
 * whether invoices or bills wait in a currency not known to be enabled in Xero, with the organisation's
 * currencies not read today (the workflow then reads them first).
 */
export async function countPendingWork(
  db: DbOrTx,
  { orgId }: { orgId: string },
): Promise<{ contactsToCreate: number; pending: Record<string, number>; reversals: number; currencyCheckDue: boolean }> {
  const rows = await db.execute<{ record_type: RecordType; n: number; creates: number; reversals: number }>(sql`
    select s.record_type, count(*)::int as n,
      (count(*) filter (where s.xero_id is null and ${contactCreateAllowed}))::int as creates,
      (count(*) filter (where s.record_type = 'payment' and s.xero_id is not null and ${reversedReceipt}))::int as reversals
    from sync_state s
    where s.org_id = ${orgId} and s.state = 'pending'
    group by s.record_type`);
  return {
    contactsToCreate: rows.find((r) => r.record_type === 'contact')?.creates ?? 0,
    pending: Object.fromEntries(rows.map((r) => [r.record_type, r.n])),
    reversals: rows.find((r) => r.record_type === 'payment')?.reversals ?? 0,
    currencyCheckDue: rows.some((r) => r.record_type === 'invoice' || r.record_type === 'expense') && (await currencyCheckDue(db, { orgId })),
  };
}

/** Pending records no batch holds: what waits while the organisation is paused. */
export async function countWaitingRecords(db: DbOrTx, { orgId }: { orgId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'pending'), isNull(syncState.claimId)));
  return row?.n ?? 0;
}
