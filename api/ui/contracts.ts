/**
 * Answers the pages read whose routes build them inline rather than from a declared schema: the status
 * (the same body for the admin's and the organisation's route), the organisation picker's list and the
 * sync log. Declared here once, as zod, so the pages' types come from a schema, and the browser tests
 * parse every live answer with it: if a route's answer drifts from what the pages expect, they fail.
 */
import { z } from 'zod';
import { degradedReasons, syncActivities, syncStatuses } from '../../lib/sync-status.ts';

const counts = z.object({ pending: z.number(), synced: z.number(), failed: z.number(), skipped: z.number() });

export const statusAnswer = z.looseObject({
  connected: z.boolean(),
  token_expires_at: z.string().nullable(),
  last_sync: z.string().nullable(),
  sync_status: z.enum(syncStatuses),
  sync_activity: z.enum(syncActivities),
  degraded_reason: z.enum(degradedReasons).nullable(),
  pending_syncs: z.number(),
  failed_syncs: z.number(),
  errors: z.array(z.object({ type: z.string(), message: z.string(), timestamp: z.string(), record_id: z.string().nullable() })),
  connection_status: z.string().nullable().optional(),
  xero_tenant_name: z.string().nullable().optional(),
  paused_reason: z.string().nullable().optional(),
  records_by_type: z.record(z.string(), counts).optional(),
  progress: z
    .object({
      resync_id: z.string(),
      sync_types: z.array(z.string()),
      started_at: z.string(),
      total: z.number(),
      done: z.number(),
      failed: z.number(),
      percent: z.number(),
      eta_seconds: z.number(),
      finished: z.boolean(),
    })
    .nullable()
    .optional(),
  reconciliation: z
    .looseObject({
      last_run_at: z.string(),
      trigger: z.string(),
      drift: z.looseObject({ total: z.number(), examples: z.array(z.object({ kind: z.string(), record: z.string(), xero_id: z.string().nullable(), detail: z.string() })) }),
      note: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  warnings: z.array(z.object({ type: z.string(), message: z.string() })).optional(),
  revenue_recognition: z
    .looseObject({
      deferred_revenue_account_code: z.string().nullable(),
      base_currency: z.string().nullable(),
      total_net: z.string(),
      earned: z.string(),
      unearned: z.string(),
      last_journal: z.looseObject({ period: z.string(), date: z.string() }).nullable(),
      warning: z.string().nullable(),
    })
    .optional(),
  workflow: z.looseObject({ phase: z.string() }).nullable().optional(),
  workflow_unavailable: z.object({ reason: z.string(), detail: z.string() }).nullable().optional(),
});
export type StatusAnswer = z.output<typeof statusAnswer>;

export const tenantsAnswer = z.object({
  status: z.string(),
  tenants: z.array(z.object({ tenantId: z.string(), tenantName: z.string().nullable(), current: z.boolean(), linkedElsewhere: z.boolean() })),
});
export type TenantsAnswer = z.output<typeof tenantsAnswer>;

export const logsAnswer = z.object({
  entries: z.array(
    z.object({
      id: z.union([z.string(), z.number()]),
      at: z.string(),
      record_type: z.string().nullable(),
      record_id: z.string().nullable(),
      action: z.string(),
      outcome: z.string(),
      message: z.string().nullable(),
      hint: z.string().nullable().optional(),
    }),
  ),
  next_cursor: z.string().nullable(),
});
export type LogsAnswer = z.output<typeof logsAnswer>;
