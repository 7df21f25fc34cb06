/** Platform admins' diagnosis of any organisation: status, retry, resync (the troubleshooting guide's endpoints). */
import { resyncBody } from '../../routes/admin/resync.ts';
import { retryBody } from '../../routes/admin/retry.ts';
import { orgParams } from '../../routes/params.ts';
import type { RouteDoc } from '../route-doc.ts';
import { adminStatusSchema, resyncAcceptedSchema, retryAcceptedSchema } from '../schemas.ts';

const BASE = '/api/admin/integrations/xero/:orgId';
const admin = { tag: 'admin', auth: 'bearer' as const, roles: ['platform_admin' as const], params: orgParams };
const ERRORS = { 403: ['forbidden'], 404: ['not_found'] };

export const adminRoutes: RouteDoc[] = [
  {
    ...admin,
    method: 'get',
    path: `${BASE}/status`,
    operationId: 'getXeroSyncStatus',
    summary: "An organisation's sync health (`{organization_id}` in the guide)",
    description:
      "`connected`, `token_expires_at`, `last_sync`, `sync_status`, `pending_syncs`, `failed_syncs`, `errors[]`, plus counts by type, the latest resync's progress, the latest reconciliation's drift report and the workflow's view (`null`, with `workflow_unavailable`, when Temporal does not answer in time).",
    responses: { 200: { description: 'Status', schema: adminStatusSchema } },
    errors: ERRORS,
  },
  {
    ...admin,
    method: 'post',
    path: `${BASE}/retry`,
    operationId: 'retryXeroSync',
    summary: 'Put failed (and skipped) records of one type back in the queue',
    body: { schema: retryBody },
    responses: { 202: { description: 'Requeued; ids unknown or not failed are reported, not errors', schema: retryAcceptedSchema } },
    errors: ERRORS,
  },
  {
    ...admin,
    method: 'post',
    path: `${BASE}/resync`,
    operationId: 'resyncXero',
    summary: 'Push every record of these types again (or those changed since `since`)',
    description: 'Synced records keep their Xero ids: they go out as updates, never as second copies. Progress shows in the status.',
    body: { schema: resyncBody, required: false },
    responses: { 202: { description: 'Started', schema: resyncAcceptedSchema } },
    errors: ERRORS,
  },
];
