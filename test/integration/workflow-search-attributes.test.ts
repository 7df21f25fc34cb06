/**
 * What a platform admin types in the Temporal Web UI finds the organisation: its workflow and schedule carry
 * `OrgId`, `XeroTenantId`, `ConnectionState` and `SyncPhase` (kept current as the workflow moves between
 * phases and the connection changes) and a memo with both organisations' names. Asserted through the
 * client's `workflow.list`, the same visibility query the Web UI runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { organisations } from '../../db/schema/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { orgWorkflowId, reconcileScheduleId } from '../../workflows/ids.ts';
import { pauseSignal, reconcileSignal, resumeSignal } from '../../workflows/messages.ts';
import { ConnectionStateAttribute, OrgIdAttribute, SyncPhaseAttribute, XeroTenantIdAttribute } from '../../workflows/search-attributes.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  stack = await startTestStack({ xeroUrl: sandbox.url });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

/** The workflows a Web UI query lists (visibility is eventually consistent: asked until `expected` come back). */
async function listed(query: string, expected: (found: WorkflowExecutionInfo[]) => boolean): Promise<WorkflowExecutionInfo[]> {
  return eventually(async () => {
    const found: WorkflowExecutionInfo[] = [];
    for await (const info of stack.temporal.workflow.list({ query })) found.push(info);
    return expected(found) ? found : undefined;
  });
}

const attributesOf = (info: WorkflowExecutionInfo) => ({
  OrgId: info.typedSearchAttributes.get(OrgIdAttribute),
  XeroTenantId: info.typedSearchAttributes.get(XeroTenantIdAttribute),
  ConnectionState: info.typedSearchAttributes.get(ConnectionStateAttribute),
  SyncPhase: info.typedSearchAttributes.get(SyncPhaseAttribute),
});

it("finds an organisation connected through the API by OrgId and by its Xero organisation, with both names in the memo", async () => {
  const orgId = newOrgId();
  await stack.database.db.insert(organisations).values({ id: orgId, name: 'Harbour Rowing Club' });
  const tenant = sandbox.control.createOrganisation({ name: 'Harbour Rowing Books' });
  const client = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenant.tenantId] });
  const api = integrationApi(stack, orgId);
  expect((await api.putSettings({ clientId: client.clientId, clientSecret: client.clientSecret })).status).toBe(200);
  expect((await api.connect({ type: 'custom' })).status).toBe(200);

  const [byOrg] = await listed(`OrgId = '${orgId}' AND ExecutionStatus = 'Running'`, (found) => found.length === 1);
  expect(byOrg!.workflowId).toBe(orgWorkflowId(orgId));
  expect(attributesOf(byOrg!)).toEqual({ OrgId: orgId, XeroTenantId: tenant.tenantId, ConnectionState: 'connected', SyncPhase: 'idle' });
  expect(byOrg!.memo).toEqual({ organisationName: 'Harbour Rowing Club', xeroOrganisationName: 'Harbour Rowing Books' });

  const byTenant = await listed(`XeroTenantId = '${tenant.tenantId}'`, (found) => found.some((w) => w.workflowId === orgWorkflowId(orgId)));
  expect(byTenant.map((w) => w.workflowId)).toContain(orgWorkflowId(orgId));

  // The reconciliation schedule carries them too (the Web UI's schedule list filters on the same query).
  const schedule = await stack.temporal.schedule.getHandle(reconcileScheduleId(orgId)).describe();
  expect(schedule.typedSearchAttributes?.get(OrgIdAttribute)).toBe(orgId);
  expect(schedule.typedSearchAttributes?.get(XeroTenantIdAttribute)).toBe(tenant.tenantId);
  expect(schedule.typedSearchAttributes?.get(ConnectionStateAttribute)).toBe('connected');
  expect(schedule.memo).toEqual({ organisationName: 'Harbour Rowing Club', xeroOrganisationName: 'Harbour Rowing Books' });

  // Disconnecting: the workflow and the schedule say so, and "this Xero organisation" still finds them.
  expect((await api.disconnect()).status).toBe(200);
  const [disconnected] = await listed(`OrgId = '${orgId}' AND ConnectionState = 'disconnected' AND SyncPhase = 'paused'`, (found) => found.length === 1);
  expect(attributesOf(disconnected!)).toMatchObject({ XeroTenantId: tenant.tenantId });
  // A schedule applies its pause and its update as it gets to them (in either order): asked until both show.
  const paused = await eventually(async () => {
    const described = await stack.temporal.schedule.getHandle(reconcileScheduleId(orgId)).describe();
    return described.state.paused && described.typedSearchAttributes?.get(ConnectionStateAttribute) === 'disconnected' ? described : undefined;
  });
  expect(paused.state.paused).toBe(true);
  expect(paused.typedSearchAttributes?.get(ConnectionStateAttribute)).toBe('disconnected');
  expect(paused.typedSearchAttributes?.get(XeroTenantIdAttribute)).toBe(tenant.tenantId);
});

it('lists organisations by phase: paused ones, reconciling ones, and the same one idle again', async () => {
  // Connected straight in the database (no connection signal): the workflow learns the connection on its first pass.
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
  expect((await apiClient(stack, orgId).putContact('m1', { name: 'Ada Lovelace' })).status).toBe(200);
  const idle = `OrgId = '${orgId}' AND SyncPhase = 'idle'`;
  const [learnt] = await listed(`${idle} AND ConnectionState = 'connected'`, (found) => found.length === 1);
  expect(attributesOf(learnt!)).toEqual({ OrgId: orgId, XeroTenantId: tenantId, ConnectionState: 'connected', SyncPhase: 'idle' });

  const handle = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
  await handle.signal(pauseSignal, { reason: 'admin: year-end close' });
  const pausedNow = await listed(`SyncPhase = 'paused'`, (found) => found.some((w) => w.workflowId === orgWorkflowId(orgId)));
  expect(pausedNow.map((w) => w.workflowId)).toContain(orgWorkflowId(orgId));
  await handle.signal(resumeSignal);
  await listed(idle, (found) => found.length === 1);

  // Reads take seconds in this sandbox: the sweep is caught reconciling.
  sandbox.control.setFaults({ latencyMs: 1_500, methods: ['GET'] });
  try {
    await handle.signal(reconcileSignal, { trigger: 'test' });
    const reconciling = await listed(`SyncPhase = 'reconciling'`, (found) => found.some((w) => w.workflowId === orgWorkflowId(orgId)));
    expect(reconciling.map((w) => w.workflowId)).toContain(orgWorkflowId(orgId));
  } finally {
    sandbox.control.setFaults({ latencyMs: 0, methods: [] });
  }
  await listed(idle, (found) => found.length === 1);
});
