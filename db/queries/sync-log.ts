import { and, desc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncLog, type RecordType, type SyncLogOutcome } from '../schema/index.ts';

export type SyncLogEntry = typeof syncLog.$inferInsert;
export type SyncLogRow = typeof syncLog.$inferSelect;

export async function appendSyncLog(db: DbOrTx, entries: SyncLogEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1_000) await db.insert(syncLog).values(entries.slice(i, i + 1_000));
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
