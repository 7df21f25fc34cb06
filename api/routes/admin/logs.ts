/**
 * `GET /api/admin/integrations/xero/{organization_id}/logs` (and the organisation's own
 * `GET /api/orgs/{orgId}/integrations/xero/logs`): the sync log, newest first, a page at a time.
 *
 * Query: `type` (`contacts`, `invoices`, `payments`, `expenses`, or the singular), `record_id`, `outcome`
 * (`ok`, `failed`, `retrying`, `skipped`, `deferred`), `since` (ISO 8601), `cursor` (the previous page's
 * `next_cursor`), `limit` (1 to 200, default 50). A bad parameter is a 422 naming it.
 *
 * Answers `{ entries: [{ id, at, record_type, record_id, action, outcome, message, hint }], next_cursor }`:
 * `message` is Xero's own words (null when Xero said nothing), `hint` ours; `next_cursor` is null on the
 * last page.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/client.ts';
import { listSyncLog, type SyncLogRow } from '../../../db/queries/sync-log.ts';
import { recordTypes, syncLogOutcomes, type RecordType } from '../../../db/schema/index.ts';
import { validationError } from '../../errors.ts';
import { isoInstant } from '../dates.ts';
import { recordId } from '../record-bodies.ts';
import { syncTypeName, syncTypeNameOf } from '../sync/record-type-names.ts';
import type { AdminContext } from './deps.ts';
import { organisationOf } from './organisation-param.ts';

export const DEFAULT_LOG_PAGE = 50;
export const MAX_LOG_PAGE = 200;

/** The cursor is the last entry's id, opaque to callers. */
const encodeCursor = (id: number) => Buffer.from(`log:${id}`).toString('base64url');
const cursor = z.string().transform((value, ctx) => {
  const match = /^log:(\d{1,18})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) {
    ctx.addIssue({ code: 'custom', message: 'not a cursor from this endpoint: pass next_cursor from the previous page as it is' });
    return z.NEVER;
  }
  return Number(match[1]);
});

export const logsQuery = z.strictObject({
  type: syncTypeName.optional(),
  record_id: recordId.optional(),
  outcome: z.enum(syncLogOutcomes, { message: `expected one of ${syncLogOutcomes.join(', ')}` }).optional(),
  since: isoInstant('expected an ISO 8601 date-time, e.g. 2025-01-01T00:00:00Z').optional(),
  cursor: cursor.optional(),
  limit: z.coerce
    .number({ message: `expected a whole number from 1 to ${MAX_LOG_PAGE}` })
    .int(`expected a whole number from 1 to ${MAX_LOG_PAGE}`)
    .min(1, `expected a whole number from 1 to ${MAX_LOG_PAGE}`)
    .max(MAX_LOG_PAGE, `at most ${MAX_LOG_PAGE} entries a page`)
    .default(DEFAULT_LOG_PAGE),
});

export function getXeroLogs(ctx: AdminContext): RequestHandler {
  return async (req, res) => {
    const { id: orgId } = await organisationOf(ctx.db, req);
    res.json(await readSyncLog(ctx.db, { orgId, query: req.query }));
  };
}

export async function readSyncLog(db: DbOrTx, { orgId, query: raw }: { orgId: string; query: unknown }) {
  const query = logsQuery.safeParse(raw ?? {});
  if (!query.success) throw validationError(query.error, 'query');
  const { type, record_id, outcome, since, cursor: beforeId, limit } = query.data;
  // One more than asked for says whether there is a next page.
  const rows = await listSyncLog(db, { orgId, recordType: type, recordId: record_id, outcome, since: since ? new Date(since) : undefined, beforeId, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { entries: page.map(presentLogEntry), next_cursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null };
}

export function presentLogEntry(row: SyncLogRow) {
  const type = recordTypes.includes(row.recordType as RecordType) ? syncTypeNameOf(row.recordType as RecordType) : row.recordType;
  return {
    id: String(row.id),
    at: row.createdAt.toISOString(),
    record_type: type,
    record_id: row.recordId,
    action: row.action,
    outcome: row.outcome,
    message: row.xeroMessage,
    hint: row.message,
  };
}
