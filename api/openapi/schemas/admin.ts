/** Answers of the sync diagnosis (the admin troubleshooting guide's status, logs, retry and resync). */
import { z } from 'zod';
import { connectionStatuses, recordTypes, syncLogOutcomes, syncStates } from '../../../db/schema/index.ts';
import { statusErrorTypes } from '../../routes/admin/status-errors.ts';
import { degradedReasons, syncActivities, syncStatuses } from '../../../lib/sync-status.ts';
import { SYNC_TYPE_NAMES } from '../../routes/sync/record-type-names.ts';
import { instant } from './common.ts';
import { revenueStatusSchema } from './revenue.ts';

const count = z.number().int().min(0);
const syncTypeName = z.enum(Object.values(SYNC_TYPE_NAMES) as [string, ...string[]]);

const resyncProgress = z.object({
  resync_id: z.string(),
  sync_types: z.array(syncTypeName),
  since: instant.nullable(),
  started_at: instant,
  requested_by: z.string().nullable(),
  total: count,
  done: count,
  failed: count,
  percent: z.number().int().min(0).max(100),
  eta_seconds: count,
  finished: z.boolean(),
});

const reconciliation = z.object({
  last_run_at: instant,
  started_at: instant,
  trigger: z.string(),
  xero_calls: count,
  payments_seen: count,
  invoices_seen: count,
  drift: z.looseObject({ total: count, examples: z.array(z.looseObject({ kind: z.string() })) }).meta({ description: 'What no webhook had announced, found and repaired by the sweep' }),
  note: z.string().nullable(),
});

/** The troubleshooting guide's status shape, with what an admin diagnoses with beside it. */
export const statusReportSchema = z.object({
  connected: z.boolean(),
  token_expires_at: instant.nullable(),
  last_sync: instant.nullable(),
  sync_status: z.enum(syncStatuses),
  pending_syncs: count,
  failed_syncs: count,
  errors: z.array(
    z.object({
      type: z.enum(statusErrorTypes),
      message: z.string(),
      timestamp: instant,
      record_id: z.string().nullable(),
      xero_message: z.string().nullable().meta({ description: "Xero's own words, when Xero said something" }),
      hint: z.string().nullable().meta({ description: 'What to do about it' }),
    }),
  ),
  warnings: z
    .array(z.object({ type: z.literal('scope'), scope: z.string(), message: z.string() }))
    .meta({ description: 'What works only in part: a scope the connection lacks, and what goes unchecked for it' }),
  sync_activity: z.enum(syncActivities),
  degraded_reason: z.enum(degradedReasons).nullable(),
  paused_reason: z.string().nullable(),
  organization_id: z.string(),
  connection_status: z.enum(connectionStatuses).nullable(),
  xero_tenant_id: z.string().nullable(),
  xero_tenant_name: z.string().nullable(),
  skipped_syncs: count,
  recent_pushes: z.object({ window: count, ok: count, failed: count }),
  contact_limit: z
    .object({ reached_at: instant, retry_at: instant, waiting_contacts: count, waiting_behind_them: count, xero_message: z.string().nullable() })
    .nullable(),
  records_by_type: z.object(Object.fromEntries(recordTypes.map((t) => [t, z.object(Object.fromEntries(syncStates.map((s) => [s, count])))]))),
  progress: resyncProgress.nullable().meta({ description: "The latest resync's progress" }),
  reconciliation: reconciliation.nullable().meta({ description: "The latest reconciliation sweep's drift report" }),
  revenue_recognition: revenueStatusSchema,
  workflow: z.looseObject({ phase: z.string() }).nullable().meta({ description: "The organisation workflow's own view (its status query), when Temporal answers in time" }),
  workflow_unavailable: z.object({ reason: z.enum(['not_started', 'no_answer']), detail: z.string() }).nullable(),
});

export const retryAnswerSchema = z.object({
  sync_type: syncTypeName,
  requeued: count,
  retried: z.array(z.string()).nullable().meta({ description: 'The ids retried, when `record_ids` was given' }),
  not_retried: z.array(z.object({ record_id: z.string(), reason: z.enum(['not_found', 'not_failed']), state: z.enum(syncStates).optional(), message: z.string() })),
  not_found: z.array(z.string()),
  not_failed: z.array(z.object({ record_id: z.string(), state: z.enum(syncStates) })),
  contact_limit_cleared: z.boolean(),
  workflow_notified: z.boolean(),
});

export const resyncAcceptedSchema = z.object({
  resync_id: z.string(),
  sync_types: z.array(syncTypeName),
  since: instant.nullable(),
  started_at: instant,
  total: count,
  requeued: count,
  eta_seconds: count,
  workflow_notified: z.boolean(),
});

export const syncLogPageSchema = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: instant,
      record_type: z.string().nullable(),
      record_id: z.string().nullable(),
      action: z.string(),
      outcome: z.enum(syncLogOutcomes),
      message: z.string().nullable().meta({ description: "Xero's own words (null when Xero said nothing)" }),
      hint: z.string().nullable().meta({ description: 'Ours: what to do' }),
    }),
  ),
  next_cursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
});
