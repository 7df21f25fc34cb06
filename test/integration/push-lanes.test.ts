/**
 * A pass claims only what was pending: no claim for a kind with nothing pending, no more lanes than batches
 * due, and no empty claim after the last full batch. Every claim is an activity on the Xero queue, whose
 * dispatch rate is Xero's app-wide limit: `npm run bench -- --orgs 1000` found four claims in five made no
 * call (each lane of each kind claimed until it came back short), so 1,000 organisations ran at a quarter of
 * the limit and finished 75x apart.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import proto from '@temporalio/proto';
import type { Sandbox } from '../../sandbox/index.ts';
import { syncState } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
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

it('makes one claim per batch due: 100 contacts are two pushes, 30 invoices one, and nothing else is claimed', async () => {
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
  const api = apiClient(stack, orgId);
  const contacts = Array.from({ length: 100 }, (_, i) => ({ id: `m-${i}`, name: `Member ${i}`, email: `m${i}@example.org` }));
  expect((await api.putContacts(contacts)).status).toBe(200);
  const invoices = Array.from({ length: 30 }, (_, i) => ({
    id: `i-${i}`,
    contactId: `m-${i}`,
    number: `INV-${i}`,
    date: '2026-11-01',
    dueDate: '2026-11-30',
    lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '120.00' }],
  }));
  expect((await api.putInvoices(invoices)).status).toBe(200);
  await eventually(async () => {
    const [row] = await stack.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'synced')));
    return row!.n === 130 ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });

  const history = await stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).fetchHistory();
  const claims = history.events!
    .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes!.activityType!.name === 'pushBatch')
    .map((e) => (JSON.parse(Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![0]!.data!).toString()) as { recordType: string }).recordType);
  expect(claims.filter((t) => t === 'contact')).toHaveLength(2);
  expect(claims.filter((t) => t === 'invoice')).toHaveLength(1);
  expect(claims).toHaveLength(3);
  // Each claim was a call: Xero holds what the three calls sent, once.
  const org = sandbox.control.counters().organisations[tenantId]!;
  expect(org.contacts).toBe(100);
  expect(org.invoices).toBe(30);
}, 90_000);
