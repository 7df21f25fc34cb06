/**
 * `xero-tenant:{orgId}`: the one actor per organisation that talks to Xero.
 *
 * Driven by the database: pending rows are the work, signals only wake it. Orchestration only:
 * no I/O here, activities do it (this file imports activity TYPES, never activity code).
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { pauseSignal, resumeSignal, statusQuery, wakeSignal, type TenantStatus } from './messages.ts';

/**
 * Versioned input: a run may be replayed by newer code months later, so fields are only ever added,
 * optional, with a default that keeps old histories meaning what they meant.
 */
export interface TenantWorkflowInput {
  orgId: string;
  /** Carried across continue-as-new. */
  paused?: { reason: string };
  /** A wake that arrived while the previous run was handing over. Defaults to true: a fresh start drains once. */
  wakePending?: boolean;
}

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function xeroTenantWorkflow(input: TenantWorkflowInput): Promise<void> {
  let wakePending = input.wakePending ?? true;
  let paused = input.paused;
  const status: TenantStatus = { orgId: input.orgId, phase: paused ? 'paused' : 'idle', pausedReason: paused?.reason, drains: 0 };

  setHandler(wakeSignal, () => {
    wakePending = true;
  });
  setHandler(pauseSignal, ({ reason }) => {
    paused = { reason };
    status.phase = 'paused';
    status.pausedReason = reason;
  });
  setHandler(resumeSignal, () => {
    paused = undefined;
    status.pausedReason = undefined;
    wakePending = true;
  });
  setHandler(statusQuery, () => status);

  for (;;) {
    await condition(() => (wakePending && !paused) || workflowInfo().continueAsNewSuggested);
    if (workflowInfo().continueAsNewSuggested) break;

    wakePending = false;
    status.phase = 'draining';
    status.lastDrain = await steps.pushPendingContacts({ orgId: input.orgId });
    status.drains += 1;
    status.lastDrainAt = new Date().toISOString(); // workflow Date: deterministic, replay-safe
    status.phase = paused ? 'paused' : 'idle';
  }

  // Hand over before the history grows large; signals still being handled finish first.
  await condition(allHandlersFinished);
  await continueAsNew<typeof xeroTenantWorkflow>({ orgId: input.orgId, paused, wakePending });
}
