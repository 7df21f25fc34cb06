/**
 * `POST /api/orgs/{orgId}/invoices/{id}/void`: void an invoice. Answers 202 with the record at once; the
 * organisation's workflow sends Xero the status change (DELETED for a draft or submitted invoice, VOIDED for
 * an approved one) at its pace. Asking twice changes nothing. An invoice with money applied to it (payments
 * or credit, in Xero's figures or in our records) cannot be voided: 409, credit it instead.
 */
import { Router } from 'express';
import type { Db } from '../../db/client.ts';
import { getInvoice } from '../../db/queries/invoices.ts';
import { moneyAppliedToInvoice, requestInvoiceVoid } from '../../db/queries/invoice-voids.ts';
import type { Logger } from '../../config/logger.ts';
import type { OrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { HAS_PAYMENTS_MESSAGE } from '../../activities/push/invoice-void.ts';
import { requireOrgAccess } from '../auth.ts';
import { HttpError, notFound } from '../errors.ts';
import { idOf, orgIdOf } from './params.ts';
import { presentSyncState } from './sync-state-view.ts';

export function invoiceVoidRouter({ db, workflows, logger }: { db: Db; workflows: OrgWorkflows; logger: Logger }): Router {
  const router = Router();
  router.post('/api/orgs/:orgId/invoices/:id/void', requireOrgAccess('client_admin', 'service'), async (req, res) => {
    const orgId = orgIdOf(req);
    const invoiceId = idOf(req);
    const requested = await db.transaction(async (tx) => {
      const found = await getInvoice(tx, { orgId, invoiceId });
      if (!found) throw notFound('invoice');
      if (found.invoice.voidRequestedAt) return false;
      const applied = await moneyAppliedToInvoice(tx, { orgId, invoiceId });
      if (applied && (applied.inXero || applied.receipts > 0 || applied.allocations > 0)) throw new HttpError(409, 'invoice_has_payments', HAS_PAYMENTS_MESSAGE);
      return requestInvoiceVoid(tx, { orgId, invoiceId });
    });
    if (requested) {
      try {
        await workflows.wake(orgId);
      } catch (err) {
        // The request is committed: the relay wakes the organisation if this poke was lost.
        logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, "could not wake the organisation's workflow; the relay will retry");
      }
    }
    const stored = await getInvoice(db, { orgId, invoiceId });
    res.status(202).json({ ...stored!.invoice, sync: presentSyncState(stored!.sync) });
  });
  return router;
}
