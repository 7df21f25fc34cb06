import { appendSyncLog } from '../db/queries/sync-log.ts';
import { getConnection } from '../db/queries/connections.ts';
import { listRecordsInState } from '../db/queries/sync-state.ts';
import type { DrainSummary } from '../workflows/messages.ts';
import type { ActivityDeps } from './deps.ts';

const BATCH = 50;

/**
 * Reads the organisation's pending contacts. Without a live Xero connection nothing can be pushed:
 * the records stay pending (nothing accepted is lost) and the sync log says why, once per drain, so
 * connecting later picks them all up.
 */
export function pushPendingContacts({ db, logger }: ActivityDeps) {
  return async ({ orgId }: { orgId: string }): Promise<DrainSummary> => {
    const pending = await listRecordsInState(db, { orgId, recordType: 'contact', state: 'pending', limit: BATCH });
    if (pending.length === 0) return { processed: 0, deferred: 0 };

    const connection = await getConnection(db, { orgId });
    if (connection?.status !== 'connected') {
      const reason = connection
        ? `Xero connection is ${connection.status}: records wait until it is connected again`
        : 'No Xero connection yet: connect Xero in Settings > Integrations > Xero and pending records will sync';
      await appendSyncLog(db, [{ orgId, recordType: 'contact', action: 'push', outcome: 'deferred', message: `${pending.length}+ contacts waiting. ${reason}` }]);
      logger.info({ orgId, pending: pending.length }, 'contacts deferred: no live Xero connection');
      return { processed: 0, deferred: pending.length, reason };
    }
    // The Xero push itself arrives with the push engine; until then a connected organisation's
    // contacts are left pending for it.
    return { processed: 0, deferred: pending.length, reason: 'push engine not enabled' };
  };
}
