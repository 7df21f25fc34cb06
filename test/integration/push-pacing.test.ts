/**
 * Xero's real limits (60 calls a minute, 5 in flight, 5,000 a day) against a time-scaled sandbox, where a
 * Xero minute lasts one second: a sync that needs more than a minute's budget waits for Xero's window
 * instead of earning a 429: its pushes spend one call per 50 records (plus one read of Xero's contacts), and the
 * online invoice links that follow (one call per approved invoice, Xero's only way to ask) go through the same
 * budget.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { invoices, syncState } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

const TIME_SCALE = 60;
let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox({ timeScale: TIME_SCALE });
  stack = await startTestStack({ xeroUrl: sandbox.url, env: { XERO_RATE_WINDOW_MS: String(60_000 / TIME_SCALE) } });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

it('syncs 2,000 members and 2,000 invoices in 81 push calls, then links each approved invoice once (more than a minute of budget), without a single 429', async () => {
  const N = 2_000;
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
  const api = apiClient(stack, orgId);
  // Everything is accepted before a worker runs, so the first pass finds it all pending and every batch is
  // whole (a pass that began between two imports would push part-filled ones).
  await stack.stopWorker();
  for (let start = 0; start < N; start += 1_000) {
    const ids = Array.from({ length: 1_000 }, (_, i) => start + i);
    expect((await api.putContacts(ids.map((i) => ({ id: `m${i}`, name: `Member ${i}`, email: `m${i}@example.org` })))).status).toBe(200);
    const invoices = ids.map((i) => ({ id: `i${i}`, contactId: `m${i}`, number: `INV-${i}`, date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Membership', quantity: 1, unitAmount: '120.00' }] }));
    expect((await api.putInvoices(invoices)).status).toBe(200);
  }

  await stack.startWorker();
  await eventually(async () => {
    const [row] = await stack.database.db
      .select({ synced: sql<number>`count(*) filter (where ${syncState.state} = 'synced')::int` })
      .from(syncState)
      .where(eq(syncState.orgId, orgId));
    return row!.synced === 2 * N ? row : undefined;
  }, { timeoutMs: 90_000, intervalMs: 250 });

  // The links come after the batches that approved the invoices, each invoice's once.
  await eventually(async () => {
    const [row] = await stack.database.db
      .select({ linked: sql<number>`count(${invoices.onlineInvoiceUrl})::int` })
      .from(invoices)
      .where(eq(invoices.orgId, orgId));
    return row!.linked === N ? row : undefined;
  }, { timeoutMs: 120_000, intervalMs: 250 });

  const counters = sandbox.control.counters();
  expect(counters.rateLimited).toEqual({ minute: 0, day: 0, concurrent: 0, appminute: 0, injected: 0 });
  const { 'GET /Invoices/{InvoiceID}/OnlineInvoice': links, ...pushes } = counters.calls[tenantId] ?? {};
  const pushCalls = Object.values(pushes).reduce((a, b) => a + b, 0);
  // 40 contact batches + 40 invoice batches + 1 read of Xero's contacts (token calls are not Accounting calls).
  expect(pushCalls, JSON.stringify(counters.calls[tenantId])).toBe(81);
  expect(links).toBe(N);
  expect(counters.organisations[tenantId]).toMatchObject({ contacts: N, invoices: N });
}, 240_000);
