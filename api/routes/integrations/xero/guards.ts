/**
 * Who may call the integration routes, and the plan switch in front of them.
 *
 * Roles: `client_admin` of the organisation and `platform_admin` everywhere; the main app's `service`
 * token may read (card, settings, mappings, tenants, test) but not connect, change or disconnect: those
 * are a person's decisions. Another organisation's caller gets 404 before anything else is looked at.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../../../../db/client.ts';
import { getIntegrationsPlan } from '../../../../db/queries/org-plan.ts';
import type { Role } from '../../../auth.ts';
import { HttpError, notFound, validationError } from '../../../errors.ts';

/**
 * Like requireOrgAccess, but the organisation is checked before the role: a caller from another
 * organisation learns nothing (404), whatever its role; a caller of this organisation with the wrong
 * role is told so (403).
 */
export function requireOrgRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal;
    if (principal?.role === 'platform_admin') return next();
    if (!principal || principal.orgId !== req.params.orgId) throw notFound('organisation');
    if (!allowed.includes(principal.role)) {
      throw new HttpError(403, 'forbidden', `This route needs one of the roles: platform_admin, ${allowed.join(', ')}.`);
    }
    next();
  };
}

export const readAccess = requireOrgRole('client_admin', 'service');
export const writeAccess = requireOrgRole('client_admin');

const orgParams = z.strictObject({ orgId: z.string().min(1).max(100) });

export function orgIdOf(params: unknown): string {
  const p = orgParams.safeParse(params);
  if (!p.success) throw validationError(p.error, 'path');
  return p.data.orgId;
}

export const PLAN_REQUIRED_MESSAGE =
  "This organisation's plan does not include integrations: upgrade the plan to connect Xero. Sync is paused meanwhile.";

/** 403 `plan_required` on every integration route while the organisation's plan excludes integrations. */
export function requireIntegrationsPlan(db: Db): RequestHandler {
  return async (req, _res, next) => {
    if (!(await getIntegrationsPlan(db, { orgId: orgIdOf(req.params) }))) throw new HttpError(403, 'plan_required', PLAN_REQUIRED_MESSAGE);
    next();
  };
}
