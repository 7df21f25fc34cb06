/**
 * The link import routes, for the organisation's client admin and for a platform admin:
 *   POST /api/orgs/{orgId}/integrations/xero/links, GET .../links/{importId}
 *   POST /api/admin/integrations/xero/{organization_id}/links, GET .../links/{importId}
 */
import { Router, type RequestHandler } from 'express';
import { requireRole } from '../../auth.ts';
import { findOrganisation } from '../../../db/queries/admin-status.ts';
import { notFound } from '../../errors.ts';
import { orgIdOf } from '../params.ts';
import { readAccess, requireIntegrationsPlan, writeAccess } from '../integrations/xero/guards.ts';
import { getLinkImportStatus, postLinkImport, type LinkImportDeps } from './link-imports.ts';

const ORG_BASE = '/api/orgs/:orgId/integrations/xero/links';
const ADMIN_BASE = '/api/admin/integrations/xero/:orgId/links';
export const LINK_IMPORT_PATHS = [ORG_BASE, ADMIN_BASE];

export function linkImportRouter(deps: LinkImportDeps): Router {
  const router = Router();
  const plan = requireIntegrationsPlan(deps.db);
  router.post(ORG_BASE, writeAccess, plan, postLinkImport(deps));
  router.get(`${ORG_BASE}/:importId`, readAccess, plan, getLinkImportStatus(deps));

  const platformAdmin = requireRole('platform_admin');
  const knownOrganisation: RequestHandler = async (req, _res, next) => {
    if (!(await findOrganisation(deps.db, { orgId: orgIdOf(req) }))) throw notFound('organisation');
    next();
  };
  router.post(ADMIN_BASE, platformAdmin, knownOrganisation, postLinkImport(deps));
  router.get(`${ADMIN_BASE}/:importId`, platformAdmin, knownOrganisation, getLinkImportStatus(deps));
  return router;
}
