/**
 * A worker killed (SIGKILL) while its Xero call is in flight: the attempt it held is retried on another worker
 * because it stopped heartbeating, not because its start-to-close timeout (sized for a slow Xero answer) ran out;
 * the retry looks up what Xero did meanwhile and adopts it, so nothing is pushed twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { temporal } from '@temporalio/proto';
import type { Sandbox } from '../../sandbox/index.ts';
import { syncState } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { envForChild, spawnWorkerProcess } from '../support/worker-process.ts';

const { EventType, TimeoutType } = temporal.api.enums.v1;

let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  // The default call timeout (120 s): only a heartbeat can bring the lost attempt back sooner.
  stack = await startTestStack({ xeroUrl: sandbox.url });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

describe('a worker killed while Xero is working on its call', () => {
  it('has the attempt retried elsewhere on a heartbeat timeout, and pushes nothing twice', async () => {
    expect(stack.env.XERO_CALL_TIMEOUT_MS).toBe(120_000);
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    await stack.stopWorker();
    const worker = await spawnWorkerProcess(envForChild(stack.env));
    try {
      // Xero takes its time over each write: the worker is waiting on it when it dies.
      sandbox.control.setFaults({ latencyMs: 3_000, methods: ['POST', 'PUT'] });
      const members = Array.from({ length: 20 }, (_, i) => ({ id: `hb-${i}`, name: `Heartbeat member ${i}`, email: `hb${i}@example.org` }));
      expect((await apiClient(stack, orgId).putContacts(members)).status).toBe(200);
      // The batch is claimed and its write is at Xero (in flight): now the worker dies.
      await eventually(async () => {
        const [claimed] = await stack.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(syncState)
          .where(and(eq(syncState.orgId, orgId), sql`${syncState.claimId} is not null`));
        return claimed!.n === 20 && sandbox.control.counters().organisations[tenantId]!.inFlight > 0 ? true : undefined;
      });
      await worker.kill('SIGKILL');
    } finally {
      if (worker.child.exitCode === null && worker.child.signalCode === null) await worker.kill('SIGKILL');
    }
    // Xero finishes the call the dead worker made; the answer has nowhere to go.
    await eventually(async () => ((sandbox.control.records(tenantId).contacts as unknown[]).length === 20 ? true : undefined));
    sandbox.control.setFaults({ latencyMs: 0, methods: [] });
    await stack.startWorker();

    await eventually(async () => {
      const [row] = await stack.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(syncState)
        .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'synced')));
      return row!.n === 20 ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const org = sandbox.control.counters().organisations[tenantId]!;
    expect(org.contacts).toBe(20);
    expect(org.duplicates.contactNumbers).toEqual([]);
    expect(org.duplicates.contactNames).toEqual([]);

    // The server gave the lost attempt up for want of heartbeats (an attempt's last failure is kept on the
    // started event of the attempt that finally ran); none ran into its start-to-close timeout.
    const history = await stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).fetchHistory();
    const retried = history.events!
      .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && (e.activityTaskStartedEventAttributes!.attempt ?? 1) > 1)
      .map((e) => e.activityTaskStartedEventAttributes!.lastFailure?.timeoutFailureInfo?.timeoutType);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((k) => k === TimeoutType.TIMEOUT_TYPE_HEARTBEAT)).toBe(true);
  }, 120_000);
});
