import type { SyncStateRow } from '../../db/queries/sync-state.ts';

/** The sync state as the main app sees it: Xero id, state, attempts, last error (with Xero's message). */
export function presentSyncState(row: SyncStateRow | undefined) {
  if (!row) return null;
  return {
    state: row.state,
    xeroId: row.xeroId,
    attempts: row.attempts,
    lastError: row.lastError,
    lastErrorHint: row.lastErrorHint,
    syncedAt: row.syncedAt,
    updatedAt: row.updatedAt,
  };
}
