/**
 * Starting and stopping an organisation's sync when its connection or plan changes: its workflow, its
 * reconciliation schedule and its revenue recognition schedule follow. The database already says what happened (the push steps defer while a
 * connection is not `connected`), so a Temporal hiccup here is logged, not failed: the admin's change is
 * committed either way.
 *
 * Each change also tells the workflow and the schedule the connection as the database now has it (state,
 * Xero tenant, names), which is what the Temporal Web UI finds and shows them by.
 */
import type { Logger } from '../config/logger.ts';
import type { DbOrTx } from '../db/client.ts';
import { getOrgIdentity } from '../db/queries/org-identity.ts';
import type { OrgWorkflows } from '../workflows/client/org-workflows.ts';
import type { ReconcileSchedules } from '../workflows/client/reconcile-schedules.ts';
import { connectionFactsOf, type OrgConnectionFacts } from '../workflows/search-attributes.ts';
import type { RevenueSchedules } from '../workflows/client/revenue-schedules.ts';

export type PauseReason = 'disconnected' | 'plan_required' | 'needs_reauth';

export interface SyncLifecycle {
  /** Connected, reconnected, tenant picked, plan restored: carry on with what is pending (nothing synced is pushed again). */
  resume(orgId: string): Promise<void>;
  pause(orgId: string, reason: PauseReason): Promise<void>;
  /**
   * Deferred revenue was just set up for a connected organisation: its revenue recognition schedule runs
   * (organisations connected before recognition existed have none until then, or until they reconnect).
   */
  ensureRevenueSchedule(orgId: string): Promise<void>;
}

export interface SyncLifecycleDeps {
  db: DbOrTx;
  workflows: OrgWorkflows;
  schedules?: ReconcileSchedules;
  revenueSchedules?: RevenueSchedules;
  logger: Logger;
}

export function createSyncLifecycle({ db, workflows, schedules, revenueSchedules, logger }: SyncLifecycleDeps): SyncLifecycle {
  const quietly = async (orgId: string, what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (err) {
      logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, `could not ${what}`);
    }
  };
  /** The connection as just committed; without it (database hiccup) the workflow learns it on its next pass. */
  const connectionFacts = async (orgId: string): Promise<OrgConnectionFacts | undefined> => {
    try {
      return connectionFactsOf(await getOrgIdentity(db, { orgId }));
    } catch (err) {
      logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, 'could not read the connection for the Temporal Web UI');
      return undefined;
    }
  };
  const tellConnection = async (orgId: string, facts: OrgConnectionFacts | undefined) => {
    if (facts) await quietly(orgId, "show the connection on the organisation's workflow", () => workflows.connectionChanged(orgId, facts));
  };
  return {
    async resume(orgId) {
      const facts = await connectionFacts(orgId);
      await tellConnection(orgId, facts);
      await quietly(orgId, 'resume the organisation workflow', () => workflows.resume(orgId));
      if (schedules) await quietly(orgId, 'start the reconciliation schedule', () => schedules.ensureRunning(orgId, facts));
      if (revenueSchedules) await quietly(orgId, 'start the revenue recognition schedule', () => revenueSchedules.ensureRunning(orgId));
    },
    async ensureRevenueSchedule(orgId) {
      if (revenueSchedules) await quietly(orgId, 'start the revenue recognition schedule', () => revenueSchedules.ensureRunning(orgId));
    },
    async pause(orgId, reason) {
      const facts = await connectionFacts(orgId);
      await tellConnection(orgId, facts);
      await quietly(orgId, 'pause the organisation workflow', () => workflows.pause(orgId, reason));
      if (schedules) await quietly(orgId, 'pause the reconciliation schedule', () => schedules.pause(orgId, reason, facts));
      if (revenueSchedules) await quietly(orgId, 'pause the revenue recognition schedule', () => revenueSchedules.pause(orgId, reason));
    },
  };
}
