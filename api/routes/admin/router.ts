/**
 * Platform-admin diagnosis of any organisation's Xero sync:
 * `/api/admin/integrations/xero/{organization_id}/status|logs|retry|resync`, platform_admin only (403 for
 * every other role), one handler per file. Mounted after `/api` authentication.
 */
import { Router } from 'express';
import { requireRole } from '../../auth.ts';
import type { AdminContext } from './deps.ts';
import { getXeroLogs } from './logs.ts';
import { getConsoleOrganisations } from './organisations.ts';
import { postResync } from './resync.ts';
import { getResyncPreview } from './resync-preview.ts';
import { postRetry } from './retry.ts';
import { getXeroStatus } from './status.ts';

export function xeroAdminRouter(ctx: AdminContext): Router {
  const router = Router();
  // Documented as /api/admin/integrations/xero/{organization_id}/...: the same URL, one parameter name.
  const base = '/api/admin/integrations/xero/:orgId';
  const platformAdmin = requireRole('platform_admin');
  router.get(`${base}/status`, platformAdmin, getXeroStatus(ctx));
  router.get(`${base}/logs`, platformAdmin, getXeroLogs(ctx));
  router.post(`${base}/retry`, platformAdmin, postRetry(ctx));
  router.post(`${base}/resync`, platformAdmin, postResync(ctx));
  router.get(`${base}/resync/preview`, platformAdmin, getResyncPreview(ctx));
  router.get('/api/admin/integrations/xero', platformAdmin, getConsoleOrganisations(ctx));
  return router;
}
