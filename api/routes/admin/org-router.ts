/**
 * The same diagnosis for an organisation's own admin (the settings page): status, sync log and retry of
 * its own organisation, with bodies and answers identical to the platform admin's, built by the same code:
 *   - `GET  /api/orgs/{orgId}/integrations/xero/status`  (client_admin, service);
 *   - `GET  /api/orgs/{orgId}/integrations/xero/logs`    (client_admin, service);
 *   - `POST /api/orgs/{orgId}/integrations/xero/retry`   (client_admin: a person's decision).
 * Another organisation's caller gets 404; a plan without integrations 403 `plan_required`, as on every
 * integration route. An organisation the service has not seen yet answers as one with nothing synced.
 */
import { Router } from 'express';
import { findOrganisation } from '../../../db/queries/admin-status.ts';
import { readAccess, requireIntegrationsPlan, writeAccess } from '../integrations/xero/guards.ts';
import { orgIdOf } from '../params.ts';
import type { AdminContext } from './deps.ts';
import { readSyncLog } from './logs.ts';
import { retryFailedRecords } from './retry.ts';
import { buildStatusReport } from './status-report.ts';

export function orgSyncRouter(ctx: AdminContext): Router {
  const router = Router();
  const base = '/api/orgs/:orgId/integrations/xero';
  const plan = requireIntegrationsPlan(ctx.db);

  router.get(`${base}/status`, readAccess, plan, async (req, res) => {
    const orgId = orgIdOf(req);
    const organisation = await findOrganisation(ctx.db, { orgId });
    res.json(await buildStatusReport(ctx, { orgId, planIncludesIntegrations: organisation?.planIncludesIntegrations ?? true }));
  });
  router.get(`${base}/logs`, readAccess, plan, async (req, res) => {
    res.json(await readSyncLog(ctx.db, { orgId: orgIdOf(req), query: req.query }));
  });
  router.post(`${base}/retry`, writeAccess, plan, async (req, res) => {
    const { status, body } = await retryFailedRecords(ctx, { orgId: orgIdOf(req), body: req.body, requestedBy: req.principal?.subject });
    res.status(status).json(body);
  });
  return router;
}
