/**
 * `PUT /api/orgs/{orgId}/plan {"integrations": boolean}`: the main app says whether the organisation's
 * plan includes integrations. Off: every integration route answers 403 `plan_required` and the
 * organisation's sync is paused. On again: the sync resumes if Xero is still connected.
 *
 * Called by the main app (`service` token of that organisation) or a `platform_admin`; an organisation's
 * own admin cannot change its plan (403), and another organisation's caller gets 404.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { getConnection } from '../../db/queries/connections.ts';
import { getIntegrationsPlan, setIntegrationsPlan } from '../../db/queries/org-plan.ts';
import { validationError } from '../errors.ts';
import { requireOrgAccess } from '../auth.ts';
import { orgIdOf } from './params.ts';
import type { SyncLifecycle } from '../sync-lifecycle.ts';

export const planBody = z.strictObject({ integrations: z.boolean({ message: 'expected true or false' }) });

/** Same organisation first (404 otherwise, so ids do not leak), then the role. */
const planAccess = requireOrgAccess('service');

export function planRouter({ db, lifecycle }: { db: Db; lifecycle: SyncLifecycle }): Router {
  const router = Router({ mergeParams: true });

  router.get('/api/orgs/:orgId/plan', planAccess, async (req, res) => {
    const orgId = orgIdOf(req);
    res.json({ orgId, integrations: await getIntegrationsPlan(db, { orgId }) });
  });

  router.put('/api/orgs/:orgId/plan', planAccess, async (req, res) => {
    const orgId = orgIdOf(req);
    const body = planBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);
    const included = body.data.integrations;
    const { previous } = await setIntegrationsPlan(db, { orgId, included });
    if (previous && !included) await lifecycle.pause(orgId, 'plan_required');
    if (!previous && included && (await getConnection(db, { orgId }))?.status === 'connected') await lifecycle.resume(orgId);
    res.json({ orgId, integrations: included });
  });

  return router;
}
