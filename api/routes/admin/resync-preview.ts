/**
 * `GET /api/admin/integrations/xero/{organization_id}/resync/preview?sync_types=contact,invoice&since=`:
 * what `POST .../resync` with the same scope would push, and how long that takes at Xero's pace, so the
 * console shows both before the admin confirms. Changes nothing.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { previewResync } from '../../../db/queries/resync-preview.ts';
import { recordTypes } from '../../../db/schema/index.ts';
import { validationError } from '../../errors.ts';
import type { AdminContext } from './deps.ts';
import { organisationOf } from './organisation-param.ts';
import { resyncEtaSeconds } from './resync-progress.ts';

export const resyncPreviewQuery = z.strictObject({
  /** Comma-separated, as in a URL; omitted: every type. */
  sync_types: z
    .string()
    .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.enum(recordTypes, { message: `expected a comma-separated list of ${recordTypes.join(', ')}` })).min(1))
    .optional(),
  since: z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z' }).optional(),
});

export const resyncPreviewAnswer = z.object({
  sync_types: z.array(z.enum(recordTypes)),
  since: z.string().nullable(),
  total: z.number(),
  by_type: z.record(z.enum(recordTypes), z.number()),
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
      sync_types: types,
      since: since?.toISOString() ?? null,
      total,
      by_type: byType,
      eta_seconds: resyncEtaSeconds(total, ctx.admin.pacing),
    };
    res.json(answer);
  };
}
