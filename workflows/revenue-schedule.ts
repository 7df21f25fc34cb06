/**
 * The action of an organisation's revenue recognition schedule (`xero-revrec:{orgId}`): ask the organisation's
 * own workflow to post the journals due as of the run's scheduled time, and finish. The journals themselves
 * go out from that workflow, through its pacer, between its other passes.
 *
 * As of the scheduled time, not the start time: a backfill (or a run Temporal started late) recognises the
 * months that had ended when it was due, and a run triggered by hand recognises as of now.
 *
 * Orchestration only: no I/O here, and activity TYPES only.
 */
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DbSteps } from '../activities/index.ts';

/** Versioned input: fields are only ever added, optional. */
export interface RevenueScheduleInput {
  orgId: string;
}

/** Set by Temporal on every workflow a schedule starts: the time the action was due. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export async function xeroRevenueScheduleWorkflow({ orgId }: RevenueScheduleInput): Promise<void> {
  const { requestRevenueRecognition } = proxyActivities<DbSteps>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });
  const info = workflowInfo();
  const asOf = info.typedSearchAttributes.get(SCHEDULED_START) ?? info.startTime;
  await requestRevenueRecognition({ orgId, trigger: 'schedule', asOf: asOf.toISOString() });
}
