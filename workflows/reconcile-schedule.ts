/**
 * The action of an organisation's reconciliation schedule (`xero-reconcile:{orgId}`): ask the organisation's
 * own workflow for a sweep, and finish. The sweep itself runs in that workflow, between drains and through
 * its pacer, so the schedule never calls Xero alongside it. Triggering the schedule from the Web UI runs
 * exactly this.
 *
 * Orchestration only: no I/O here, and activity TYPES only.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { DbSteps } from '../activities/index.ts';

/** Versioned input: fields are only ever added, optional. */
export interface ReconcileScheduleInput {
  orgId: string;
}

export async function xeroReconcileScheduleWorkflow({ orgId }: ReconcileScheduleInput): Promise<void> {
  const { requestReconciliation } = proxyActivities<DbSteps>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });
  await requestReconciliation({ orgId, trigger: 'schedule' });
}
