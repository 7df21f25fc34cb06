/** Imports of existing links between the platform's records and Xero's, for the organisation's admin and for platform admins. */
import { z } from 'zod';
import { linkImportStatuses } from '../../../db/schema/index.ts';
import { linkImportBody } from '../../routes/links/link-rows.ts';
import { orgParams } from '../../routes/params.ts';
import type { RouteDoc } from '../route-doc.ts';
import { instant } from '../schemas/common.ts';

const linkImport = z.object({
  id: z.uuid(),
  status: z.enum(linkImportStatuses),
  rows: z.number().int(),
  linked_records: z.number().int().nullable(),
  pending_records: z.number().int().nullable(),
  message: z.string().nullable(),
  problems: z.array(z.object({ row: z.number().int(), record_id: z.string().nullable(), xero_id: z.string().nullable(), problem: z.string() })),
  created_at: instant,
  finished_at: instant.nullable(),
});
const started = linkImport.extend({ status_url: z.string().meta({ description: 'Where to follow it (also the Location header)' }) });
const importParams = orgParams.extend({ importId: z.uuid() });

const description =
  'Each row `{ "type": "contact" | "invoice", "record_id", "xero_id" }`, up to 10,000: what can be told at once (malformed rows, duplicates, a record or Xero id linked already) is refused with every row\'s problem and nothing stored; the rest is verified against Xero by its own workflow, then applied all or nothing.';
const posted = { 202: { description: 'Accepted: being verified against Xero', schema: started } };
const postErrors = { 409: ['not_connected'], 422: ['links_rejected'], 503: ['temporal_unavailable'] };

function linkRoutes(base: string, who: Pick<RouteDoc, 'tag' | 'roles'>, readers: RouteDoc['roles'], ids: { post: string; get: string }, guards: Record<number, string[]>): RouteDoc[] {
  return [
    { ...who, auth: 'bearer', method: 'post', path: base, operationId: ids.post, summary: 'Import links to records Xero already holds', description, params: orgParams, body: { schema: linkImportBody }, responses: posted, errors: { ...guards, ...postErrors } },
    { ...who, roles: readers, auth: 'bearer', method: 'get', path: `${base}/:importId`, operationId: ids.get, summary: 'A link import: verifying, applied, rejected (each row\'s problem) or failed', params: importParams, responses: { 200: { description: 'The import', schema: linkImport } }, errors: guards },
  ];
}

export const linkImportRoutes: RouteDoc[] = [
  ...linkRoutes('/api/orgs/:orgId/integrations/xero/links', { tag: 'integrations', roles: ['client_admin'] }, ['client_admin', 'service'], { post: 'importXeroLinks', get: 'getXeroLinkImport' }, { 403: ['forbidden', 'plan_required'], 404: ['not_found'] }),
  ...linkRoutes('/api/admin/integrations/xero/:orgId/links', { tag: 'admin', roles: ['platform_admin'] }, ['platform_admin'], { post: 'importXeroLinksAsAdmin', get: 'getXeroLinkImportAsAdmin' }, { 403: ['forbidden'], 404: ['not_found'] }),
];
