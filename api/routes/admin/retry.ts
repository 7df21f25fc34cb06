/**
 * `POST /api/admin/integrations/xero/{organization_id}/retry` `{ sync_type, record_ids? }`: puts failed
 * (and skipped) records of one type back in the organisation's queue, all of them when `record_ids` is
 * omitted. Nothing is pushed from here: the organisation's workflow picks them up at its pace, so a retry
 * of 1,000 records costs the same Xero budget as any other 1,000 records.
 *
 * Answers 202 `{ requeued, not_found, not_failed, workflow_notified }`: ids we do not know, and ids that
 * were neither failed nor skipped (pending or synced: nothing to retry), are reported, not errors.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { findSyncStates } from '../../../db/queries/admin-status.ts';
import { requeueRecords } from '../../../db/queries/sync-state.ts';
import { recordTypes, type SyncState } from '../../../db/schema/index.ts';
import { validationError } from '../../errors.ts';
import { recordId } from '../record-bodies.ts';
import type { AdminContext } from './deps.ts';
import { organisationOf } from './organisation-param.ts';
import { wakeOrgWorkflow } from './wake.ts';

/** The same limit as the main app's batch imports. */
export const MAX_RETRY_IDS = 1_000;
const RETRYABLE: SyncState[] = ['failed', 'skipped'];

export const retryBody = z.strictObject({
  sync_type: z.enum(recordTypes),
  record_ids: z
    .array(recordId)
    .min(1, 'omit record_ids to retry every failed record of this type')
    .max(MAX_RETRY_IDS, `at most ${MAX_RETRY_IDS} ids a request`)
    .optional(),
});

export function postRetry(ctx: AdminContext): RequestHandler {
  return async (req, res) => {
    const { id: orgId } = await organisationOf(ctx.db, req);
    const body = retryBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);
    const recordType = body.data.sync_type;
    const recordIds = body.data.record_ids && [...new Set(body.data.record_ids)];

    const outcome = await ctx.db.transaction(async (tx) => {
      const known = recordIds ? await findSyncStates(tx, { orgId, recordType, recordIds }) : [];
      const requeued = await requeueRecords(tx, { orgId, recordType, recordIds, states: RETRYABLE });
      const found = new Set(known.map((k) => k.recordId));
      return {
        requeued,
        notFound: (recordIds ?? []).filter((id) => !found.has(id)),
        notFailed: known.filter((k) => !RETRYABLE.includes(k.state)).map((k) => ({ record_id: k.recordId, state: k.state })),
      };
    });
    const notified = outcome.requeued > 0 ? await wakeOrgWorkflow(ctx, orgId) : false;
    res.status(202).json({ requeued: outcome.requeued, not_found: outcome.notFound, not_failed: outcome.notFailed, workflow_notified: notified });
  };
}
