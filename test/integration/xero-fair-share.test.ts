/**
 * The Xero queue's dispatch rate is Xero's app-wide limit, one budget for every organisation the app is
 * connected to. Its tasks carry their organisation as fairness key, so the server (fairness on) shares that
 * rate round-robin between organisations instead of first come, first served; the organisation's run carries
 * it too, so its workflow tasks share the main queue the same way.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import proto from '@temporalio/proto';
import type { Sandbox } from '../../sandbox/index.ts';
import { syncState } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { xeroTaskQueue } from '../../workflows/task-queues.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

const { EventType } = proto.temporal.api.enums.v1;

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

it("schedules every Xero call with the organisation as fairness key, and starts the organisation's run with it", async () => {
  const { orgId } = await connectSandboxOrg(stack, sandbox);
  const api = apiClient(stack, orgId);
  expect((await api.putContacts([{ id: 'm-1', name: 'Member 1', email: 'm1@example.org' }])).status).toBe(200);
  expect(
    (await api.putInvoices([{ id: 'i-1', contactId: 'm-1', number: 'INV-1', date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '120.00' }] }]))
      .status,
  ).toBe(200);
  await eventually(async () => {
    const [row] = await stack.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'synced')));
    return row!.n === 2 ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });

  const events = (await stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).fetchHistory()).events!;
  const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)!;
  expect(started.workflowExecutionStartedEventAttributes!.priority?.fairnessKey).toBe(orgId);

  const xeroQueue = xeroTaskQueue(started.workflowExecutionStartedEventAttributes!.taskQueue!.name!);
  const xeroCalls = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes!.taskQueue!.name === xeroQueue)
    .map((e) => ({ type: e.activityTaskScheduledEventAttributes!.activityType!.name, key: e.activityTaskScheduledEventAttributes!.priority?.fairnessKey }));
  // The contact, the invoice: at least the two pushes went through the Xero queue.
  expect(xeroCalls.filter((c) => c.type === 'pushBatch')).toHaveLength(2);
  expect(xeroCalls.filter((c) => c.key !== orgId)).toEqual([]);
}, 90_000);

it("gives each of a pass's Xero calls the priority level of its turn in the pass, from 1 again in the next pass", async () => {
  const { orgId } = await connectSandboxOrg(stack, sandbox);
  const api = apiClient(stack, orgId);
  const syncedCount = async () => {
    const [row] = await stack.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'synced')));
    return row!.n;
  };
  expect((await api.putContacts([{ id: 'm-1', name: 'Member 1', email: 'm1@example.org' }])).status).toBe(200);
  await eventually(async () => ((await syncedCount()) === 1 ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });
  const handle = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
  await eventually(async () => ((await handle.query<{ phase: string }>('status')).phase === 'idle' ? true : undefined), { timeoutMs: 30_000, intervalMs: 250 });
  const xeroCallsScheduled = async () => {
    const events = (await handle.fetchHistory()).events!;
    const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)!;
    const xeroQueue = xeroTaskQueue(started.workflowExecutionStartedEventAttributes!.taskQueue!.name!);
    return events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes!.taskQueue!.name === xeroQueue)
      .map((e) => ({ type: e.activityTaskScheduledEventAttributes!.activityType!.name!, level: e.activityTaskScheduledEventAttributes!.priority?.priorityKey ?? 0 }));
  };
  // Xero's webhook for the contact is read back either after the push, in the same pass (the next level), or
  // in a pass of its own (level 1 again): either way it follows the turns, and comes after the pushes of its pass.
  const readBacksFollowTheirTurn = (calls: Array<{ type: string; level: number }>) =>
    calls.every((c, i) => c.type !== 'takeInXeroEventBatch' || c.level === 1 || (i > 0 && c.level === Math.min(calls[i - 1]!.level + 1, 5)));
  const pushCalls = async () => {
    const calls = await xeroCallsScheduled();
    expect(readBacksFollowTheirTurn(calls)).toBe(true);
    return calls.filter((c) => c.type !== 'takeInXeroEventBatch');
  };
  // The first pass: the look at Xero's contacts (level 1), then the contact's push (level 2).
  const firstPass = await pushCalls();
  expect(firstPass.map((c) => c.type)).toEqual(['refreshContactIndexPage', 'pushBatch']);
  expect(firstPass.map((c) => c.level)).toEqual([1, 2]);

  // A later pass starts from level 1 again, and counts up from there.
  expect((await api.putContacts([{ id: 'm-2', name: 'Member 2', email: 'm2@example.org' }])).status).toBe(200);
  await eventually(async () => ((await syncedCount()) === 2 ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });
  const secondPass = (await pushCalls()).slice(firstPass.length);
  expect(secondPass.map((c) => c.type)).toEqual(['refreshContactIndexPage', 'pushBatch']);
  expect(secondPass.map((c) => c.level)).toEqual([1, 2]);
}, 120_000);
