/**
 * `GET /api/orgs/{orgId}/revenue?asOf=YYYY-MM-DD`: earned and unearned revenue per deferred invoice line, per
 * revenue account and in total, as of a day (default: today on the Xero organisation's calendar), and the
 * recognition journals posted to Xero with their ids (report.ts says how each figure is made).
 *
 * For the main app (`service`), the organisation's admin and platform admins; another organisation's caller
 * gets 404.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { requireOrgAccess } from '../../auth.ts';
import { validationError } from '../../errors.ts';
import { orgIdOf } from '../params.ts';
import { isoDate } from '../dates.ts';
import { loadRevenueReport } from './report.ts';

export const revenueQuery = z.strictObject({
  asOf: isoDate('expected a date as YYYY-MM-DD, e.g. 2026-11-30').optional(),
});

export function revenueRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/api/orgs/:orgId/revenue', requireOrgAccess('client_admin', 'service'), async (req, res) => {
    const orgId = orgIdOf(req);
    const query = revenueQuery.safeParse(req.query);
    if (!query.success) throw validationError(query.error, 'query');
    res.json(await loadRevenueReport(db, { orgId, asOf: query.data.asOf }));
  });
  return router;
}
