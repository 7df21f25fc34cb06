/**
 * Starting and stopping an organisation's sync when its connection changes. The database already says
 * what happened (the push steps defer while a connection is not `connected`), so a Temporal hiccup here
 * is logged, not failed: the admin's change is committed either way.
 */
import type { Logger } from '../../../../config/logger.ts';
import type { TenantWorkflows } from '../../../tenant-workflow.ts';

export type PauseReason = 'disconnected' | 'plan_required' | 'needs_reauth';

export interface SyncLifecycle {
  /** Connected, reconnected, tenant picked, plan restored: carry on with what is pending (nothing synced is pushed again). */
  resume(orgId: string): Promise<void>;
  pause(orgId: string, reason: PauseReason): Promise<void>;
}

export interface SyncLifecycleHooks {
  /** Issue 7: create / unpause the organisation's reconciliation schedule. */
  onSyncResumed?: (orgId: string) => Promise<void>;
  /** Issue 7: pause the organisation's reconciliation schedule. */
  onSyncPaused?: (orgId: string, reason: PauseReason) => Promise<void>;
}

export function createSyncLifecycle({ tenants, logger, hooks = {} }: { tenants: TenantWorkflows; logger: Logger; hooks?: SyncLifecycleHooks }): SyncLifecycle {
  const quietly = async (orgId: string, what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (err) {
      logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, `could not ${what}`);
    }
  };
  return {
    async resume(orgId) {
      await quietly(orgId, 'resume the organisation workflow', () => tenants.resume(orgId));
      if (hooks.onSyncResumed) await quietly(orgId, 'run the sync-resumed hook', () => hooks.onSyncResumed!(orgId));
    },
    async pause(orgId, reason) {
      await quietly(orgId, 'pause the organisation workflow', () => tenants.pause(orgId, reason));
      if (hooks.onSyncPaused) await quietly(orgId, 'run the sync-paused hook', () => hooks.onSyncPaused!(orgId, reason));
    },
  };
}
