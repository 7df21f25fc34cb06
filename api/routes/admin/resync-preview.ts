/**
 * `GET /api/admin/integrations/xero/{organization_id}/resync/preview?sync_types=contacts,invoices&since=`:
 * what `POST .../resync` with the same scope would push, and how long that takes at Xero's pace, so the
 * console shows both before the admin confirms. Changes nothing.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { previewResync } from '../../../db/queries/resync-preview.ts';
import { recordTypes, type RecordType } from '../../../db/schema/index.ts';
import { syncTypeName, syncTypeNameOf, SYNC_TYPE_NAMES } from '../sync/record-type-names.ts';
import { validationError } from '../../errors.ts';
import { isoInstant } from '../dates.ts';
import type { AdminContext } from './deps.ts';
import { organisationOf } from './organisation-param.ts';
import { resyncEtaSeconds } from './resync-progress.ts';

const syncTypeNames = Object.values(SYNC_TYPE_NAMES) as [string, ...string[]];

export const resyncPreviewQuery = z.strictObject({
  /** Comma-separated, as in a URL; omitted: every type. */
  sync_types: z
    .string()
    .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(syncTypeName).min(1, 'omit sync_types to preview every type'))
    .optional(),
  since: isoInstant('expected an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z').optional(),
});

export const resyncPreviewAnswer = z.object({
  /** The guide's plural names, as the resync answers them. */
  sync_types: z.array(z.enum(syncTypeNames)),
  since: z.string().nullable(),
  total: z.number(),
  by_type: z.partialRecord(z.enum(syncTypeNames), z.number()),
  eta_seconds: z.number(),
});
export type ResyncPreviewAnswer = z.output<typeof resyncPreviewAnswer>;

export function getResyncPreview(ctx: AdminContext): RequestHandler {
  return async (req, res) => {
    const { id: orgId } = await organisationOf(ctx.db, req);
    const query = resyncPreviewQuery.safeParse(req.query);
    if (!query.success) throw validationError(query.error, 'query');
    const types = recordTypes.filter((t) => (query.data.sync_types ?? recordTypes).includes(t));
    const since = query.data.since ? new Date(query.data.since) : undefined;
    const byType = await previewResync(ctx.db, { orgId, recordTypes: types, since });
    const total = Object.values(byType).reduce((a, b) => a + b, 0);
    const answer: ResyncPreviewAnswer = {
      sync_types: types.map(syncTypeNameOf),
      since: since?.toISOString() ?? null,
      total,
      by_type: Object.fromEntries(Object.entries(byType).map(([type, n]) => [syncTypeNameOf(type as RecordType), n])),
      eta_seconds: resyncEtaSeconds(total, ctx.admin.pacing),
    };
    res.json(answer);
  };
}
