/** Database steps of the organisation workflow around its pushes (no Xero call). */
import type { ActivityDeps } from '../deps.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { getOrgIdentity } from '../../db/queries/org-identity.ts';
import { countPendingWork, countWaitingRecords } from '../../db/queries/sync-state.ts';
import { connectionFactsOf, type OrgConnectionFacts } from '../../workflows/search-attributes.ts';

/** Versioned data (it is recorded in workflow histories): fields are only added, optional. */
export interface PendingWork {
  contactsToCreate: number;
  pending: Record<string, number>;
  /** The connection as the database has it, so the workflow's search attributes catch up with what nobody signalled. */
  connection?: OrgConnectionFacts;
  /** Reversed receipts whose payment Xero still holds. */
  reversals?: number;
  /** A pending invoice or bill carries a currency not known to be enabled, and Xero's list is not from today. */
  currencyCheckDue?: boolean;
}

export function pendingWork({ db }: ActivityDeps) {
  return async ({ orgId }: { orgId: string }): Promise<PendingWork> => {
    const [work, identity] = await Promise.all([countPendingWork(db, { orgId }), getOrgIdentity(db, { orgId })]);
    return { ...work, connection: connectionFactsOf(identity) };
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
    const waiting = await countWaitingRecords(db, { orgId });
    await appendSyncLog(db, [{ orgId, action: 'push', outcome: 'deferred', message: `${waiting} records waiting. ${PAUSE_MESSAGES[reason] ?? message}` }]);
    logger.info({ orgId, reason }, 'organisation sync paused');
  };
}
