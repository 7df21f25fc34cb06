/**
 * An organisation's sync health in the admin guide's shape (`connected`, `token_expires_at`, `last_sync`,
 * `sync_status`, `pending_syncs`, `failed_syncs`, `errors[]`), plus what an admin diagnoses with: what the
 * sync is doing (`sync_activity`), why it is degraded or paused, the connection's own status, the contact
 * limit, counts per record type, the latest resync's progress, the latest reconciliation's drift report,
 * revenue recognition's totals and the workflow's view. One builder for the platform admin's route and the organisation's own.
 *
 * Built from the database; the workflow's part is `null` (with `workflow_unavailable` saying why) when
 * Temporal does not answer in time, so the page works during the outage it helps diagnose.
 */
import { getConnection, getLastSyncAt } from '../../../db/queries/connections.ts';
import { countSyncStates, latestOrganisationProblem, listCurrentFailures, type SyncCount } from '../../../db/queries/admin-status.ts';
import { latestResyncProgress } from '../../../db/queries/resync-runs.ts';
import { latestReconciliationRun } from '../../../db/queries/reconciliation-runs.ts';
import { recentPushOutcomes } from '../../../db/queries/sync-log.ts';
import { getContactLimitHold } from '../../../db/queries/xero-contact-limits.ts';
import { recordTypes, syncStates, type RecordType, type SyncState } from '../../../db/schema/index.ts';
import type { AdminContext } from './deps.ts';
import { presentReconciliation } from './reconciliation-report.ts';
import { presentResyncProgress } from './resync-progress.ts';
import { presentRevenueRecognition } from './revenue-report.ts';
import { revenueRecognitionSummary } from '../revenue/summary.ts';
import { listStatusErrors } from './status-errors.ts';
import { deriveSyncStatus, RECENT_PUSH_WINDOW } from '../../../lib/sync-status.ts';
import { presentWorkflow, probeOrgWorkflow } from './workflow-status.ts';
import { parseScopes, scopeWarnings } from '../../../xero/scopes.ts';

export async function buildStatusReport(ctx: AdminContext, { orgId, planIncludesIntegrations }: { orgId: string; planIncludesIntegrations: boolean }) {
  const { db, admin } = ctx;
  // One snapshot for every count, so progress and pending never disagree mid-push.
  const snapshot = db.transaction(
    async (tx) => ({
      connection: await getConnection(tx, { orgId }),
      counts: await countSyncStates(tx, { orgId }),
      lastSync: await getLastSyncAt(tx, { orgId }),
      failures: await listCurrentFailures(tx, { orgId, limit: admin.errorLimit }),
      problem: await latestOrganisationProblem(tx, { orgId }),
      recentPushes: await recentPushOutcomes(tx, { orgId, window: RECENT_PUSH_WINDOW }),
      contactLimit: await getContactLimitHold(tx, { orgId }),
      resync: await latestResyncProgress(tx, { orgId }),
      reconciliation: await latestReconciliationRun(tx, { orgId }),
    }),
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const [facts, probe, revenue] = await Promise.all([
    snapshot,
    probeOrgWorkflow(ctx.temporal, orgId, admin.temporalTimeoutMs),
    revenueRecognitionSummary(db, { orgId, defaults: ctx.settingsDefaults }),
  ]);
  const { connection, counts, lastSync, failures, problem, recentPushes, contactLimit, resync, reconciliation } = facts;

  const byType = countsByType(counts);
  const total = (state: SyncState) => recordTypes.reduce((sum, type) => sum + byType[type][state], 0);
  const derived = deriveSyncStatus({
    connectionStatus: connection?.status,
    planIncludesIntegrations,
    pending: total('pending') - (contactLimit ? contactLimit.waiting + contactLimit.waitingBehind : 0),
    recentPushes,
    contactLimitReached: contactLimit !== undefined,
    workflow: probe.status,
  });

  return {
    connected: connection?.status === 'connected',
    token_expires_at: connection?.tokenExpiresAt?.toISOString() ?? null,
    last_sync: lastSync?.toISOString() ?? null,
    sync_status: derived.status,
    pending_syncs: total('pending'),
    failed_syncs: total('failed'),
    errors: listStatusErrors({ derived, connection, failures, problem, contactLimit, workflow: probe.status, lastSync, now: new Date(), limit: admin.errorLimit }),
    // What the sync does without (not errors: it runs), e.g. checks skipped for a scope the app lacks.
    warnings: scopeWarnings(parseScopes(connection?.scopes), { revenueRecognition: revenue.deferredRevenueAccountCode !== null }),
    sync_activity: derived.activity,
    degraded_reason: derived.degradedReason,
    paused_reason: derived.pausedReason,
    organization_id: orgId,
    connection_status: connection?.status ?? null,
    xero_tenant_id: connection?.xeroTenantId ?? null,
    xero_tenant_name: connection?.xeroTenantName ?? null,
    skipped_syncs: total('skipped'),
    recent_pushes: { window: RECENT_PUSH_WINDOW, ok: recentPushes.ok, failed: recentPushes.failed },
    contact_limit: contactLimit
      ? {
          reached_at: contactLimit.reachedAt.toISOString(),
          retry_at: contactLimit.retryAt.toISOString(),
          waiting_contacts: contactLimit.waiting,
          waiting_behind_them: contactLimit.waitingBehind,
          xero_message: contactLimit.xeroMessage,
        }
      : null,
    records_by_type: byType,
    progress: resync ? presentResyncProgress(resync, admin.pacing) : null,
    reconciliation: reconciliation ? presentReconciliation(reconciliation) : null,
    revenue_recognition: presentRevenueRecognition(revenue),
    workflow: probe.status ? presentWorkflow(probe.status) : null,
    workflow_unavailable: probe.unavailable ?? null,
  };
}

export type StatusReport = Awaited<ReturnType<typeof buildStatusReport>>;

function countsByType(counts: SyncCount[]): Record<RecordType, Record<SyncState, number>> {
  const zero = () => Object.fromEntries(syncStates.map((s) => [s, 0])) as Record<SyncState, number>;
  const byType = Object.fromEntries(recordTypes.map((t) => [t, zero()])) as Record<RecordType, Record<SyncState, number>>;
  for (const c of counts) byType[c.recordType][c.state] += c.count;
  return byType;
}
