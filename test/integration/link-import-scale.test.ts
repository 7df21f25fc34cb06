/**
 * A 10,000-link import (the most one request takes) against Xero's real limits on a time-scaled sandbox (a
 * Xero minute lasts one second): verified in reads of 50 ids while the organisation's own workflow keeps
 * pushing new members through the same budget, without a single 429; then records arrive and update the
 * Xero contacts they were linked to, creating none.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq, like, sql } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { syncState, xeroLinkImports } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

const TIME_SCALE = 60;
const N = 10_000;
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

const syncedCount = async (orgId: string, prefix: string) => {
  const [row] = await stack.database.db
    .select({ n: sql<number>`count(*) filter (where ${syncState.state} = 'synced')::int`, last: sql<string | null>`max(${syncState.syncedAt})::text` })
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), like(syncState.recordId, `${prefix}%`)));
  return row!;
};

it('verifies 10,000 links within the organisation budget it shares with the pushes, then the records update what they link to', async () => {
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
  const xeroIds = Array.from({ length: N }, (_, i) => (sandbox.control.createContact(tenantId, { Name: `Member ${i} (old system)` }) as { ContactID: string }).ContactID);
  const admin = apiClient(stack, orgId, 'client_admin');
  const main = apiClient(stack, orgId);

  const started = Date.now();
  const posted = await admin.call<{ id: string; status: string }>('POST', `/api/orgs/${orgId}/integrations/xero/links`, {
    links: xeroIds.map((xeroId, i) => ({ type: 'contact', record_id: `m${i}`, xero_id: xeroId })),
  });
  expect(posted.status).toBe(202);
  // Meanwhile the main app sends new members: the organisation's workflow pushes them through the same budget.
  expect((await main.putContacts(Array.from({ length: 500 }, (_, i) => ({ id: `new-${i}`, name: `New member ${i}` })))).status).toBe(200);

  const done = await eventually(async () => {
    const [row] = await stack.database.db.select().from(xeroLinkImports).where(eq(xeroLinkImports.id, posted.body.id));
    return row?.status !== 'verifying' ? row : undefined;
  }, { timeoutMs: 120_000, intervalMs: 250 });
  expect(done).toMatchObject({ status: 'applied', rows: N, linkedRecords: 0, pendingRecords: N });
  const fresh = await eventually(async () => {
    const c = await syncedCount(orgId, 'new-');
    return c.n === 500 ? c : undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });
  // The pushes were not starved: every new member reached Xero before the import's last read.
  expect(new Date(fresh.last!).getTime()).toBeLessThan(done.finishedAt!.getTime());

  const reads = sandbox.control.counters().calls[tenantId]?.['GET /Contacts'] ?? 0;
  console.log(
    `link import: ${N.toLocaleString('en')} links verified in ${Date.now() - started} ms at time scale ${TIME_SCALE} ` +
      `(${((Date.now() - started) / (60_000 / TIME_SCALE)).toFixed(1)} Xero minutes), ${reads} GET /Contacts in all (imports read 50 ids a call), 500 new members pushed alongside`,
  );
  expect(reads).toBeGreaterThanOrEqual(N / 50);

  // The first thousand records arrive: each push updates the contact it was linked to.
  const items = Array.from({ length: 1_000 }, (_, i) => ({ id: `m${i * 10}`, name: `Member ${i * 10}` }));
  expect((await main.putContacts(items)).status).toBe(200);
  await eventually(async () => ((await syncedCount(orgId, 'm')).n === 1_000 ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });
  const [sample] = await stack.database.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordId, 'm4320')));
  expect(sample!.xeroId).toBe(xeroIds[4320]);
  const counters = sandbox.control.counters();
  expect(counters.organisations[tenantId]).toMatchObject({ contacts: N + 500 });
  expect(counters.rateLimited).toEqual({ minute: 0, day: 0, concurrent: 0, appminute: 0, injected: 0 });
}, 200_000);
