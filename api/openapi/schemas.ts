/**
 * Zod schemas of the API's main answers, for the OpenAPI document (the request schemas live beside their
 * handlers, which validate with them). Shapes follow what the handlers answer; where an answer carries a
 * stored row as is, the schema names the fields a client relies on and allows the rest.
 */
import { z } from 'zod';
import { recordTypes, syncStates } from '../../db/schema/index.ts';
import { syncStatuses } from '../routes/admin/sync-status.ts';
import { integrationCardSchema } from '../routes/integrations/xero/card.ts';

const instant = z.iso.datetime({ offset: true });

/** RFC 9457 problem details, every error of the API but the webhook's (Xero wants empty bodies). */
export const problemSchema = z.object({
  type: z.string().meta({ description: 'Always `about:blank`: `code` is the stable identifier.' }),
  title: z.string(),
  status: z.number().int(),
  code: z.string().meta({ description: 'Stable, for programs: what went wrong.' }),
  detail: z.string().meta({ description: 'What happened and what to do about it.' }),
  errors: z
    .array(z.object({ path: z.string().meta({ description: 'e.g. `body.lines.0.quantity`' }), message: z.string() }))
    .optional()
    .meta({ description: 'For 422 `validation_failed`: every offending field, so all can be fixed at once.' }),
});

export const syncStateSchema = z
  .object({
    state: z.enum(syncStates),
    xeroId: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable().meta({ description: "Xero's own words" }),
    lastErrorHint: z.string().nullable().meta({ description: 'What to do about it' }),
    syncedAt: instant.nullable(),
    updatedAt: instant,
  })
  .nullable();

/** A record as stored (the fields the main app sent, normalised, with our timestamps) and its sync state. */
export const recordViewSchema = z.looseObject({ id: z.string(), orgId: z.string(), sync: syncStateSchema });

export const batchAcceptedSchema = z.object({
  accepted: z.number().int(),
  changed: z.number().int().meta({ description: 'Records new or different from what was stored: only these are pushed.' }),
  items: z.array(z.object({ id: z.string(), changed: z.boolean() })),
});

export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.string(), temporal: z.string() }).meta({ description: '`ok`, or why not' }),
});

export const planSchema = z.object({ orgId: z.string(), integrations: z.boolean() });

export const consentStartedSchema = z.object({
  type: z.literal('oauth'),
  consentUrl: z.url().meta({ description: "Xero's consent page: send the admin's browser there." }),
  expiresAt: instant,
});

export const cardSchema = integrationCardSchema;

export const disconnectedSchema = integrationCardSchema.extend({
  xero: z.object({ connectionRemoved: z.boolean(), grantRevoked: z.boolean(), message: z.string() }),
});

export const tenantsSchema = z.object({
  status: z.string(),
  tenants: z.array(z.object({ tenantId: z.string(), tenantName: z.string().nullable(), current: z.boolean(), linkedElsewhere: z.boolean() })),
});

export const settingsViewSchema = z.looseObject({
  clientId: z.string().nullable(),
  clientSecretSet: z.boolean().meta({ description: 'Write-only: whether a secret is stored, never what it is.' }),
  effective: z.looseObject({}).meta({ description: 'What the sync uses: these settings over the deployment defaults.' }),
  updatedAt: instant.nullable(),
});

export const mappingsViewSchema = z.object({
  serviceAccounts: z.record(z.string(), z.string()),
  taxTypes: z.record(z.string(), z.string()),
  checkedAgainstXero: z.boolean().optional(),
});

export const testConnectionSchema = z.object({
  ok: z.boolean(),
  checks: z.array(
    z.object({
      check: z.enum(['credentials', 'organisation', 'scopes', 'currency', 'account_codes', 'tax_types', 'bank_account']),
      status: z.enum(['pass', 'fail', 'warn', 'skipped']),
      message: z.string(),
    }),
  ),
});

export const callbackAnswerSchema = z.looseObject({
  code: z.enum(['connected', 'awaiting_tenant']),
  message: z.string(),
  card: integrationCardSchema.optional(),
  tenants: z.array(z.object({ tenantId: z.string(), tenantName: z.string().nullable() })).optional(),
});

/** The troubleshooting guide's status shape, with what a platform admin diagnoses with beside it. */
export const adminStatusSchema = z.looseObject({
  connected: z.boolean(),
  token_expires_at: instant.nullable(),
  last_sync: instant.nullable(),
  sync_status: z.enum(syncStatuses),
  pending_syncs: z.number().int(),
  failed_syncs: z.number().int(),
  errors: z.array(z.object({ type: z.enum([...recordTypes, 'connection']), message: z.string(), timestamp: instant, record_id: z.string().nullable() })),
  organization_id: z.string(),
  connection_status: z.string().nullable(),
  xero_tenant_id: z.string().nullable(),
  paused_reason: z.string().nullable(),
  progress: z.looseObject({ resync_id: z.string(), total: z.number().int(), done: z.number().int(), percent: z.number().int(), eta_seconds: z.number().int() }).nullable(),
  reconciliation: z.looseObject({ last_run_at: instant }).nullable(),
  workflow: z.looseObject({}).nullable(),
  workflow_unavailable: z.string().nullable(),
});

export const retryAcceptedSchema = z.object({
  requeued: z.number().int(),
  not_found: z.array(z.string()),
  not_failed: z.array(z.object({ record_id: z.string(), state: z.enum(syncStates) })),
  workflow_notified: z.boolean(),
});

export const resyncAcceptedSchema = z.object({
  resync_id: z.string(),
  sync_types: z.array(z.enum(recordTypes)),
  since: instant.nullable(),
  started_at: instant,
  total: z.number().int(),
  requeued: z.number().int(),
  eta_seconds: z.number().int(),
  workflow_notified: z.boolean(),
});

/** Named in `#/components/schemas`: answers several routes share. */
export const components = {
  Problem: problemSchema,
  SyncState: syncStateSchema,
  Record: recordViewSchema,
  BatchAccepted: batchAcceptedSchema,
  IntegrationCard: integrationCardSchema,
} satisfies Record<string, z.ZodType>;
