/**
 * `GET /api/admin/integrations/xero/{organization_id}/status`: an organisation's sync health in the
 * seed's shape (`connected`, `token_expires_at`, `last_sync`, `sync_status`, `pending_syncs`,
 * `failed_syncs`, `errors[]`), plus what a platform admin diagnoses with: the connection's own status,
 * why it is paused, counts per record type, the latest resync's progress, the latest reconciliation
 * sweep's drift report and the workflow's view.
 *
 * Built from the database; the workflow's part is `null` (with `workflow_unavailable` saying why) when
 * Temporal does not answer in time, so this page works during the outage it helps diagnose.
 */
import type { RequestHandler } from 'express';
import { getConnection, getLastSyncAt, type XeroConnectionRow } from '../../../db/queries/connections.ts';
import { countSyncStates, latestOrganisationProblem, listCurrentFailures, type RecordFailure, type SyncCount } from '../../../db/queries/admin-status.ts';
import { latestResyncProgress } from '../../../db/queries/resync-runs.ts';
import { latestReconciliationRun } from '../../../db/queries/reconciliation-runs.ts';
import { recordTypes, syncStates, type RecordType, type SyncState } from '../../../db/schema/index.ts';
import type { AdminContext } from './deps.ts';
import { organisationOf } from './organisation-param.ts';
import { presentReconciliation } from './reconciliation-report.ts';
import { presentResyncProgress } from './resync-progress.ts';
import { deriveSyncStatus, type SyncStatus } from './sync-status.ts';
import { presentWorkflow, probeOrgWorkflow } from './workflow-status.ts';
import { parseScopes, scopeWarnings } from '../../../xero/scopes.ts';

export interface StatusError {
  /** The record type, or `connection` for an organisation-wide problem. */
  type: RecordType | 'connection';
  /** Xero's message (or ours), then what to do about it. */
  message: string;
  timestamp: string;
  record_id: string | null;
}

export function getXeroStatus(ctx: AdminContext): RequestHandler {
  return async (req, res) => {
    const organisation = await organisationOf(ctx.db, req);
    const orgId = organisation.id;
    const { db, admin } = ctx;
    // One snapshot for every count, so progress and pending never disagree mid-push.
    const snapshot = db.transaction(
      async (tx) => ({
        connection: await getConnection(tx, { orgId }),
        counts: await countSyncStates(tx, { orgId }),
        lastSync: await getLastSyncAt(tx, { orgId }),
        failures: await listCurrentFailures(tx, { orgId, limit: admin.errorLimit }),
        problem: await latestOrganisationProblem(tx, { orgId }),
        resync: await latestResyncProgress(tx, { orgId }),
        reconciliation: await latestReconciliationRun(tx, { orgId }),
      }),
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const [{ connection, counts, lastSync, failures, problem, resync, reconciliation }, probe] = await Promise.all([
      snapshot,
      probeOrgWorkflow(ctx.temporal, orgId, admin.temporalTimeoutMs),
    ]);

    const byType = countsByType(counts);
    const total = (state: SyncState) => recordTypes.reduce((sum, type) => sum + byType[type][state], 0);
    const { status, pausedReason } = deriveSyncStatus({
      connectionStatus: connection?.status,
      planIncludesIntegrations: organisation.planIncludesIntegrations,
      pending: total('pending'),
      failed: total('failed'),
      workflow: probe.status,
    });

    res.json({
      connected: connection?.status === 'connected',
      token_expires_at: connection?.tokenExpiresAt?.toISOString() ?? null,
      last_sync: lastSync?.toISOString() ?? null,
      sync_status: status,
      pending_syncs: total('pending'),
      failed_syncs: total('failed'),
      errors: listErrors({ status, connection, failures, problem, lastSync, limit: admin.errorLimit }),
      // What the sync does without (not errors: it runs), e.g. checks skipped for a scope the app lacks.
      warnings: scopeWarnings(parseScopes(connection?.scopes)),
      organization_id: orgId,
      connection_status: connection?.status ?? null,
      xero_tenant_id: connection?.xeroTenantId ?? null,
      xero_tenant_name: connection?.xeroTenantName ?? null,
      paused_reason: pausedReason,
      skipped_syncs: total('skipped'),
      records_by_type: byType,
      progress: resync ? presentResyncProgress(resync, admin.pacing) : null,
      reconciliation: reconciliation ? presentReconciliation(reconciliation) : null,
      workflow: probe.status ? presentWorkflow(probe.status) : null,
      workflow_unavailable: probe.unavailable ?? null,
    });
  };
}

function countsByType(counts: SyncCount[]): Record<RecordType, Record<SyncState, number>> {
  const zero = () => Object.fromEntries(syncStates.map((s) => [s, 0])) as Record<SyncState, number>;
  const byType = Object.fromEntries(recordTypes.map((t) => [t, zero()])) as Record<RecordType, Record<SyncState, number>>;
  for (const c of counts) byType[c.recordType][c.state] += c.count;
  return byType;
}

/**
 * Newest first: records that are failed now (Xero's message and the hint), and, while the connection
 * is what holds everything up, the organisation-wide reason.
 */
function listErrors({
  status,
  connection,
  failures,
  problem,
  lastSync,
  limit,
}: {
  status: SyncStatus;
  connection: XeroConnectionRow | undefined;
  failures: RecordFailure[];
  problem: Awaited<ReturnType<typeof latestOrganisationProblem>>;
  lastSync: Date | null;
  limit: number;
}): StatusError[] {
  const errors: StatusError[] = failures.map((f) => ({
    type: f.recordType,
    message: [f.error ?? 'Failed without a message from Xero.', f.hint].filter(Boolean).join(' — '),
    timestamp: f.at.toISOString(),
    record_id: f.recordId,
  }));
  if (status === 'not_connected' || status === 'needs_reauth' || status === 'paused') {
    if (connection?.lastError) errors.push({ type: 'connection', message: connection.lastError, timestamp: connection.updatedAt.toISOString(), record_id: null });
    // The workflow's pause note, unless records have reached Xero since (then it is history).
    if (problem && (!lastSync || problem.at > lastSync)) {
      const message = [problem.xeroMessage, problem.message].filter(Boolean).join(' — ');
      if (message) errors.push({ type: 'connection', message, timestamp: problem.at.toISOString(), record_id: null });
    }
  }
  return errors.sort((a, b) => b.timestamp.localeCompare(a.timestamp)).slice(0, limit);
}
