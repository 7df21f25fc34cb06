/** The Temporal client side of link imports: starting one import's verification (Node code, never bundled). */
import type { Client } from '@temporalio/client';
import { linkImportWorkflowId } from '../ids.ts';
import type { LinkImportInput } from '../link-import.ts';

export interface LinkImportWorkflows {
  start(orgId: string, importId: string): Promise<void>;
}

export function createLinkImportWorkflows(client: Client, taskQueue: string): LinkImportWorkflows {
  return {
    async start(orgId, importId) {
      const input: LinkImportInput = { orgId, importId };
      await client.workflow.start('xeroLinkImportWorkflow', { workflowId: linkImportWorkflowId(orgId, importId), taskQueue, args: [input] });
    },
  };
}
