/**
 * `POST /api/admin/integrations/xero/{organization_id}/retry` `{ "sync_type": "contacts", "record_ids": [...] }`
 * (and the organisation's own `POST /api/orgs/{orgId}/integrations/xero/retry`, same body, same answer):
 * puts failed (and skipped) records of one type back in the organisation's queue, all of them when
 * `record_ids` is omitted. `sync_type` is `contacts`, `invoices`, `payments` or `expenses` (the singular
 * names work too). Nothing is pushed from here: the organisation's workflow picks them up at its pace.
 * Retrying contacts also lifts a "Xero contact limit reached" hold, so the waiting new contacts go again.
 *
 * Answers 202 when something was queued (200 when nothing was): `{ sync_type, requeued, retried,
 * not_retried: [{ record_id, reason, state?, message }], not_found, not_failed, contact_limit_cleared,
 * workflow_notified }`. Ids we do not know (`not_found`) and ids that are not failed (`not_failed`: pending
 * or synced, nothing to retry) are reported, not errors; the rest is retried.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { findSyncStates } from '../../../db/queries/admin-status.ts';
import { appendSyncLog } from '../../../db/queries/sync-log.ts';
import { requeueRecordIds } from '../../../db/queries/sync-state.ts';
import { releaseContactCreates } from '../../../db/queries/xero-contact-limits.ts';
import type { RecordType, SyncState } from '../../../db/schema/index.ts';
import { validationError } from '../../errors.ts';
import { recordId } from '../record-bodies.ts';
import { syncTypeName, syncTypeNameOf } from '../sync/record-type-names.ts';
import type { AdminContext } from './deps.ts';
import { organisationOf } from './organisation-param.ts';
import { wakeOrgWorkflow } from './wake.ts';

/** The same limit as the main app's batch imports. */
export const MAX_RETRY_IDS = 1_000;
const RETRYABLE: SyncState[] = ['failed', 'skipped'];

export const retryBody = z.strictObject({
  sync_type: syncTypeName,
  record_ids: z
    .array(recordId)
    .min(1, 'omit record_ids to retry every failed record of this type')
    .max(MAX_RETRY_IDS, `at most ${MAX_RETRY_IDS} ids a request`)
    .optional(),
});

export interface NotRetried {
  record_id: string;
  reason: 'not_found' | 'not_failed';
  state?: SyncState;
  message: string;
}

export function postRetry(ctx: AdminContext): RequestHandler {
  return async (req, res) => {
    const { id: orgId } = await organisationOf(ctx.db, req);
    const { status, body } = await retryFailedRecords(ctx, { orgId, body: req.body, requestedBy: req.principal?.subject });
    res.status(status).json(body);
  };
}

export async function retryFailedRecords(ctx: AdminContext, { orgId, body: raw, requestedBy }: { orgId: string; body: unknown; requestedBy?: string }) {
  const body = retryBody.safeParse(raw ?? {});
  if (!body.success) throw validationError(body.error);
  const recordType = body.data.sync_type;
  const recordIds = body.data.record_ids && [...new Set(body.data.record_ids)];

  const outcome = await ctx.db.transaction(async (tx) => {
    const known = recordIds ? await findSyncStates(tx, { orgId, recordType, recordIds }) : [];
    const retried = await requeueRecordIds(tx, { orgId, recordType, recordIds, states: RETRYABLE });
    const contactLimitCleared = recordType === 'contact' && (await releaseContactCreates(tx, { orgId }));
    await appendSyncLog(
      tx,
      retried.map((id) => ({ orgId, recordType, recordId: id, action: 'retry', outcome: 'retrying' as const, message: `Retry requested${requestedBy ? ` by ${requestedBy}` : ''}.` })),
    );
    const found = new Map(known.map((k) => [k.recordId, k.state]));
    const notRetried: NotRetried[] = (recordIds ?? []).flatMap((id): NotRetried[] => {
      const state = found.get(id);
      if (state === undefined) return [{ record_id: id, reason: 'not_found', message: `No ${recordType} with this id in this organisation.` }];
      if (RETRYABLE.includes(state)) return [];
      return [{ record_id: id, reason: 'not_failed', state, message: notFailedMessage(recordType, state, contactLimitCleared) }];
    });
    return { retried, notRetried, contactLimitCleared };
  });
  const notified = outcome.retried.length > 0 || outcome.contactLimitCleared ? await wakeOrgWorkflow(ctx, orgId) : false;
  const queued = outcome.retried.length > 0 || outcome.contactLimitCleared;
  return {
    status: queued ? 202 : 200,
    body: {
      sync_type: syncTypeNameOf(recordType),
      requeued: outcome.retried.length,
      retried: recordIds ? outcome.retried : null,
      not_retried: outcome.notRetried,
      not_found: outcome.notRetried.filter((n) => n.reason === 'not_found').map((n) => n.record_id),
      not_failed: outcome.notRetried.filter((n) => n.reason === 'not_failed').map((n) => ({ record_id: n.record_id, state: n.state! })),
      contact_limit_cleared: outcome.contactLimitCleared,
      workflow_notified: notified,
    },
  };
}

function notFailedMessage(recordType: RecordType, state: SyncState, contactLimitCleared: boolean): string {
  if (state === 'synced') return `The ${recordType} is in Xero already: nothing to retry (a resync pushes it again).`;
  if (contactLimitCleared) return `The ${recordType} is queued already; the contact limit hold is lifted, so it goes out with the next push.`;
  return `The ${recordType} is queued already: it goes out with the next push.`;
}
