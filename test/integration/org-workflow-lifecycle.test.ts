/**
 * The organisation's workflow over its lifetime: it hands over to a fresh run before its history grows
 * large without losing or repeating work, and an admin's pause holds every Xero call until resume.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { temporal } from '@temporalio/proto';
import type { Sandbox } from '../../sandbox/index.ts';
import { syncState } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { pauseSignal, resumeSignal, statusQuery } from '../../workflows/messages.ts';
import { xeroOrgWorkflow } from '../../workflows/org/xero-org.ts';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
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

const { EventType } = temporal.api.enums.v1;

const members = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `m${from + i}`, name: `Member ${from + i}`, email: `m${from + i}@example.org` }));

async function syncedCount(orgId: string): Promise<number> {
  const [row] = await stack.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'synced')));
  return row!.n;
}

it('continues as new when its history grows, carrying on with the work, and pushes everything exactly once', async () => {
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
  const first = await stack.temporal.workflow.start(xeroOrgWorkflow, {
    workflowId: orgWorkflowId(orgId),
    taskQueue: stack.taskQueue,
    args: [{ orgId, maxHistoryEvents: 40 }],
  });
  const api = apiClient(stack, orgId);
  // Several imports, each a few batches: each pass adds history until the run hands over.
  for (let round = 0; round < 4; round++) {
    expect((await api.putContacts(members(round * 120, 120))).status).toBe(200);
    await eventually(async () => ((await syncedCount(orgId)) === (round + 1) * 120 ? true : undefined), { timeoutMs: 30_000 });
  }

  const firstRun = await stack.temporal.workflow.getHandle(orgWorkflowId(orgId), first.firstExecutionRunId).describe();
  expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
  const current = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
  expect((await current.describe()).runId).not.toBe(first.firstExecutionRunId);
  // The new run answers queries and settles (a hand-over starts with one pass over whatever is pending).
  await eventually(async () => ((await current.query(statusQuery)).phase === 'idle' ? true : undefined));

  const org = sandbox.control.counters().organisations[tenantId]!;
  expect(org.contacts).toBe(480);
  expect(org.duplicates).toMatchObject({ contactNames: [], contactNumbers: [] });
});

it('hands over in the middle of a drain that would outgrow its history, and the next run pushes the rest once', async () => {
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
  const first = await stack.temporal.workflow.start(xeroOrgWorkflow, {
    workflowId: orgWorkflowId(orgId),
    taskQueue: stack.taskQueue,
    args: [{ orgId, maxHistoryEvents: 60 }],
  });
  // One import of 16 batches: one drain of them all would take far more than 60 events.
  expect((await apiClient(stack, orgId).putContacts(members(0, 800))).status).toBe(200);
  await eventually(async () => ((await syncedCount(orgId)) === 800 ? true : undefined), { timeoutMs: 60_000 });

  const firstRun = stack.temporal.workflow.getHandle(orgWorkflowId(orgId), first.firstExecutionRunId);
  expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
  const events = (await firstRun.fetchHistory()).events ?? [];
  const batches = events.filter(
    (e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes?.activityType?.name === 'pushBatch',
  );
  // Cut short: the first run took a part of the batches, not the whole drain.
  expect(batches.length).toBeGreaterThan(0);
  expect(batches.length).toBeLessThan(16);

  const org = sandbox.control.counters().organisations[tenantId]!;
  expect(org.contacts).toBe(800);
  expect(org.duplicates).toMatchObject({ contactNames: [], contactNumbers: [] });
});

it('holds every push while paused and carries on after resume', async () => {
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
  const api = apiClient(stack, orgId);
  await api.putContact('first', { name: 'Before the pause' });
  await eventually(async () => ((await syncedCount(orgId)) === 1 ? true : undefined));

  const handle = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
  await handle.signal(pauseSignal, { reason: 'admin: year-end close' });
  await eventually(async () => ((await handle.query(statusQuery)).phase === 'paused' ? true : undefined));
  const callsBefore = Object.values(sandbox.control.counters().calls[tenantId] ?? {}).reduce((a, b) => a + b, 0);

  await api.putContact('second', { name: 'During the pause' });
  // A signal sent after that wake, and seen handled, proves the wake was handled too (signals are applied
  // in arrival order) and held: the workflow had its chance to push, and did not.
  await handle.signal(pauseSignal, { reason: 'admin: year-end close (confirmed)' });
  const status = await eventually(async () => {
    const s = await handle.query(statusQuery);
    return s.pausedReason === 'admin: year-end close (confirmed)' ? s : undefined;
  });
  expect(status).toMatchObject({ phase: 'paused' });
  expect((await api.get('contacts', 'second')).body.sync).toMatchObject({ state: 'pending' });
  expect(Object.values(sandbox.control.counters().calls[tenantId] ?? {}).reduce((a, b) => a + b, 0)).toBe(callsBefore);

  await handle.signal(resumeSignal);
  await eventually(async () => ((await syncedCount(orgId)) === 2 ? true : undefined));
});

it('applies signals in the order they arrived, even when several wait for the first workflow task', async () => {
  // Connect (resume), then a revoked grant (pause), both before any worker ran the new workflow once.
  const { orgId } = await connectSandboxOrg(stack, sandbox);
  await stack.stopWorker();
  try {
    const workflows = createOrgWorkflows(stack.temporal, stack.taskQueue);
    await workflows.resume(orgId);
    await workflows.pause(orgId, 'needs_reauth');
  } finally {
    await stack.startWorker();
  }
  const handle = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
  const status = await eventually(async () => {
    const s = await handle.query(statusQuery);
    return s.drains > 0 || s.phase === 'paused' ? s : undefined;
  });
  expect(status).toMatchObject({ phase: 'paused', pausedReason: 'needs_reauth' });
});
