/**
 * The platform admin's retry and resync of one organisation, end to end: records re-queued in the database,
 * pushed by the organisation's workflow at Xero's pace, progress reported by the status endpoint.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { orgMappings, syncState } from '../../db/schema/index.ts';
import { xeroAdminFromEnv } from '../../api/routes/admin/deps.ts';
import { resyncEtaSeconds } from '../../api/routes/admin/resync-progress.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { invoice, useAdminHarness } from './admin-harness.ts';

const h = useAdminHarness();

describe('POST .../retry', () => {
  it('after the mapping is fixed, pushes the failed invoice once, and reports unknown and unfailed ids', async () => {
    const { orgId, tenantId } = await h.orgWithOneFailedInvoice();
    await h.stack.database.db
      .insert(orgMappings)
      .values({ orgId, kind: 'service_account', platformCode: 'OLD', xeroCode: '200' })
      .onConflictDoUpdate({ target: [orgMappings.orgId, orgMappings.kind, orgMappings.platformCode], set: { xeroCode: '200' } });

    const res = await h.admin(orgId).retry({ sync_type: 'invoice', record_ids: ['bad', 'good', 'no-such-invoice'] });
    expect(res).toMatchObject({
      status: 202,
      body: { sync_type: 'invoices', requeued: 1, retried: ['bad'], not_found: ['no-such-invoice'], not_failed: [{ record_id: 'good', state: 'synced' }], workflow_notified: true },
    });
    expect(res.body.not_retried).toEqual([
      { record_id: 'good', reason: 'not_failed', state: 'synced', message: expect.stringMatching(/in Xero already: nothing to retry/) },
      { record_id: 'no-such-invoice', reason: 'not_found', message: 'No invoice with this id in this organisation.' },
    ]);

    const bad = await h.settledState(orgId, 'invoice', 'bad');
    expect(bad).toMatchObject({ state: 'synced', lastError: null });
    const inXero = (h.sandbox.control.records(tenantId).invoices as Array<{ InvoiceNumber?: string; InvoiceID: string }>).filter((i) => i.InvoiceNumber === 'B-1');
    expect(inXero).toHaveLength(1);
    expect(inXero[0]!.InvoiceID).toBe(bad.xeroId);
    expect(h.sandbox.control.counters().organisations[tenantId]!.duplicates.invoiceNumbers).toEqual([]);

    const after = await eventually(async () => {
      const s = await h.admin(orgId).status();
      return s.body.sync_activity === 'idle' ? s.body : undefined;
    });
    expect(after).toMatchObject({ sync_status: 'healthy', failed_syncs: 0, pending_syncs: 0, errors: [] });
    // Nothing failed any more: a retry of "all failed invoices" finds nothing to do.
    expect((await h.admin(orgId).retry({ sync_type: 'invoice' })).body).toMatchObject({ requeued: 0, not_found: [], not_failed: [], workflow_notified: false });
  });

  it("takes the guide's body verbatim: both ids unknown, each named with why, nothing queued", async () => {
    const { orgId } = await h.orgWithOneFailedInvoice();
    const res = await h.admin(orgId).retry('{"sync_type": "contacts", "record_ids": ["uuid-1", "uuid-2"]}');
    expect(res).toMatchObject({
      status: 200,
      body: {
        sync_type: 'contacts',
        requeued: 0,
        retried: [],
        not_found: ['uuid-1', 'uuid-2'],
        not_failed: [],
        not_retried: [
          { record_id: 'uuid-1', reason: 'not_found', message: 'No contact with this id in this organisation.' },
          { record_id: 'uuid-2', reason: 'not_found', message: 'No contact with this id in this organisation.' },
        ],
        contact_limit_cleared: false,
        workflow_notified: false,
      },
    });
    // The plural names of the guide for every type; the failed invoice is retried under "invoices".
    for (const sync_type of ['contacts', 'payments', 'expenses']) expect((await h.admin(orgId).retry({ sync_type })).status).toBe(200);
    expect(await h.admin(orgId).retry({ sync_type: 'invoices' })).toMatchObject({ status: 202, body: { sync_type: 'invoices', requeued: 1, retried: null } });
  });

  it('rejects an unknown sync_type, an empty or oversized record_ids and unknown fields with 422', async () => {
    const { orgId } = await connectSandboxOrg(h.stack, h.sandbox);
    const tooMany = Array.from({ length: 1_001 }, (_, i) => `i-${i}`);
    for (const body of [{ sync_type: 'journal' }, { sync_type: 'invoice', record_ids: [] }, { sync_type: 'invoice', record_ids: tooMany }, { sync_type: 'invoice', extra: 1 }]) {
      const res = await h.admin(orgId).retry(body);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
    }
    expect((await h.admin(orgId).resync({ since: 'yesterday' })).status).toBe(422);
  });
});

describe('POST .../resync', () => {
  it('re-pushes 120 synced contacts as updates, reporting progress until done = total, with no duplicate in Xero', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(h.stack, h.sandbox);
    const members = Array.from({ length: 120 }, (_, i) => ({ id: `member-${i}`, name: `Member ${i}`, email: `member-${i}@example.org` }));
    expect((await apiClient(h.stack, orgId).putContacts(members)).status).toBe(200);
    await eventually(async () => (await h.countInState(orgId, 'synced')) === 120, { timeoutMs: 60_000 });
    const xeroIds = new Map((await h.stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId))).map((r) => [r.recordId, r.xeroId]));

    // With the worker stopped, the run's progress can be read before anything is pushed. Stopped only once
    // the workflow is idle: an activity cut off mid-call would wait out its timeout before its retry.
    await eventually(async () => (await h.admin(orgId).status()).body.workflow?.phase === 'idle');
    await h.stack.stopWorker();
    let resyncId = '';
    const pacing = xeroAdminFromEnv(h.stack.env).pacing;
    try {
      const res = await h.admin(orgId).resync({ sync_types: ['contact'] });
      expect(res).toMatchObject({ status: 202, body: { total: 120, requeued: 120, eta_seconds: resyncEtaSeconds(120, pacing), sync_types: ['contacts'], since: null } });
      resyncId = res.body.resync_id as string;
      const { body } = await h.admin(orgId).status();
      expect(body).toMatchObject({ sync_status: 'healthy', sync_activity: 'syncing', pending_syncs: 120 });
      expect(body.progress).toMatchObject({ resync_id: resyncId, total: 120, done: 0, percent: 0, eta_seconds: resyncEtaSeconds(120, pacing), finished: false });
    } finally {
      await h.stack.startWorker();
    }

    const seen: number[] = [];
    const final = await eventually(
      async () => {
        const { body } = await h.admin(orgId).status();
        seen.push(body.progress!.done);
        return body.progress!.finished ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(final.progress).toMatchObject({ resync_id: resyncId, total: 120, done: 120, failed: 0, percent: 100, eta_seconds: 0, finished: true });
    // Progress only moves forward, and by whole batches: the 120 go out as batches of 50, 50 and 20, each
    // committed at once, so every value read is a sum of some of them (a count of claimed or half-stored
    // records would show up here as any other number).
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const batchSums = new Set([0, 20, 50, 70, 100, 120]);
    expect(seen.filter((done) => !batchSums.has(done))).toEqual([]);
    expect(final).toMatchObject({ pending_syncs: 0, failed_syncs: 0 });

    // Pushed as updates of the same Xero contacts: same ids, still 120, no duplicate.
    const after = await h.stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(after.every((r) => r.state === 'synced' && r.xeroId === xeroIds.get(r.recordId) && r.pushedVersion === r.version)).toBe(true);
    expect(h.sandbox.control.records(tenantId).contacts).toHaveLength(120);
    expect(h.sandbox.control.counters().organisations[tenantId]!.duplicates).toMatchObject({ contactNames: [], contactNumbers: [] });
  });

  it("takes the guide's body verbatim: contacts and invoices changed since 2025-01-01, pushed again as updates", async () => {
    const { orgId, tenantId } = await connectSandboxOrg(h.stack, h.sandbox);
    const api = apiClient(h.stack, orgId);
    await api.putContacts([{ id: 'a', name: 'Member a' }, { id: 'b', name: 'Member b' }]);
    await api.putInvoice('inv', invoice('a', 'R-1'));
    await eventually(async () => (await h.countInState(orgId, 'synced')) === 3);
    await eventually(async () => (await h.admin(orgId).status()).body.sync_activity === 'idle');

    const res = await h.admin(orgId).resync('{"sync_types": ["contacts", "invoices"], "since": "2025-01-01T00:00:00Z"}');
    expect(res).toMatchObject({ status: 202, body: { sync_types: ['contacts', 'invoices'], since: '2025-01-01T00:00:00.000Z', total: 3, requeued: 3 } });
    const done = await eventually(async () => {
      const { body } = await h.admin(orgId).status();
      return body.progress?.finished ? body : undefined;
    });
    expect(done.progress).toMatchObject({ resync_id: res.body.resync_id, sync_types: ['contacts', 'invoices'], total: 3, done: 3, failed: 0 });
    const counts = h.sandbox.control.counters().organisations[tenantId]!;
    expect(counts).toMatchObject({ contacts: 2, invoices: 1 });
    expect(counts.duplicates).toMatchObject({ contactNames: [], contactNumbers: [], invoiceNumbers: [] });
  });

  it('with since, re-queues only the records the platform changed since then', async () => {
    const { orgId } = await connectSandboxOrg(h.stack, h.sandbox);
    const api = apiClient(h.stack, orgId);
    await api.putContacts(['a', 'b', 'c'].map((id) => ({ id, name: `Member ${id}` })));
    await eventually(async () => (await h.countInState(orgId, 'synced')) === 3);
    // The database's clock, which stamps the records' updated_at (ms precision: a hair early, never late).
    const [{ now }] = (await h.stack.database.sql`select to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`) as unknown as [{ now: string }];
    // The main app changes b afterwards; it is pushed as usual.
    await api.putContact('b', { name: 'Member b (renamed)' });
    await eventually(async () => (await h.syncStateOf(orgId, 'contact', 'b'))?.pushedVersion === 2);

    const res = await h.admin(orgId).resync({ sync_types: ['contact'], since: now });
    expect(res).toMatchObject({ status: 202, body: { total: 1, requeued: 1 } });
    expect((await h.syncStateOf(orgId, 'contact', 'a'))!.state).toBe('synced');
    await eventually(async () => {
      const { body } = await h.admin(orgId).status();
      return body.progress?.finished && body.progress.done === 1 ? body : undefined;
    });
    expect((await h.admin(orgId).resync({ sync_types: ['contact'], since: new Date(Date.now() + 3_600_000).toISOString() })).body).toMatchObject({
      total: 0,
      eta_seconds: 0,
      workflow_notified: false,
    });
  });
});

