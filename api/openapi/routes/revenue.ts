/** Revenue recognition's report. */
import { revenueQuery } from '../../routes/revenue/router.ts';
import { orgParams } from '../../routes/params.ts';
import type { RouteDoc } from '../route-doc.ts';
import { revenueReportSchema } from '../schemas/revenue.ts';

export const revenueRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/orgs/:orgId/revenue',
    operationId: 'getRevenueReport',
    summary: 'Earned and unearned revenue as of a day',
    description:
      "Per deferred invoice line, per revenue account and in total, as of `asOf` (default: today on the Xero organisation's calendar), and the recognition journals posted to Xero with their ids.",
    tag: 'revenue',
    auth: 'bearer',
    roles: ['client_admin', 'service'],
    params: orgParams,
    query: revenueQuery,
    responses: { 200: { description: 'The report', schema: revenueReportSchema } },
    errors: { 403: ['forbidden'], 404: ['not_found'] },
  },
];
