/**
 * The sync diagnosis: platform admins' view of any organisation (the troubleshooting guide's endpoints), and
 * an organisation's own view of itself, with the same bodies and answers.
 */
import { logsQuery } from '../../routes/admin/logs.ts';
import { consoleListAnswer, consoleListQuery } from '../../routes/admin/organisations.ts';
import { resyncPreviewAnswer, resyncPreviewQuery } from '../../routes/admin/resync-preview.ts';
import { resyncBody } from '../../routes/admin/resync.ts';
import { retryBody } from '../../routes/admin/retry.ts';
import { orgParams } from '../../routes/params.ts';
import type { RouteDoc } from '../route-doc.ts';
import { resyncAcceptedSchema, retryAnswerSchema, syncLogPageSchema } from '../schemas/admin.ts';

const BASE = '/api/admin/integrations/xero/:orgId';
const admin = { tag: 'admin', auth: 'bearer' as const, roles: ['platform_admin' as const], params: orgParams };
const ERRORS = { 403: ['forbidden'], 404: ['not_found'] };
const STATUS = { component: 'SyncStatusReport' };

const statusDescription =
  "`connected`, `token_expires_at`, `last_sync`, `sync_status`, `pending_syncs`, `failed_syncs`, `errors[]`, plus counts by type, the latest resync's progress, the latest reconciliation's drift report, revenue recognition's totals and the workflow's view (`null`, with `workflow_unavailable`, when Temporal does not answer in time).";
const logsDescription = "Newest first, a page at a time (`next_cursor`). `message` is Xero's own words, `hint` ours.";
const retryDescription = 'All failed records of the type when `record_ids` is omitted. Ids unknown or not failed are reported, not errors. Retrying contacts also lifts a contact-limit hold.';
const retryResponses = {
  202: { description: 'Something was queued', schema: retryAnswerSchema },
  200: { description: 'Nothing was queued (every id unknown or not failed)', schema: retryAnswerSchema },
};

export const adminRoutes: RouteDoc[] = [
  {
    tag: 'admin',
    auth: 'bearer',
    roles: ['platform_admin'],
    method: 'get',
    path: '/api/admin/integrations/xero',
    operationId: 'listXeroOrganisations',
    summary: "Every organisation's sync at a glance (the console's list)",
    description: '`q` searches ids and names; `health` and `attention` filter; a page at a time (`next_offset`).',
    query: consoleListQuery,
    responses: { 200: { description: 'One page of organisations', schema: consoleListAnswer } },
    errors: { 403: ['forbidden'] },
  },
  { ...admin, method: 'get', path: `${BASE}/status`, operationId: 'getXeroSyncStatus', summary: "An organisation's sync health (`{organization_id}` in the guide)", description: statusDescription, responses: { 200: { description: 'Status', schema: STATUS } }, errors: ERRORS },
  { ...admin, method: 'get', path: `${BASE}/logs`, operationId: 'getXeroSyncLog', summary: "An organisation's sync log", description: logsDescription, query: logsQuery, responses: { 200: { description: 'One page of the log', schema: syncLogPageSchema } }, errors: ERRORS },
  { ...admin, method: 'post', path: `${BASE}/retry`, operationId: 'retryXeroSync', summary: 'Put failed (and skipped) records of one type back in the queue', description: retryDescription, body: { schema: retryBody }, responses: retryResponses, errors: ERRORS },
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
  {
    ...admin,
    method: 'get',
    path: `${BASE}/resync/preview`,
    operationId: 'previewXeroResync',
    summary: 'What a resync of these types (since `since`) would push, and how long it would take',
    description: '`sync_types` comma-separated (every type when omitted). Nothing changes.',
    query: resyncPreviewQuery,
    responses: { 200: { description: 'The records it would push, by type, and the ETA at Xero\'s pace', schema: resyncPreviewAnswer } },
    errors: ERRORS,
  },
];

/** The organisation's own admin: the same diagnosis of its own organisation (the settings page). */
const OWN = '/api/orgs/:orgId/integrations/xero';
const own = { tag: 'integrations', auth: 'bearer' as const, params: orgParams };
/** Access first (another organisation's caller gets 404 whatever its plan), then the plan. */
const OWN_ERRORS = { 403: ['forbidden', 'plan_required'], 404: ['not_found'] };

export const ownDiagnosisRoutes: RouteDoc[] = [
  { ...own, roles: ['client_admin', 'service'], method: 'get', path: `${OWN}/status`, operationId: 'getOwnSyncStatus', summary: "This organisation's sync health, as its platform admin sees it", description: statusDescription, responses: { 200: { description: 'Status', schema: STATUS } }, errors: OWN_ERRORS },
  { ...own, roles: ['client_admin', 'service'], method: 'get', path: `${OWN}/logs`, operationId: 'getOwnSyncLog', summary: "This organisation's sync log", description: logsDescription, query: logsQuery, responses: { 200: { description: 'One page of the log', schema: syncLogPageSchema } }, errors: OWN_ERRORS },
  { ...own, roles: ['client_admin'], method: 'post', path: `${OWN}/retry`, operationId: 'retryOwnSync', summary: "Retry this organisation's failed records (a person's decision: client_admin)", description: retryDescription, body: { schema: retryBody }, responses: retryResponses, errors: OWN_ERRORS },
];
