/**
 * `POST /api/admin/integrations/xero/{organization_id}/resync` `{ "sync_types": ["contacts", "invoices"],
 * "since": "2025-01-01T00:00:00Z" }`: pushes every record of those types again (all four when omitted), or
 * only those the platform changed since `since`. `sync_types` are `contacts`, `invoices`, `payments`,
 * `expenses` (singular names work too). Synced records keep their Xero ids, so they go out as updates and
 * never as second copies.
 *
 * Only database writes and a wake: the organisation's workflow does the pushing at Xero's pace, and the
 * status endpoint reports the run's progress. Answers 202 `{ resync_id, sync_types, total, requeued, eta_seconds, ... }`.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { startResync } from '../../../db/queries/resync-runs.ts';
import { recordTypes } from '../../../db/schema/index.ts';
import { validationError } from '../../errors.ts';
import { isoInstant } from '../dates.ts';
import { syncTypeName, syncTypeNameOf } from '../sync/record-type-names.ts';
import type { AdminContext } from './deps.ts';
import { organisationOf } from './organisation-param.ts';
import { resyncEtaSeconds } from './resync-progress.ts';
import { wakeOrgWorkflow } from './wake.ts';

export const resyncBody = z.strictObject({
  sync_types: z.array(syncTypeName).min(1, 'omit sync_types to resync every type').optional(),
  since: isoInstant('expected an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z').optional(),
});

export function postResync(ctx: AdminContext): RequestHandler {
  return async (req, res) => {
    const { id: orgId } = await organisationOf(ctx.db, req);
    const body = resyncBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);
    // In dependency order, for a readable record of the run (the workflow orders the pushes itself).
    const types = recordTypes.filter((t) => (body.data.sync_types ?? recordTypes).includes(t));
    const since = body.data.since ? new Date(body.data.since) : undefined;

    const run = await startResync(ctx.db, { orgId, recordTypes: types, since, requestedBy: req.principal?.subject });
    const notified = run.total > 0 ? await wakeOrgWorkflow(ctx, orgId) : false;
    res.status(202).json({
      resync_id: run.id,
      sync_types: types.map(syncTypeNameOf),
      since: since?.toISOString() ?? null,
      started_at: run.startedAt.toISOString(),
      total: run.total,
      requeued: run.requeued,
      eta_seconds: resyncEtaSeconds(run.total, ctx.admin.pacing),
      workflow_notified: notified,
    });
  };
}
