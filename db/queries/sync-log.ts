import { and, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncLog, type RecordType, type SyncLogOutcome } from '../schema/index.ts';

export type SyncLogEntry = typeof syncLog.$inferInsert;
export type SyncLogRow = typeof syncLog.$inferSelect;

/**
 * Appends entries in one statement, in the order given. The rows travel as ONE json parameter: a 50-row
 * insert built column by column is 400 parameters, and building those cost more than Postgres' work.
 */
export async function appendSyncLog(db: DbOrTx, entries: SyncLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.execute(syncLogInsert(entries));
}

/** The insert of `appendSyncLog`, to run alone or as one step of a larger `with` statement. */
export function syncLogInsert(entries: SyncLogEntry[]): SQL {
  const rows = JSON.stringify(
    entries.map((e, n) => ({
      n,
      org_id: e.orgId,
      record_type: e.recordType ?? null,
      record_id: e.recordId ?? null,
      action: e.action,
      outcome: e.outcome,
      message: e.message ?? null,
      xero_message: e.xeroMessage ?? null,
      created_at: e.createdAt ?? null,
    })),
  );
  return sql`
    insert into sync_log (org_id, record_type, record_id, action, outcome, message, xero_message, created_at)
    select r.org_id, r.record_type, r.record_id, r.action, r.outcome, r.message, r.xero_message, coalesce(r.created_at, now())
    from jsonb_to_recordset(${rows}::jsonb) as r(n int, org_id text, record_type text, record_id text, action text, outcome text,
      message text, xero_message text, created_at timestamptz)
    order by r.n`;
}

export interface SyncLogFilter {
  orgId: string;
  recordType?: RecordType;
  recordId?: string;
  outcome?: SyncLogOutcome;
  since?: Date;
  /** Entries older than this one (the previous page's last id). */
  beforeId?: number;
  limit: number;
}

/** One page of an organisation's log, newest first (by id, which is the order rows were written). */
export function listSyncLog(db: DbOrTx, { orgId, recordType, recordId, outcome, since, beforeId, limit }: SyncLogFilter): Promise<SyncLogRow[]> {
  return db
    .select()
    .from(syncLog)
    .where(
      and(
        eq(syncLog.orgId, orgId),
        recordType ? eq(syncLog.recordType, recordType) : undefined,
        recordId ? eq(syncLog.recordId, recordId) : undefined,
        outcome ? eq(syncLog.outcome, outcome) : undefined,
        since ? gte(syncLog.createdAt, since) : undefined,
        beforeId !== undefined ? lt(syncLog.id, beforeId) : undefined,
      ),
    )
    .orderBy(desc(syncLog.id))
    .limit(limit);
}

/** How recent record pushes ended: of the last `window` per-record outcomes (pushes and reversals), how many failed. */
export async function recentPushOutcomes(db: DbOrTx, { orgId, window }: { orgId: string; window: number }): Promise<{ ok: number; failed: number }> {
  const recent = db
    .select({ outcome: syncLog.outcome })
    .from(syncLog)
    .where(and(eq(syncLog.orgId, orgId), isNotNull(syncLog.recordId), inArray(syncLog.action, ['push', 'reverse']), inArray(syncLog.outcome, ['ok', 'failed'])))
    .orderBy(desc(syncLog.id))
    .limit(window)
    .as('recent');
  const rows = await db.select({ outcome: recent.outcome, n: sql<number>`count(*)::int` }).from(recent).groupBy(recent.outcome);
  return { ok: rows.find((r) => r.outcome === 'ok')?.n ?? 0, failed: rows.find((r) => r.outcome === 'failed')?.n ?? 0 };
}
