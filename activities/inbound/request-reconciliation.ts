/**
 * What the organisation's reconciliation schedule runs: it asks the organisation's own workflow for a sweep
 * (signal-with-start), so every Xero call still goes through that workflow's pacer and never races its
 * pushes for the organisation's budget.
 */
import { Context } from '@temporalio/activity';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';

export function requestReconciliation() {
  return async ({ orgId, trigger }: { orgId: string; trigger: string }): Promise<void> => {
    const { client, info } = Context.current();
    // This activity runs on the organisation workflows' own (main) task queue.
    await createOrgWorkflows(client, info.taskQueue).reconcile(orgId, trigger);
  };
}
