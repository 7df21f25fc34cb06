/**
 * `POST /api/orgs/{orgId}/invoices/{id}/sync`: push this invoice now. With auto-sync off, new invoices
 * wait in `skipped`; this queues one (and re-queues a failed one after the admin fixed its cause).
 */
import { Router } from 'express';
import type { Db } from '../../db/client.ts';
import { getInvoice } from '../../db/queries/invoices.ts';
import { requeueRecords } from '../../db/queries/sync-state.ts';
import { requireOrgAccess } from '../auth.ts';
import { notFound } from '../errors.ts';
import { idOf, orgIdOf } from './params.ts';
import type { OrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { presentSyncState } from './sync-state-view.ts';

export function invoiceSyncRouter({ db, workflows }: { db: Db; workflows: OrgWorkflows }): Router {
  const router = Router();
  router.post('/api/orgs/:orgId/invoices/:id/sync', requireOrgAccess('client_admin', 'service'), async (req, res) => {
    const orgId = orgIdOf(req);
    const id = idOf(req);
    if (!(await getInvoice(db, { orgId, invoiceId: id }))) throw notFound('invoice');

    await requeueRecords(db, { orgId, recordType: 'invoice', recordIds: [id], states: ['skipped', 'failed'] });
    await workflows.wake(orgId);
    const stored = await getInvoice(db, { orgId, invoiceId: id });
    res.status(202).json({ ...stored!.invoice, sync: presentSyncState(stored!.sync) });
  });
  return router;
}
