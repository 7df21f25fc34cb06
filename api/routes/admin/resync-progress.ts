import type { ResyncProgress } from '../../../db/queries/resync-runs.ts';
import { syncTypeNameOf } from '../sync/record-type-names.ts';
import type { ResyncPacing } from './deps.ts';

/**
 * Seconds to push `remaining` records at Xero's pace for one organisation: one call per batch, the
 * minute's budget per window. A floor: 5xx retries and contact lookups only add to it.
 */
export function resyncEtaSeconds(remaining: number, { callsPerWindow, windowMs, batchSize }: ResyncPacing): number {
  if (remaining <= 0) return 0;
  const calls = Math.ceil(remaining / batchSize);
  return Math.ceil((calls * windowMs) / callsPerWindow / 1000);
}

/** The latest resync as the status shows it: `done` of `total`, with an ETA until it has finished. */
export function presentResyncProgress(run: ResyncProgress, pacing: ResyncPacing) {
  const done = Math.min(run.total, Math.max(0, run.total - run.pending));
  return {
    resync_id: run.id,
    sync_types: run.recordTypes.map(syncTypeNameOf),
    since: run.since?.toISOString() ?? null,
    started_at: run.startedAt.toISOString(),
    requested_by: run.requestedBy,
    total: run.total,
    done,
    failed: run.failed,
    percent: run.total === 0 ? 100 : Math.floor((done * 100) / run.total),
    eta_seconds: resyncEtaSeconds(run.total - done, pacing),
    finished: done >= run.total,
  };
}
