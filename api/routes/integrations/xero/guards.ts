/**
 * Who may call the integration routes, and the plan switch in front of them.
 *
 * Roles: `client_admin` of the organisation and `platform_admin` everywhere; the main app's `service`
 * token may read (card, settings, mappings, tenants, test) but not connect, change or disconnect: those
 * are a person's decisions. Another organisation's caller gets 404 before anything else is looked at.
 */
import type { RequestHandler } from 'express';
import type { Db } from '../../../../db/client.ts';
import { getIntegrationsPlan } from '../../../../db/queries/org-plan.ts';
import { requireOrgAccess } from '../../../auth.ts';
import { HttpError } from '../../../errors.ts';
import { orgIdOf } from '../../params.ts';

export const readAccess = requireOrgAccess('client_admin', 'service');
export const writeAccess = requireOrgAccess('client_admin');

export const PLAN_REQUIRED_MESSAGE =
  "This organisation's plan does not include integrations: upgrade the plan to connect Xero. Sync is paused meanwhile.";

/** 403 `plan_required` on every integration route while the organisation's plan excludes integrations. */
export function requireIntegrationsPlan(db: Db): RequestHandler {
  return async (req, _res, next) => {
    if (!(await getIntegrationsPlan(db, { orgId: orgIdOf(req) }))) throw new HttpError(403, 'plan_required', PLAN_REQUIRED_MESSAGE);
    next();
  };
}
