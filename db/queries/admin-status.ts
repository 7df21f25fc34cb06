/**
 * What a platform admin's status page reads about one organisation, straight from the database, so the
 * page answers even while Temporal is down: the organisation, its queue by type and state, and its
 * current failures.
 */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { contacts, organisations, syncLog, syncState, type RecordType, type SyncState } from '../schema/index.ts';

export type OrganisationRow = typeof organisations.$inferSelect;

export async function findOrganisation(db: DbOrTx, { orgId }: { orgId: string }): Promise<OrganisationRow | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, orgId));
  return row;
}

export interface SyncCount {
  recordType: RecordType;
  state: SyncState;
  count: number;
}

/** The organisation's queue, one row per (type, state) that has records. */
export async function countSyncStates(db: DbOrTx, { orgId }: { orgId: string }): Promise<SyncCount[]> {
  return db
    .select({ recordType: syncState.recordType, state: syncState.state, count: sql<number>`count(*)::int` })
    .from(syncState)
    .where(eq(syncState.orgId, orgId))
    .groupBy(syncState.recordType, syncState.state);
}

export interface RecordFailure {
  recordType: RecordType;
  recordId: string;
  error: string | null;
  hint: string | null;
  at: Date;
  /** For a contact: the member's email and name, to say which member a refusal is about. */
  contactEmail: string | null;
  contactName: string | null;
}

/**
 * Records that failed and are still failed, newest first. A failure fixed by a retry drops out, so the
 * list is what needs an admin now, not history (that is in sync_log).
 */
export async function listCurrentFailures(db: DbOrTx, { orgId, limit }: { orgId: string; limit: number }): Promise<RecordFailure[]> {
  return db
    .select({
      recordType: syncState.recordType,
      recordId: syncState.recordId,
      error: syncState.lastError,
      hint: syncState.lastErrorHint,
      at: sql<Date>`coalesce(${syncState.lastAttemptAt}, ${syncState.updatedAt})`.mapWith(syncState.updatedAt),
      contactEmail: contacts.email,
      contactName: contacts.name,
    })
    .from(syncState)
    .leftJoin(contacts, and(eq(syncState.recordType, 'contact'), eq(contacts.orgId, syncState.orgId), eq(contacts.id, syncState.recordId)))
    .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'failed')))
    .orderBy(desc(sql`coalesce(${syncState.lastAttemptAt}, ${syncState.updatedAt})`), syncState.recordType, syncState.recordId)
    .limit(limit);
}

/** The last organisation-wide problem the workflow logged (paused: not connected, plan, re-authorisation). */
export async function latestOrganisationProblem(db: DbOrTx, { orgId }: { orgId: string }) {
  const [row] = await db
    .select({ message: syncLog.message, xeroMessage: syncLog.xeroMessage, at: syncLog.createdAt })
    .from(syncLog)
    .where(and(eq(syncLog.orgId, orgId), isNull(syncLog.recordType), inArray(syncLog.outcome, ['failed', 'deferred'])))
    .orderBy(desc(syncLog.createdAt), desc(syncLog.id))
    .limit(1);
  return row;
}

/** Which of `recordIds` exist for this organisation and type, with their state (an admin retry reports the rest). */
export async function findSyncStates(
  db: DbOrTx,
  { orgId, recordType, recordIds }: { orgId: string; recordType: RecordType; recordIds: string[] },
): Promise<Array<{ recordId: string; state: SyncState }>> {
  if (recordIds.length === 0) return [];
  return db
    .select({ recordId: syncState.recordId, state: syncState.state })
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, recordType), inArray(syncState.recordId, recordIds)));
}
