/**
 * `POST /api/orgs/{orgId}/payments/{id}/reverse`: reverses a receipt taken in the platform. Xero payments
 * cannot be edited, only deleted, so the receipt is marked reversed (for good: a new receipt gets a new id)
 * and its payment is deleted in Xero by the organisation's workflow, through its pacer like every push.
 *
 * Answers 202 with the receipt and its sync state (`pending` until Xero has deleted it; `synced` once done;
 * `failed` with Xero's words and a hint, e.g. a payment on a reconciled bank transaction). Asking again
 * answers the same (200, `reversal: "already_reversed"`); a payment made in Xero is Xero's to delete (409).
 */
import { Router } from 'express';
import type { Db } from '../../db/client.ts';
import type { Logger } from '../../config/logger.ts';
import { getPayment } from '../../db/queries/payments.ts';
import { requestReceiptReversal } from '../../db/queries/receipt-reversals.ts';
import type { OrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { requireOrgAccess } from '../auth.ts';
import { HttpError, notFound } from '../errors.ts';
import { idOf, orgIdOf } from './params.ts';
import { presentSyncState } from './sync-state-view.ts';

export function paymentReversalRouter({ db, workflows, logger }: { db: Db; workflows: OrgWorkflows; logger: Logger }): Router {
  const router = Router();
  router.post('/api/orgs/:orgId/payments/:id/reverse', requireOrgAccess('client_admin', 'service'), async (req, res) => {
    const orgId = orgIdOf(req);
    const paymentId = idOf(req);
    const outcome = await db.transaction((tx) => requestReceiptReversal(tx, { orgId, paymentId, requestedBy: req.principal?.subject }));
    if (outcome === 'not_found') throw notFound('payment');
    if (outcome === 'made_in_xero') {
      throw new HttpError(409, 'payment_made_in_xero', 'This payment was made in Xero, not taken in the platform: delete it in Xero, and the sync records the reversal.');
    }
    if (outcome === 'reversed') {
      try {
        await workflows.wake(orgId);
      } catch (err) {
        logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, "could not wake the organisation's workflow; the relay will retry");
      }
    }
    const stored = await getPayment(db, { orgId, paymentId });
    res.status(outcome === 'reversed' ? 202 : 200).json({ ...stored!.payment, sync: presentSyncState(stored!.sync), reversal: outcome });
  });
  return router;
}
