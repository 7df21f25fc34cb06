/**
 * The push engine under failure: injected 5xx answers, a worker killed (SIGKILL) after Xero did the
 * work but before the answer reached the database, and a worker stopped (SIGTERM) by a deploy in the
 * middle of a batch. Whatever happens, every record ends up in Xero once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { syncState } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { envForChild, spawnWorkerProcess } from '../support/worker-process.ts';

let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  // Short call timeout: an abandoned call is retried within seconds, not minutes.
  stack = await startTestStack({ xeroUrl: sandbox.url, env: { XERO_CALL_TIMEOUT_MS: '3000' } });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

async function states(orgId: string) {
  const rows = await stack.database.db
    .select({ recordType: syncState.recordType, state: syncState.state, n: sql<number>`count(*)::int` })
    .from(syncState)
    .where(eq(syncState.orgId, orgId))
    .groupBy(syncState.recordType, syncState.state);
  return Object.fromEntries(rows.map((r) => [`${r.recordType}:${r.state}`, r.n]));
}

const members = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, name: `Member ${prefix} ${i}`, email: `${prefix}${i}@example.org` }));
const invoices = (n: number, prefix = 'm') =>
  Array.from({ length: n }, (_, i) => ({
    id: `inv-${prefix}-${i}`,
    contactId: `${prefix}-${i}`,
    number: `INV-${prefix}-${i}`,
    date: '2026-11-01',
    dueDate: '2026-11-30',
    lines: [{ description: 'Membership', quantity: 1, unitAmount: '99.00' }],
  }));

describe('with 20% of Xero calls answered 500/503', () => {
  it('still syncs every record exactly once', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    // Seeded: the first call's dice land under 0.2, so at least one fault happens in every run.
    sandbox.control.setFaults({ errorRate: 0.2, errorStatuses: [500, 503], seed: 7 });
    try {
      const api = apiClient(stack, orgId);
      expect((await api.putContacts(members(150))).status).toBe(200);
      expect((await api.putInvoices(invoices(150))).status).toBe(200);
      await eventually(async () => {
        const s = await states(orgId);
        return s['contact:synced'] === 150 && s['invoice:synced'] === 150 ? s : undefined;
      }, { timeoutMs: 90_000, intervalMs: 250 });
    } finally {
      sandbox.control.setFaults({ errorRate: 0 });
    }
    const counters = sandbox.control.counters();
    const org = counters.organisations[tenantId]!;
    expect(org).toMatchObject({ contacts: 150, invoices: 150 });
    expect(org.duplicates).toEqual({ contactNames: [], contactNumbers: [], invoiceNumbers: [], invoiceReferences: [] });
    // The faults really happened (this is not a quiet run).
    expect(JSON.stringify(counters.faults)).toMatch(/50[03]/);
  }, 120_000);
});

describe('a worker killed between Xero doing the work and the database hearing of it', () => {
  it.each([
    ['when the retry comes within Xero\'s idempotency window', false],
    ['when the retry comes after the window (the key is forgotten)', true],
  ])('makes no duplicate %s', async (_, windowPassed) => {
    const replaysBefore = sandbox.control.counters().idempotentReplays;
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    await stack.stopWorker();
    const worker = await spawnWorkerProcess(envForChild(stack.env));
    try {
      // Xero does the work but the answer never comes back: the worker is left waiting on it.
      sandbox.control.setFaults({ timeoutRate: 1, timeoutMode: 'hang', timeoutMs: 60_000, methods: ['POST', 'PUT'] });
      const api = apiClient(stack, orgId);
      await api.putContacts(members(30, windowPassed ? 'late' : 'early'));
      await eventually(async () => ((sandbox.control.records(tenantId).contacts as unknown[]).length === 30 ? true : undefined), { timeoutMs: 30_000 });
      // Xero has the 30 contacts; our database does not know their ids yet. Now the worker dies.
      const [before] = await stack.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(syncState)
        .where(and(eq(syncState.orgId, orgId), eq(syncState.state, 'synced')));
      expect(before!.n).toBe(0);
      await worker.kill('SIGKILL');
    } finally {
      sandbox.control.setFaults({ timeoutRate: 0, methods: [] });
      if (worker.child.exitCode === null && worker.child.signalCode === null) await worker.kill('SIGKILL');
    }
    // Xero keeps an Idempotency-Key about 6 minutes.
    if (windowPassed) sandbox.control.advanceClock(7 * 60_000);
    await stack.startWorker();

    await eventually(async () => ((await states(orgId))['contact:synced'] === 30 ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });
    const org = sandbox.control.counters().organisations[tenantId]!;
    expect(org.contacts).toBe(30);
    expect(org.duplicates.contactNumbers).toEqual([]);
    expect(org.duplicates.contactNames).toEqual([]);
    // Each local record points at the Xero contact carrying its own id.
    const byNumber = new Map((sandbox.control.records(tenantId).contacts as Array<{ ContactNumber: string; ContactID: string }>).map((c) => [c.ContactNumber, c.ContactID]));
    const rows = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    for (const row of rows) expect(row.xeroId).toBe(byNumber.get(row.recordId));
    // Either way the retry re-read Xero's contacts and adopted them by ContactNumber: the adopted batch is a
    // different body, so it went out under a new key and nothing was replayed.
    expect(sandbox.control.counters().idempotentReplays - replaysBefore).toBe(0);
  }, 150_000);
});

describe('a worker stopped with SIGTERM (a deploy) in the middle of a batch', () => {
  it('finishes the batch in flight and records it before the process exits', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    await stack.stopWorker();
    const worker = await spawnWorkerProcess(envForChild(stack.env));
    try {
      sandbox.control.setFaults({ latencyMs: 2_000, methods: ['POST', 'PUT'] });
      await apiClient(stack, orgId).putContacts(members(20, 'term'));
      // The batch is claimed and its call is at Xero: now the worker is asked to stop.
      await eventually(async () => {
        const [claimed] = await stack.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(syncState)
          .where(and(eq(syncState.orgId, orgId), sql`${syncState.claimId} is not null`));
        return claimed!.n === 20 ? true : undefined;
      });
      await worker.kill('SIGTERM');
      expect(worker.child.exitCode, worker.output()).toBe(0);
    } finally {
      sandbox.control.setFaults({ latencyMs: 0, methods: [] });
      if (worker.child.exitCode === null && worker.child.signalCode === null) await worker.kill('SIGKILL');
    }
    // No worker has run since: the stopped one recorded what Xero answered before it exited.
    expect((await states(orgId))['contact:synced']).toBe(20);
    expect(sandbox.control.counters().organisations[tenantId]!.contacts).toBe(20);
    await stack.startWorker();
  }, 60_000);
});
