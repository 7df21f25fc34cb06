/**
 * The organisation workflow's own view (`statusQuery`), when Temporal answers in time. Optional by
 * design: the status page is built from the database and only enriched by this.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { orgWorkflowId } from '../../../workflows/ids.ts';
import { statusQuery, type OrgSyncStatus } from '../../../workflows/messages.ts';

export type WorkflowProbe =
  | { status: OrgSyncStatus; unavailable?: undefined }
  /** not_started: no workflow for this organisation yet; no_answer: Temporal or the worker did not answer in time. */
  | { status?: undefined; unavailable: { reason: 'not_started' | 'no_answer'; detail: string } };

export async function probeOrgWorkflow(temporal: Client, orgId: string, timeoutMs: number): Promise<WorkflowProbe> {
  try {
    const status = await temporal.withDeadline(Date.now() + timeoutMs, () => temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery));
    return { status };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { unavailable: { reason: 'not_started', detail: 'No workflow has run for this organisation yet.' } };
    const detail = err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
    return { unavailable: { reason: 'no_answer', detail: `Temporal did not answer within ${timeoutMs} ms: ${detail}` } };
  }
}

/** The status query in the API's snake_case. */
export function presentWorkflow(status: OrgSyncStatus) {
  return {
    phase: status.phase,
    paused_reason: status.pausedReason ?? null,
    pushing: status.pushing ?? null,
    drains: status.drains,
    last_drain_at: status.lastDrainAt ?? null,
    last_drain: status.lastDrain ?? null,
    last_error: status.lastError ?? null,
    last_inbound_at: status.lastInboundAt ?? null,
    last_inbound: status.lastInbound ?? null,
    last_reconciliation: status.lastReconciliation ?? null,
    budget: {
      minute_left: status.budget.minuteLeft ?? null,
      day_left: status.budget.dayLeft ?? null,
      in_flight: status.budget.inFlight,
      waiting_for_budget: status.budget.waitingForBudget ?? null,
    },
  };
}
