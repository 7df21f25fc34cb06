/**
 * What the organisation's reconciliation schedule runs: it asks the organisation's own workflow for a sweep
 * (signal-with-start), so every Xero call still goes through that workflow's pacer and never races its
 * pushes for the organisation's budget.
 */
import { Context } from '@temporalio/activity';
import { createTenantWorkflows } from '../../api/tenant-workflow.ts';

export function requestReconciliation() {
  return async ({ orgId, trigger }: { orgId: string; trigger: string }): Promise<void> => {
    const { client, info } = Context.current();
    // This activity runs on the organisation workflows' own (main) task queue.
    await createTenantWorkflows(client, info.taskQueue).reconcile(orgId, trigger);
  };
}
