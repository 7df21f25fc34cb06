/**
 * Importing existing links ("Migrate: assigns the old data to an organisation to prevent data loss"): an
 * organisation whose contacts and invoices were synced to Xero before, by something else, says which Xero
 * record each of its records is, and from then on they are updated, never created again.
 *
 *   POST .../links  `{ "links": [{ "type", "record_id", "xero_id" }] }` (up to 10,000)
 *     - 422 `links_rejected` with `problems: [{ row, record_id, xero_id, problem }]` for what can be told at
 *       once (malformed rows, duplicates, a record or Xero id linked already): nothing is stored;
 *     - else 202: the import is verified against Xero by its own workflow (reading 10,000 ids takes minutes
 *       within the organisation's budget), then applied all or nothing;
 *   GET .../links/{importId}: `verifying`, `applied`, `rejected` (with each row's problem) or `failed`.
 *
 * Mounted for a client admin (`/api/orgs/{orgId}/integrations/xero/links`) and a platform admin
 * (`/api/admin/integrations/xero/{organization_id}/links`); the routers check who may call.
 */
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import type { Logger } from '../../../config/logger.ts';
import { getConnection } from '../../../db/queries/connections.ts';
import { abandonLinkImport, createLinkImport, getLinkImport, getLinkImportProblems, linkProblems } from '../../../db/queries/xero-links.ts';
import type { LinkImportWorkflows } from '../../../workflows/client/link-imports.ts';
import { HttpError, notFound, validationError } from '../../errors.ts';
import { orgIdOf } from '../params.ts';
import { linkImportBody, parseLinkRows, presentRowProblems, type LinkProblem } from './link-rows.ts';

export interface LinkImportDeps {
  db: Db;
  logger: Logger;
  linkImports: LinkImportWorkflows;
}

const importIdParam = z.uuid('expected an import id');

export function postLinkImport({ db, logger, linkImports }: LinkImportDeps): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const body = linkImportBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);
    if ((await getConnection(db, { orgId }))?.status !== 'connected') {
      throw new HttpError(409, 'not_connected', 'Connect Xero first: imported links are checked against the connected Xero organisation.');
    }
    const { rows, problems } = parseLinkRows(body.data.links);
    problems.push(...presentRowProblems(rows, await linkProblems(db, { orgId, rows })));
    if (problems.length > 0) throw rejected(problems, body.data.links.length);

    const importId = await db.transaction((tx) => createLinkImport(tx, { orgId, rows, requestedBy: req.principal?.subject }));
    try {
      await linkImports.start(orgId, importId);
    } catch (err) {
      logger.warn({ orgId, importId, err: err instanceof Error ? err.message : String(err) }, 'could not start the link import');
      await db.transaction((tx) => abandonLinkImport(tx, { orgId, importId, message: 'Temporal could not be reached to verify the links' }));
      throw new HttpError(503, 'temporal_unavailable', 'The links could not be queued for verification (Temporal is unreachable): nothing was applied; send them again in a few minutes.');
    }
    const statusUrl = `${req.originalUrl.replace(/\/+$/, '').split('?')[0]}/${importId}`;
    res.status(202).location(statusUrl).json({ ...(await present(db, orgId, importId)), status_url: statusUrl });
  };
}

export function getLinkImportStatus({ db }: LinkImportDeps): RequestHandler {
  return async (req, res) => {
    res.json(await present(db, orgIdOf(req), importIdOf(req)));
  };
}

function importIdOf(req: Request): string {
  const id = importIdParam.safeParse(req.params.importId);
  if (!id.success) throw validationError(id.error, 'path.importId');
  return id.data;
}

function rejected(problems: LinkProblem[], total: number): HttpError {
  problems.sort((a, b) => a.row - b.row);
  return new HttpError(
    422,
    'links_rejected',
    `${problems.length} of ${total} link(s) cannot be applied, so none was: fix the rows listed in problems and send them all again.`,
    undefined,
    { problems },
  );
}

async function present(db: Db, orgId: string, importId: string) {
  const row = await getLinkImport(db, { orgId, importId });
  if (!row) throw notFound('link import');
  const problems = row.status === 'rejected' ? await getLinkImportProblems(db, { orgId, importId }) : [];
  return {
    id: row.id,
    status: row.status,
    rows: row.rows,
    linked_records: row.linkedRecords,
    pending_records: row.pendingRecords,
    message: row.message,
    problems: problems.map((p) => ({ row: p.row, record_id: p.recordId, xero_id: p.xeroId, problem: p.problem! })),
    created_at: row.createdAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
