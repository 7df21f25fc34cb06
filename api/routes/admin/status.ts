/**
 * `GET /api/admin/integrations/xero/{organization_id}/status`: the organisation's sync health
 * (status-report.ts has the shape; lib/sync-status.ts every `sync_status` value). 404 for an organisation we
 * do not know.
 */
import type { RequestHandler } from 'express';
import type { AdminContext } from './deps.ts';
import { organisationOf } from './organisation-param.ts';
import { buildStatusReport } from './status-report.ts';

export function getXeroStatus(ctx: AdminContext): RequestHandler {
  return async (req, res) => {
    const organisation = await organisationOf(ctx.db, req);
    res.json(await buildStatusReport(ctx, { orgId: organisation.id, planIncludesIntegrations: organisation.planIncludesIntegrations }));
  };
}
