/**
 * The Temporal client side of the organisation workflow: message it, starting it if needed. Used by the API,
 * the worker's relay and activities alike (Node code: never part of the workflow bundle).
 *
 * Whatever prompted a message is already committed, so a Temporal outage here loses nothing: the caller
 * logs it and the relay re-sends later.
 */
import type { Client } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { SignalDefinition } from '@temporalio/workflow';
import { orgFairnessKey } from '../fairness.ts';
import { orgWorkflowId } from '../ids.ts';
import { connectionSignal, pauseSignal, recogniseRevenueSignal, reconcileSignal, resumeSignal, wakeSignal, xeroEventsSignal } from '../messages.ts';
import type { OrgWorkflowInput } from '../org/xero-org.ts';
import {
  ConnectionStateAttribute,
  OrgIdAttribute,
  orgMemo,
  SyncPhaseAttribute,
  XeroTenantIdAttribute,
  type OrgConnectionFacts,
} from '../search-attributes.ts';

export interface OrgWorkflows {
  /** New pending records. */
  wake(orgId: string): Promise<void>;
  /** New Xero webhook events stored for this organisation. */
  notifyXeroEvents(orgId: string): Promise<void>;
  pause(orgId: string, reason: string): Promise<void>;
  resume(orgId: string): Promise<void>;
  /** Sweep Xero for what no webhook announced (the reconciliation schedule's action). */
  reconcile(orgId: string, trigger?: string): Promise<void>;
  /** The connection changed (connected, tenant picked, disconnected, needs re-authorisation): what the Web UI shows. */
  connectionChanged(orgId: string, facts: OrgConnectionFacts): Promise<void>;
  /** Post the revenue recognition journals due by `asOf` (the revenue schedule's action). */
  recogniseRevenue(orgId: string, request?: { trigger?: string; asOf?: string }): Promise<void>;
}

/**
 * The search attributes a run starts with (when this message starts it): the organisation, phase `idle`, and
 * the connection when the message is about it. The workflow keeps them current from there.
 */
export function initialSearchAttributes(orgId: string, facts?: OrgConnectionFacts): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: OrgIdAttribute, value: orgId },
    { key: SyncPhaseAttribute, value: 'idle' },
  ];
  if (facts) pairs.push({ key: ConnectionStateAttribute, value: facts.state });
  if (facts?.xeroTenantId) pairs.push({ key: XeroTenantIdAttribute, value: facts.xeroTenantId });
  return pairs;
}

export function createOrgWorkflows(client: Client, taskQueue: string): OrgWorkflows {
  const send = async (
    orgId: string,
    signal:
      | SignalDefinition<never[]>
      | SignalDefinition<[{ reason: string }]>
      | SignalDefinition<[{ trigger?: string }]>
      | SignalDefinition<[OrgConnectionFacts]>
      | SignalDefinition<[{ trigger?: string; asOf?: string }]>,
    signalArgs: unknown[],
    facts?: OrgConnectionFacts,
  ) => {
    const input: OrgWorkflowInput = { orgId }; // workflow inputs are ids only
    await client.workflow.signalWithStart('xeroOrgWorkflow', {
      workflowId: orgWorkflowId(orgId),
      taskQueue,
      args: [input],
      signal: signal.name,
      signalArgs,
      // Only used when this message starts the run.
      typedSearchAttributes: initialSearchAttributes(orgId, facts),
      // The run's workflow tasks share the main queue by organisation, as its Xero calls share the Xero queue.
      priority: { fairnessKey: orgFairnessKey(orgId) },
      ...(facts ? { memo: orgMemo(facts) } : {}),
    });
  };
  return {
    wake: (orgId) => send(orgId, wakeSignal, []),
    notifyXeroEvents: (orgId) => send(orgId, xeroEventsSignal, []),
    pause: (orgId, reason) => send(orgId, pauseSignal, [{ reason }]),
    resume: (orgId) => send(orgId, resumeSignal, []),
    reconcile: (orgId, trigger = 'manual') => send(orgId, reconcileSignal, [{ trigger }]),
    connectionChanged: (orgId, facts) => send(orgId, connectionSignal, [facts], facts),
    recogniseRevenue: (orgId, { trigger = 'manual', asOf } = {}) => send(orgId, recogniseRevenueSignal, [{ trigger, ...(asOf ? { asOf } : {}) }]),
  };
}
