import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncLog } from '../schema/index.ts';

export type SyncLogEntry = typeof syncLog.$inferInsert;

export async function appendSyncLog(db: DbOrTx, entries: SyncLogEntry[]): Promise<void> {
  if (entries.length > 0) await db.insert(syncLog).values(entries);
}

export async function listSyncLog(db: DbOrTx, { orgId, limit = 50 }: { orgId: string; limit?: number }) {
  return db.select().from(syncLog).where(and(eq(syncLog.orgId, orgId))).orderBy(desc(syncLog.id)).limit(limit);
}
