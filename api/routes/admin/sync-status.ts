/**
 * `sync_status`: one word for an organisation's sync, from a small stable vocabulary. The first that
 * applies wins:
 *
 * | value                    | meaning                                                                         |
 * |--------------------------|---------------------------------------------------------------------------------|
 * | `not_connected`          | no Xero organisation linked: never connected, disconnected, or consent given but no tenant picked yet |
 * | `needs_reauth`           | Xero refused the stored grant: an organisation admin must reconnect              |
 * | `paused`                 | records are held: plan without integrations, or the workflow paused (`paused_reason`) |
 * | `waiting_for_rate_limit` | Xero's minute or day budget for this organisation is spent; the workflow waits on a timer |
 * | `error`                  | the workflow's last pass failed unexpectedly (records stay queued), or records failed and nothing else is pending (`failed_syncs` > 0) |
 * | `syncing`                | records are pending or being pushed                                              |
 * | `idle`                   | nothing pending, nothing failed                                                  |
 *
 * Without Temporal's answer the workflow-only states (`waiting_for_rate_limit`, a workflow pause) cannot
 * be seen; the rest comes from the database.
 */
import type { ConnectionStatus } from '../../../db/schema/index.ts';
import type { OrgSyncStatus } from '../../../workflows/messages.ts';

export const syncStatuses = ['not_connected', 'needs_reauth', 'paused', 'waiting_for_rate_limit', 'error', 'syncing', 'idle'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

export interface SyncFacts {
  connectionStatus: ConnectionStatus | undefined;
  planIncludesIntegrations: boolean;
  pending: number;
  failed: number;
  workflow: OrgSyncStatus | undefined;
}

export function deriveSyncStatus({ connectionStatus, planIncludesIntegrations, pending, failed, workflow }: SyncFacts): { status: SyncStatus; pausedReason: string | null } {
  const pausedReason = workflow?.phase === 'paused' ? (workflow.pausedReason ?? null) : planIncludesIntegrations ? null : 'plan_required';
  const status = ((): SyncStatus => {
    if (connectionStatus !== 'connected' && connectionStatus !== 'needs_reauth') return 'not_connected';
    if (connectionStatus === 'needs_reauth') return 'needs_reauth';
    if (pausedReason) return 'paused';
    if (workflow?.budget.waitingForBudget) return 'waiting_for_rate_limit';
    if (workflow?.lastError && pending > 0) return 'error';
    if (pending > 0 || (workflow && workflow.phase !== 'idle')) return 'syncing';
    if (failed > 0) return 'error';
    return 'idle';
  })();
  return { status, pausedReason };
}
