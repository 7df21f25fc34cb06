/** Database steps of reading Xero back (no Xero call): the next webhook events, watermarks, the sweep's report. */
import type { ActivityDeps } from '../deps.ts';
import { nextUnprocessedXeroResources } from '../../db/queries/webhook-events.ts';
import { insertReconciliationRun } from '../../db/queries/reconciliation-runs.ts';
import { advanceXeroWatermark } from '../../db/queries/xero-watermarks.ts';
import type { DriftReport } from '../../lib/reconciliation-drift.ts';
import { XERO_IDS_PER_CALL } from '../../workflows/constants.ts';
import type { SweepFeed } from './sweep-watermark.ts';

/** The invoices, contacts and credit notes (Xero ids, up to one call's worth each) that unprocessed webhook events name. */
export function nextXeroEventBatch({ db }: ActivityDeps) {
  return async ({ orgId }: { orgId: string }): Promise<{ invoiceIds: string[]; contactIds: string[]; creditNoteIds?: string[] }> =>
    nextUnprocessedXeroResources(db, { orgId, limit: XERO_IDS_PER_CALL });
}

/** The payments feed moves on once the invoices its page named have been applied. */
export function advanceSweepWatermark({ db }: ActivityDeps) {
  return async ({ orgId, feed, to }: { orgId: string; feed: SweepFeed; to: string }): Promise<void> => {
    await advanceXeroWatermark(db, { orgId, feed, to: new Date(to) });
  };
}

export interface ReconciliationRunInput {
  orgId: string;
  trigger: string;
  /** Workflow time, ISO. */
  startedAt: string;
  xeroCalls: number;
  paymentsSeen: number;
  invoicesSeen: number;
  drift: DriftReport;
  note?: string;
}

export function recordReconciliationRun({ db, logger }: ActivityDeps) {
  return async (run: ReconciliationRunInput): Promise<void> => {
    await insertReconciliationRun(db, { ...run, startedAt: new Date(run.startedAt) });
    logger.info({ orgId: run.orgId, trigger: run.trigger, drift: run.drift.counts, calls: run.xeroCalls, note: run.note }, 'reconciliation sweep finished');
  };
}
