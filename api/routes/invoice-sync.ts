/**
 * `POST /api/orgs/{orgId}/invoices/{id}/sync`: push this invoice now. With auto-sync off, new invoices
 * wait in `skipped`; this queues one (and re-queues a failed one after the admin fixed its cause).
 */
import { Router } from 'express';
import type { Db } from '../../db/client.ts';
import { getInvoice } from '../../db/queries/invoices.ts';
import { requeueRecords } from '../../db/queries/sync-state.ts';
import { requireOrgAccess } from '../auth.ts';
import { notFound, validationError } from '../errors.ts';
import type { TenantWorkflows } from '../tenant-workflow.ts';
import { recordId } from './record-bodies.ts';
import { presentSyncState } from './sync-state-view.ts';

export function invoiceSyncRouter({ db, tenants }: { db: Db; tenants: TenantWorkflows }): Router {
  const router = Router();
  router.post('/api/orgs/:orgId/invoices/:id/sync', requireOrgAccess('client_admin', 'service'), async (req, res) => {
    const orgId = recordId.safeParse(req.params.orgId);
    const id = recordId.safeParse(req.params.id);
    if (!orgId.success) throw validationError(orgId.error, 'path.orgId');
    if (!id.success) throw validationError(id.error, 'path.id');
    if (!(await getInvoice(db, { orgId: orgId.data, invoiceId: id.data }))) throw notFound('invoice');

    await requeueRecords(db, { orgId: orgId.data, recordType: 'invoice', recordIds: [id.data], states: ['skipped', 'failed'] });
    await tenants.wake(orgId.data);
    const stored = await getInvoice(db, { orgId: orgId.data, invoiceId: id.data });
    res.status(202).json({ ...stored!.invoice, sync: presentSyncState(stored!.sync) });
  });
  return router;
}
