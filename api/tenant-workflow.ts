/**
 * The API's only way into Temporal: message an organisation's workflow, starting it if needed.
 * Whatever prompted the message is already committed, so a Temporal outage here loses nothing: the
 * caller logs it and the relay re-sends later.
 */
import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import { tenantWorkflowId } from '../workflows/ids.ts';
import { pauseSignal, reconcileSignal, resumeSignal, wakeSignal, xeroEventsSignal } from '../workflows/messages.ts';
import type { TenantWorkflowInput } from '../workflows/xero-tenant.ts';

export interface TenantWorkflows {
  /** New pending records. */
  wake(orgId: string): Promise<void>;
  /** New Xero webhook events stored for this organisation. */
  notifyXeroEvents(orgId: string): Promise<void>;
  pause(orgId: string, reason: string): Promise<void>;
  resume(orgId: string): Promise<void>;
  /** Sweep Xero for what no webhook announced (the reconciliation schedule's action). */
  reconcile(orgId: string, trigger?: string): Promise<void>;
}

export function createTenantWorkflows(client: Client, taskQueue: string): TenantWorkflows {
  const send = async (
    orgId: string,
    signal: SignalDefinition<never[]> | SignalDefinition<[{ reason: string }]> | SignalDefinition<[{ trigger?: string }]>,
    signalArgs: unknown[],
  ) => {
    const input: TenantWorkflowInput = { orgId }; // workflow inputs are ids only
    await client.workflow.signalWithStart('xeroTenantWorkflow', {
      workflowId: tenantWorkflowId(orgId),
      taskQueue,
      args: [input],
      signal: signal.name,
      signalArgs,
    });
  };
  return {
    wake: (orgId) => send(orgId, wakeSignal, []),
    notifyXeroEvents: (orgId) => send(orgId, xeroEventsSignal, []),
    pause: (orgId, reason) => send(orgId, pauseSignal, [{ reason }]),
    resume: (orgId) => send(orgId, resumeSignal, []),
    reconcile: (orgId, trigger = 'manual') => send(orgId, reconcileSignal, [{ trigger }]),
  };
}
