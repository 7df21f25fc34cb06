/**
 * `GET /api/admin/integrations/xero?q=&health=&attention=&limit=&offset=`: every organisation for the
 * platform admin's console, those needing attention first (re-authorisation, an organisation to pick,
 * failed records), with connection state, health, pending and failed counts and the last sync.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { consoleHealths, listConsoleOrganisations } from '../../../db/queries/console-organisations.ts';
import { validationError } from '../../errors.ts';
import type { AdminContext } from './deps.ts';

export const consoleListQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  health: z.enum(consoleHealths, { message: `expected one of ${consoleHealths.join(', ')}` }).optional(),
  attention: z.enum(['true', 'false'], { message: 'expected true or false' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const consoleListAnswer = z.object({
  organisations: z.array(
    z.object({
      organization_id: z.string(),
      name: z.string().nullable(),
      xero_tenant_name: z.string().nullable(),
      connection_status: z.string().nullable(),
      auth_type: z.string().nullable(),
      plan_includes_integrations: z.boolean(),
      health: z.enum(consoleHealths),
      needs_attention: z.boolean(),
      pending_syncs: z.number(),
      failed_syncs: z.number(),
      last_sync: z.string().nullable(),
      token_expires_at: z.string().nullable(),
      last_error: z.string().nullable(),
    }),
  ),
  total: z.number(),
  next_offset: z.number().nullable(),
});
export type ConsoleListAnswer = z.output<typeof consoleListAnswer>;

export function getConsoleOrganisations({ db }: AdminContext): RequestHandler {
  return async (req, res) => {
    const query = consoleListQuery.safeParse(req.query);
    if (!query.success) throw validationError(query.error, 'query');
    const { q, health, attention, limit, offset } = query.data;
    const { rows, total } = await listConsoleOrganisations(db, { q: q || undefined, health, attentionOnly: attention === 'true', limit, offset });
    const answer: ConsoleListAnswer = {
      organisations: rows.map((r) => ({
        organization_id: r.orgId,
        name: r.name,
        xero_tenant_name: r.xeroTenantName,
        connection_status: r.connectionStatus,
        auth_type: r.authType,
        plan_includes_integrations: r.planIncludesIntegrations,
        health: r.health,
        needs_attention: r.needsAttention,
        pending_syncs: r.pending,
        failed_syncs: r.failed,
        last_sync: r.lastSyncAt?.toISOString() ?? null,
        token_expires_at: r.tokenExpiresAt?.toISOString() ?? null,
        last_error: r.lastError,
      })),
      total,
      next_offset: offset + rows.length < total ? offset + rows.length : null,
    };
    res.json(answer);
  };
}
