/**
 * The Temporal client side of the organisation workflow: message it, starting it if needed. Used by the API,
 * the worker's relay and activities alike (Node code: never part of the workflow bundle).
 *
 * Whatever prompted a message is already committed, so a Temporal outage here loses nothing: the caller
 * logs it and the relay re-sends later.
 */
import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import { orgWorkflowId } from '../ids.ts';
import { pauseSignal, recogniseRevenueSignal, reconcileSignal, resumeSignal, wakeSignal, xeroEventsSignal } from '../messages.ts';
import type { OrgWorkflowInput } from '../org/xero-org.ts';

export interface OrgWorkflows {
  /** New pending records. */
  wake(orgId: string): Promise<void>;
  /** New Xero webhook events stored for this organisation. */
  notifyXeroEvents(orgId: string): Promise<void>;
  pause(orgId: string, reason: string): Promise<void>;
  resume(orgId: string): Promise<void>;
  /** Sweep Xero for what no webhook announced (the reconciliation schedule's action). */
  reconcile(orgId: string, trigger?: string): Promise<void>;
  /** Post the revenue recognition journals due by `asOf` (the revenue schedule's action). */
  recogniseRevenue(orgId: string, request?: { trigger?: string; asOf?: string }): Promise<void>;
}

export function createOrgWorkflows(client: Client, taskQueue: string): OrgWorkflows {
  const send = async (
    orgId: string,
    signal:
      | SignalDefinition<never[]>
      | SignalDefinition<[{ reason: string }]>
      | SignalDefinition<[{ trigger?: string }]>
      | SignalDefinition<[{ trigger?: string; asOf?: string }]>,
    signalArgs: unknown[],
  ) => {
    const input: OrgWorkflowInput = { orgId }; // workflow inputs are ids only
    await client.workflow.signalWithStart('xeroOrgWorkflow', {
      workflowId: orgWorkflowId(orgId),
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
    recogniseRevenue: (orgId, { trigger = 'manual', asOf } = {}) => send(orgId, recogniseRevenueSignal, [{ trigger, ...(asOf ? { asOf } : {}) }]),
  };
}
