/**
 * The API's only way into Temporal: wake an organisation's workflow, starting it if needed.
 * The record is already committed, so a Temporal outage here loses nothing: the caller logs it and the
 * next wake (or the relay) picks the work up.
 */
import type { Client } from '@temporalio/client';
import { tenantWorkflowId } from '../workflows/ids.ts';
import { wakeSignal } from '../workflows/messages.ts';
import type { xeroTenantWorkflow } from '../workflows/xero-tenant.ts';

export interface TenantWorkflows {
  wake(orgId: string): Promise<void>;
}

export function createTenantWorkflows(client: Client, taskQueue: string): TenantWorkflows {
  return {
    async wake(orgId) {
      await client.workflow.signalWithStart<typeof xeroTenantWorkflow, []>('xeroTenantWorkflow', {
        workflowId: tenantWorkflowId(orgId),
        taskQueue,
        args: [{ orgId }],
        signal: wakeSignal,
        signalArgs: [],
      });
    },
  };
}
