/**
 * "Xero contact limit reached" (a listed cause of contacts not syncing): Xero's refusal of a new contact
 * under the organisation's plan holds that organisation's new contacts (pending, with a hint) while updates
 * still go; the status says so; an admin's retry of contacts, the next create Xero takes, or a day's wait
 * (the relay wakes the organisation when the hold's day is over) lifts it.
 */
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { CONTACT_LIMIT_HINT } from '../../activities/push/hints.ts';
import { listOrgsWithStalePendingWork } from '../../db/queries/stale-pending.ts';
import { xeroContactLimits } from '../../db/schema/index.ts';
import { CONTACT_LIMIT_REACHED } from '../../sandbox/accounting/contact-limit.ts';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { invoice, useAdminHarness } from './admin-harness.ts';

const h = useAdminHarness();

/** An organisation on a Xero plan that allows two contacts, which it holds already. */
async function orgAtItsContactLimit() {
  const org = await connectSandboxOrg(h.stack, h.sandbox, { organisation: { name: 'Small plan club', contactLimit: 2 } });
  const api = apiClient(h.stack, org.orgId);
  await api.putContacts([{ id: 'a', name: 'Ada Member' }, { id: 'b', name: 'Bea Member' }]);
  expect((await h.settledState(org.orgId, 'contact', 'b')).state).toBe('synced');
  await api.putContacts([{ id: 'c', name: 'Cy Newcomer' }, { id: 'd', name: 'Di Newcomer' }]);
  await eventually(async () => (await h.admin(org.orgId).status()).body.contact_limit?.waiting_contacts === 2);
  return { ...org, api };
}

const calls = (tenantId: string, endpoint: string) => h.sandbox.control.counters().calls[tenantId]?.[endpoint] ?? 0;

describe('Xero contact limit reached', () => {
  it('holds new contacts with a hint, says so in the status, still pushes updates, and an admin retry lifts it', async () => {
    const { orgId, tenantId, api } = await orgAtItsContactLimit();
    for (const id of ['c', 'd']) {
      expect(await h.syncStateOf(orgId, 'contact', id)).toMatchObject({ state: 'pending', xeroId: null, lastError: CONTACT_LIMIT_REACHED, lastErrorHint: CONTACT_LIMIT_HINT });
    }
    const { body: status } = await eventually(async () => {
      const res = await h.admin(orgId).status();
      return res.body.sync_activity === 'idle' ? res : undefined;
    });
    expect(status).toMatchObject({
      sync_status: 'degraded',
      degraded_reason: 'contact_limit_reached',
      pending_syncs: 2,
      contact_limit: { waiting_contacts: 2, xero_message: CONTACT_LIMIT_REACHED, reached_at: expect.any(String), retry_at: expect.any(String) },
    });
    expect(status.errors).toEqual([
      expect.objectContaining({
        type: 'contact_sync',
        message: 'Xero contact limit reached: 2 new contacts wait to be created; updates of contacts already in Xero still sync.',
        xero_message: CONTACT_LIMIT_REACHED,
        hint: expect.stringMatching(/^Upgrade the organisation's Xero plan or archive unused contacts, then retry contacts/),
      }),
    ]);
    expect((await h.admin(orgId).call<{ entries: Array<{ record_id: string; outcome: string }> }>('GET', '/logs?outcome=deferred')).body.entries.map((e) => e.record_id).sort()).toEqual(['c', 'd']);

    // An update still goes, alone; the held creates are not sent again, and an invoice of a held contact waits.
    const posts = calls(tenantId, 'POST /Contacts');
    const reads = calls(tenantId, 'GET /Contacts');
    await api.putContact('a', { name: 'Ada Member (renamed)' });
    await api.putInvoice('inv-c', invoice('c', 'C-1'));
    await eventually(async () => (await h.syncStateOf(orgId, 'contact', 'a'))?.pushedVersion === 2);
    await eventually(async () => (await h.admin(orgId).status()).body.sync_activity === 'idle');
    expect(calls(tenantId, 'POST /Contacts')).toBe(posts + 1);
    expect(calls(tenantId, 'GET /Contacts')).toBe(reads);
    const inXero = h.sandbox.control.records(tenantId).contacts as Array<{ Name: string }>;
    expect(inXero.map((c) => c.Name).sort()).toEqual(['Ada Member (renamed)', 'Bea Member']);
    expect(await h.syncStateOf(orgId, 'contact', 'c')).toMatchObject({ state: 'pending', attempts: 1 });
    expect(await h.syncStateOf(orgId, 'invoice', 'inv-c')).toMatchObject({ state: 'pending', attempts: 0 });

    // The Xero plan is upgraded; the admin retries contacts: the hold goes and everything waiting is pushed.
    h.sandbox.control.setContactLimit(tenantId, null);
    const retry = await h.admin(orgId).retry('{"sync_type": "contacts"}');
    expect(retry).toMatchObject({ status: 202, body: { sync_type: 'contacts', requeued: 0, contact_limit_cleared: true, workflow_notified: true } });
    expect((await h.settledState(orgId, 'contact', 'c')).state).toBe('synced');
    expect((await h.settledState(orgId, 'invoice', 'inv-c')).state).toBe('synced');
    const after = await eventually(async () => {
      const res = await h.admin(orgId).status();
      return res.body.sync_activity === 'idle' && res.body.pending_syncs === 0 ? res.body : undefined;
    });
    expect(after).toMatchObject({ sync_status: 'healthy', contact_limit: null, errors: [] });
    expect(h.sandbox.control.counters().organisations[tenantId]).toMatchObject({ contacts: 4, duplicates: { contactNames: [], contactNumbers: [] } });
  });

  it('tries the held contacts again once the hold has lasted its day, and a create Xero takes ends it', async () => {
    const { orgId, tenantId } = await orgAtItsContactLimit();
    const stale = async () => (await listOrgsWithStalePendingWork(h.stack.database.db, { olderThanMs: 0, limit: 100_000 })).some((o) => o.orgId === orgId);
    // Attempted and held: nothing for the relay to wake while the hold lasts.
    expect(await stale()).toBe(false);

    h.sandbox.control.setContactLimit(tenantId, 10);
    // A day later (the hold's retry time moved into the past, as the clock would).
    await h.stack.database.db.update(xeroContactLimits).set({ retryAt: sql`now() - interval '1 minute'` }).where(eq(xeroContactLimits.orgId, orgId));
    expect(await stale()).toBe(true);
    // What the relay does for such an organisation: wake it.
    await createOrgWorkflows(h.stack.temporal, h.stack.taskQueue).wake(orgId);
    expect((await h.settledState(orgId, 'contact', 'c')).state).toBe('synced');
    expect((await h.settledState(orgId, 'contact', 'd')).state).toBe('synced');
    expect(await h.stack.database.db.select().from(xeroContactLimits).where(eq(xeroContactLimits.orgId, orgId))).toEqual([]);
    expect(await stale()).toBe(false);
  });
});
