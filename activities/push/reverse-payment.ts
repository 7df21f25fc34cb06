/**
 * Deleting in Xero the payment of a receipt the platform reversed: `POST /Payments/{id}` with
 * `{"Status":"DELETED"}` (Xero payments cannot be edited, only deleted), ONE payment per call, under the
 * workflow's claim so a Temporal retry sends the same request with the same Idempotency-Key.
 *
 *   - Xero answers the payment DELETED (now, or already before: a retry after a lost answer): synced.
 *   - Xero has no such payment any more: nothing is left to delete, synced.
 *   - Xero refuses because the payment sits on a reconciled bank transaction: failed, with the hint that
 *     says what to do in Xero; never retried blindly (an admin retries once it is unreconciled).
 */
import type { Payments } from 'xero-node';
import { recordPushResults, type PushResult } from '../../db/queries/push-claims.ts';
import { claimReversal } from '../../db/queries/receipt-reversals.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { TRANSACTION_RECONCILED } from '../../xero/refusals.ts';
import type { XeroFailure } from '../../xero/errors.ts';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import { hintFor, RECONCILED_HINT } from './hints.ts';
import { batchIdempotencyKey } from './idempotency.ts';
import { pushLogEntries, summarise } from './push-batch.ts';
import { validationMessages } from './strategy.ts';

export interface ReversePaymentInput {
  orgId: string;
  /** Named by the workflow; stable across retries of this activity. */
  claimId: string;
}

export interface ReversePaymentResult {
  claimed: number;
  synced: number;
  failed: number;
  requeued: number;
  rateLimits?: ObservedRateLimits;
}

export function reversePayment(deps: ActivityDeps) {
  return async ({ orgId, claimId }: ReversePaymentInput): Promise<ReversePaymentResult> => {
    const claim = await claimReversal(deps.db, { orgId, claimId });
    if (!claim) return { claimed: 0, synced: 0, failed: 0, requeued: 0 };
    // Deleted before, and re-queued since without a change (a resync): nothing to ask Xero.
    if (claim.pushedVersion === claim.version) {
      await recordPushResults(deps.db, { orgId, recordType: 'payment', results: [{ recordId: claim.recordId, version: claim.version, outcome: 'synced' }] });
      return { claimed: 1, synced: 1, failed: 0, requeued: 0 };
    }
    const xeroPaymentId = claim.xeroId!;
    const body = { status: 'DELETED' };
    const key = batchIdempotencyKey(orgId, claimId, { delete: xeroPaymentId, ...body });
    const answer = await callXero(deps, orgId, (api, tenantId) => api.deletePayment(tenantId, xeroPaymentId, body, key));

    const base = { recordId: claim.recordId, version: claim.version, xeroId: xeroPaymentId };
    let result: PushResult;
    if (answer.ok) {
      const payment = (answer.body as Payments).payments?.[0];
      const errors = validationMessages(payment);
      result = errors.length === 0 || String(payment?.status) === 'DELETED' ? { ...base, outcome: 'synced' } : refused(base, errors.join(' '));
    } else {
      result = readFailure(base, answer.failure);
    }
    await recordPushResults(deps.db, { orgId, recordType: 'payment', results: [result], log: pushLogEntries(orgId, 'payment', [result], 'reverse') });
    const { synced, failed, requeued } = summarise([result]);
    return { claimed: 1, synced, failed, requeued, rateLimits: answer.rateLimits };
  };
}

type Base = Pick<PushResult, 'recordId' | 'version' | 'xeroId'>;

function readFailure(base: Base, failure: XeroFailure): PushResult {
  // Gone from Xero already: what the reversal asked for is true.
  if (failure.kind === 'not_found') return { ...base, outcome: 'synced' };
  // Deleted before (a retry after a lost answer, once Xero's idempotency window has passed).
  const element = failure.elements?.[0]?.element as { Status?: string } | undefined;
  if (failure.kind === 'validation' && element?.Status === 'DELETED') return { ...base, outcome: 'synced' };
  return refused(base, failure.elements?.flatMap((e) => e.messages).join(' ') || failure.message);
}

function refused(base: Base, message: string): PushResult {
  const hint = TRANSACTION_RECONCILED.test(message) ? RECONCILED_HINT : (hintFor(message) ?? 'Xero refused to delete this payment: delete it in Xero by hand, or retry once the cause is fixed.');
  return { ...base, outcome: 'failed', error: message, hint };
}
