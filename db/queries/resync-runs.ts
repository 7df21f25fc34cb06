/**
 * A platform admin's resync: every record of some types (optionally only those the platform changed
 * since a date) goes back into the organisation's queue, synced ones included. They keep their Xero ids,
 * so the push engine sends them as updates: a resync never creates a second copy in Xero.
 */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import {
  contacts,
  creditAllocations,
  creditNotes,
  creditRefunds,
  expenses,
  invoices,
  payments,
  resyncRuns,
  syncState,
  type RecordType,
  type SyncState,
} from '../schema/index.ts';
import { requeueRecords } from './sync-state.ts';

/**
 * Synced and failed records are pushed again. Skipped invoices are left alone: `skipped` means the
 * organisation turned auto-sync off and sends invoices to Xero one by one, a choice a resync must not
 * override (retry, or `POST .../invoices/{id}/sync`, sends them).
 */
export const RESYNCED_STATES: SyncState[] = ['synced', 'failed'];
/** Ids per UPDATE when `since` narrows the scope (keeps each statement's parameter list small). */
const REQUEUE_CHUNK = 1_000;

/** Each record type's platform table (allocations and refunds are keyed by their credit note's id). */
const recordTables: Record<RecordType, typeof contacts | typeof invoices | typeof payments | typeof expenses | typeof creditNotes | typeof creditAllocations | typeof creditRefunds> = {
  contact: contacts,
  invoice: invoices,
  payment: payments,
  expense: expenses,
  credit_note: creditNotes,
  credit_allocation: creditAllocations,
  credit_refund: creditRefunds,
};

/** True when the platform record behind the `sync_state` row in scope changed at or after `since`. */
export function recordChangedSince(since: SQL): SQL {
  const branches = Object.entries(recordTables).map(
    ([type, table]) =>
      sql`when ${type} then exists (select 1 from ${table} r where r.org_id = ${syncState.orgId} and r.id = ${syncState.recordId} and r.updated_at >= ${since})`,
  );
  return sql`(case ${syncState.recordType} ${sql.join(branches, sql` `)} else false end)`;
}

export const sinceParam = (since: Date) => sql`${since.toISOString()}::timestamptz`;

export interface StartedResync {
  id: string;
  total: number;
  /** Of `total`, how many were synced or failed and went back to pending (the rest were pending already). */
  requeued: number;
  startedAt: Date;
}

/**
 * Re-queues and records the resync in ONE transaction: Postgres' `now()` is the transaction's start, so
 * every re-queued row's `updated_at` equals the run's `started_at`, which is how progress finds them.
 */
export async function startResync(
  db: DbOrTx,
  { orgId, recordTypes, since, requestedBy }: { orgId: string; recordTypes: RecordType[]; since?: Date; requestedBy?: string },
): Promise<StartedResync> {
  return db.transaction(async (tx) => {
    let requeued = 0;
    for (const recordType of recordTypes) {
      if (!since) {
        requeued += await requeueRecords(tx, { orgId, recordType, states: RESYNCED_STATES });
        continue;
      }
      const rows = await tx
        .select({ recordId: syncState.recordId })
        .from(syncState)
        .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, recordType), inArray(syncState.state, RESYNCED_STATES), recordChangedSince(sinceParam(since))));
      for (let i = 0; i < rows.length; i += REQUEUE_CHUNK) {
        const recordIds = rows.slice(i, i + REQUEUE_CHUNK).map((r) => r.recordId);
        requeued += await requeueRecords(tx, { orgId, recordType, recordIds, states: RESYNCED_STATES });
      }
    }
    // Everything in scope is pending now: what was re-queued, and what was waiting already.
    const [scope] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(syncState)
      .where(
        and(
          eq(syncState.orgId, orgId),
          eq(syncState.state, 'pending'),
          inArray(syncState.recordType, recordTypes),
          since ? recordChangedSince(sinceParam(since)) : undefined,
        ),
      );
    const total = scope?.n ?? 0;
    const [run] = await tx.insert(resyncRuns).values({ orgId, recordTypes, since: since ?? null, total, requestedBy }).returning();
    return { id: run!.id, total, requeued, startedAt: run!.startedAt };
  });
}

export interface ResyncProgress {
  id: string;
  recordTypes: RecordType[];
  since: Date | null;
  requestedBy: string | null;
  startedAt: Date;
  total: number;
  /** Records of the run not pushed yet. */
  pending: number;
  /** Records of the run that Xero (or a pre-check) refused during the run. */
  failed: number;
}

/** The organisation's latest resync and how far it got. */
export async function latestResyncProgress(db: DbOrTx, { orgId }: { orgId: string }): Promise<ResyncProgress | undefined> {
  // A row belongs to the run when it is of the run's types, in its `since` scope, and was last changed
  // (re-queued) no later than the run started: later changes are the main app's new work, not the run's.
  const inRun = and(
    eq(syncState.orgId, resyncRuns.orgId),
    sql`${syncState.recordType} = any(${resyncRuns.recordTypes})`,
    sql`${syncState.updatedAt} <= ${resyncRuns.startedAt}`,
    sql`(${resyncRuns.since} is null or ${recordChangedSince(sql`${resyncRuns.since}`)})`,
  );
  const [row] = await db
    .select({
      id: resyncRuns.id,
      recordTypes: resyncRuns.recordTypes,
      since: resyncRuns.since,
      requestedBy: resyncRuns.requestedBy,
      startedAt: resyncRuns.startedAt,
      total: resyncRuns.total,
      pending: sql<number>`(select count(*)::int from ${syncState} where ${inRun} and ${syncState.state} = 'pending')`,
      failed: sql<number>`(select count(*)::int from ${syncState} where ${inRun} and ${syncState.state} = 'failed' and ${syncState.lastAttemptAt} >= ${resyncRuns.startedAt})`,
    })
    .from(resyncRuns)
    .where(eq(resyncRuns.orgId, orgId))
    .orderBy(desc(resyncRuns.startedAt))
    .limit(1);
  return row;
}
