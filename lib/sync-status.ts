/**
 * `sync_status`: one word for an organisation's sync, the admin guide's vocabulary. The first that applies
 * wins:
 *
 * | value          | meaning                                                                                   |
 * |----------------|-------------------------------------------------------------------------------------------|
 * | `disconnected` | no Xero organisation linked: never connected, disconnected, or consent given but no tenant picked yet (`connection_status` says which: `null`, `disconnected`, `awaiting_tenant`); nothing syncs |
 * | `needs_reauth` | Xero refused the stored grant (token expired or revoked): an organisation admin must reconnect |
 * | `paused`       | records are held on purpose: a plan without integrations, or the workflow paused by an admin (`paused_reason`) |
 * | `degraded`     | connected, but the sync is not running normally (`degraded_reason`): most recent pushes fail (`recent_pushes_failing`: more than half of the last 20 records pushed were refused), Xero's daily call budget for the organisation is spent (`day_budget_spent`), the workflow's last pass gave up with records queued (`workflow_error`), or Xero's contact limit holds new contacts (`contact_limit_reached`) |
 * | `healthy`      | connected, and the sync runs normally, individual failed records notwithstanding (they are `failed_syncs`, listed in `errors`) |
 *
 * What the sync is doing right now is `sync_activity`, a field of its own: `syncing` (records pending or a
 * pass under way), `waiting_for_rate_limit` (Xero's minute budget is spent: the workflow waits on a timer,
 * which is normal pacing during a large sync), `idle` (nothing to do), `on_hold` (`disconnected`,
 * `needs_reauth` or `paused`: records wait).
 *
 * Without Temporal's answer the workflow-only facts (a budget wait, a pass that gave up, an admin's pause)
 * cannot be seen; the rest comes from the database.
 */
import type { ConnectionStatus } from '../db/schema/index.ts';
import type { OrgSyncStatus } from '../workflows/messages.ts';

export const syncStatuses = ['healthy', 'degraded', 'paused', 'needs_reauth', 'disconnected'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

export const syncActivities = ['syncing', 'waiting_for_rate_limit', 'idle', 'on_hold'] as const;
export type SyncActivity = (typeof syncActivities)[number];

export const degradedReasons = ['recent_pushes_failing', 'day_budget_spent', 'workflow_error', 'contact_limit_reached'] as const;
export type DegradedReason = (typeof degradedReasons)[number];

/** Records looked at for "most recent pushes fail". */
export const RECENT_PUSH_WINDOW = 20;

export interface SyncFacts {
  connectionStatus: ConnectionStatus | undefined;
  planIncludesIntegrations: boolean;
  /** Pending records that can go now (not new contacts held by the contact limit, nor the records waiting for them). */
  pending: number;
  recentPushes: { ok: number; failed: number };
  contactLimitReached: boolean;
  workflow: OrgSyncStatus | undefined;
}

export interface DerivedSyncStatus {
  status: SyncStatus;
  activity: SyncActivity;
  degradedReason: DegradedReason | null;
  pausedReason: string | null;
}

export function deriveSyncStatus({ connectionStatus, planIncludesIntegrations, pending, recentPushes, contactLimitReached, workflow }: SyncFacts): DerivedSyncStatus {
  const pausedReason = workflow?.phase === 'paused' ? (workflow.pausedReason ?? null) : planIncludesIntegrations ? null : 'plan_required';
  const degradedReason = ((): DegradedReason | null => {
    if (workflow?.budget.waitingForBudget === 'day') return 'day_budget_spent';
    if (workflow?.lastError && pending > 0) return 'workflow_error';
    if (contactLimitReached) return 'contact_limit_reached';
    if (recentPushes.failed * 2 > recentPushes.ok + recentPushes.failed) return 'recent_pushes_failing';
    return null;
  })();
  const status = ((): SyncStatus => {
    if (connectionStatus !== 'connected' && connectionStatus !== 'needs_reauth') return 'disconnected';
    if (connectionStatus === 'needs_reauth') return 'needs_reauth';
    if (pausedReason) return 'paused';
    return degradedReason ? 'degraded' : 'healthy';
  })();
  const activity = ((): SyncActivity => {
    if (status === 'disconnected' || status === 'needs_reauth' || status === 'paused') return 'on_hold';
    if (workflow?.budget.waitingForBudget) return 'waiting_for_rate_limit';
    if (pending > 0 || (workflow && workflow.phase !== 'idle')) return 'syncing';
    return 'idle';
  })();
  return { status, activity, degradedReason: status === 'degraded' ? degradedReason : null, pausedReason };
}
