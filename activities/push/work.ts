/** Database steps of the organisation workflow that make no Xero call. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { ActivityDeps } from '../deps.ts';
import { syncState } from '../../db/schema/index.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';

export interface PendingWork {
  contactsToCreate: number;
  pending: Record<string, number>;
}

export function pendingWork({ db }: ActivityDeps) {
  return async ({ orgId }: { orgId: string }): Promise<PendingWork> => {
    const rows = await db
      .select({ recordType: syncState.recordType, n: sql<number>`count(*)::int`, creates: sql<number>`count(*) filter (where ${syncState.xeroId} is null)::int` })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'pending')))
      .groupBy(syncState.recordType);
    return {
      contactsToCreate: rows.find((r) => r.recordType === 'contact')?.creates ?? 0,
      pending: Object.fromEntries(rows.map((r) => [r.recordType, r.n])),
    };
  };
}

const PAUSE_MESSAGES: Record<string, string> = {
  not_connected: 'No Xero connection yet: connect Xero in Settings > Integrations > Xero and pending records will sync.',
  plan_required: "This organisation's plan does not include integrations: records wait until it does.",
  disconnected: 'Xero is disconnected: records wait until it is connected again.',
};

/** One log line when the organisation pauses, so the admin sees why records are waiting. */
export function recordSyncPaused({ db, logger }: ActivityDeps) {
  return async ({ orgId, reason, message }: { orgId: string; reason: string; message: string }): Promise<void> => {
    const [waiting] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'pending'), isNull(syncState.claimId)));
    await appendSyncLog(db, [
      { orgId, action: 'push', outcome: 'deferred', message: `${waiting?.n ?? 0} records waiting. ${PAUSE_MESSAGES[reason] ?? message}` },
    ]);
    logger.info({ orgId, reason }, 'organisation sync paused');
  };
}
