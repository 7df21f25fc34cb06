/**
 * `sync_status` and `sync_activity` from the facts the status endpoint gathers: every documented value,
 * and which wins when several apply.
 */
import { describe, expect, it } from 'vitest';
import { deriveSyncStatus, type SyncFacts } from '../../lib/sync-status.ts';
import type { OrgSyncStatus } from '../../workflows/messages.ts';

const workflow = (over: Partial<OrgSyncStatus> = {}): OrgSyncStatus => ({ orgId: 'org', phase: 'idle', drains: 3, budget: { inFlight: 0 }, ...over });
const facts = (over: Partial<SyncFacts> = {}): SyncFacts => ({
  connectionStatus: 'connected',
  planIncludesIntegrations: true,
  pending: 0,
  recentPushes: { ok: 18, failed: 2 },
  contactLimitReached: false,
  workflow: workflow(),
  ...over,
});

describe('deriveSyncStatus', () => {
  it('is healthy when connected and running normally, failed records notwithstanding', () => {
    expect(deriveSyncStatus(facts())).toEqual({ status: 'healthy', activity: 'idle', degradedReason: null, pausedReason: null });
    expect(deriveSyncStatus(facts({ pending: 5, workflow: workflow({ phase: 'pushing' }) }))).toMatchObject({ status: 'healthy', activity: 'syncing' });
    // Waiting out Xero's minute is pacing, not a problem.
    expect(deriveSyncStatus(facts({ pending: 500, workflow: workflow({ budget: { inFlight: 0, waitingForBudget: 'minute' } }) }))).toMatchObject({ status: 'healthy', activity: 'waiting_for_rate_limit' });
    // Without Temporal's answer: from the database alone.
    expect(deriveSyncStatus(facts({ workflow: undefined, pending: 2 }))).toMatchObject({ status: 'healthy', activity: 'syncing' });
    // Half failed is not "most".
    expect(deriveSyncStatus(facts({ recentPushes: { ok: 2, failed: 2 } })).status).toBe('healthy');
  });

  it('is degraded, saying why, when most recent pushes fail, the day budget is spent, a pass gave up, or the contact limit holds', () => {
    expect(deriveSyncStatus(facts({ recentPushes: { ok: 1, failed: 3 } }))).toMatchObject({ status: 'degraded', degradedReason: 'recent_pushes_failing' });
    expect(deriveSyncStatus(facts({ pending: 9, workflow: workflow({ budget: { inFlight: 0, waitingForBudget: 'day' } }) }))).toMatchObject({
      status: 'degraded',
      degradedReason: 'day_budget_spent',
      activity: 'waiting_for_rate_limit',
    });
    expect(deriveSyncStatus(facts({ pending: 1, workflow: workflow({ lastError: 'Xero unavailable (503)' }) }))).toMatchObject({ status: 'degraded', degradedReason: 'workflow_error' });
    expect(deriveSyncStatus(facts({ workflow: workflow({ lastError: 'Xero unavailable (503)' }) })).status).toBe('healthy'); // nothing queued behind it
    expect(deriveSyncStatus(facts({ contactLimitReached: true }))).toMatchObject({ status: 'degraded', degradedReason: 'contact_limit_reached' });
  });

  it('is paused, needs_reauth or disconnected, on hold, before anything else', () => {
    expect(deriveSyncStatus(facts({ planIncludesIntegrations: false }))).toEqual({ status: 'paused', activity: 'on_hold', degradedReason: null, pausedReason: 'plan_required' });
    expect(deriveSyncStatus(facts({ workflow: workflow({ phase: 'paused', pausedReason: 'admin: year-end' }), recentPushes: { ok: 0, failed: 9 } }))).toMatchObject({
      status: 'paused',
      pausedReason: 'admin: year-end',
      degradedReason: null,
    });
    expect(deriveSyncStatus(facts({ connectionStatus: 'needs_reauth', planIncludesIntegrations: false }))).toMatchObject({ status: 'needs_reauth', activity: 'on_hold' });
    for (const connectionStatus of [undefined, 'disconnected', 'awaiting_tenant'] as const) {
      expect(deriveSyncStatus(facts({ connectionStatus, pending: 3 }))).toMatchObject({ status: 'disconnected', activity: 'on_hold' });
    }
  });
});
