/**
 * The platform admin's endpoints on the real stack: status in the seed's shape (from the database, with
 * the workflow's view when Temporal answers), retry and resync through the same paced engine, against
 * the Xero sandbox.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { createApp } from '../../api/app.ts';
import { createTokenVerifier } from '../../api/auth.ts';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { xeroAdminFromEnv } from '../../api/routes/admin/deps.ts';
import { resyncEtaSeconds } from '../../api/routes/admin/resync-progress.ts';
import { createLogger } from '../../config/logger.ts';
import { settingsDefaultsFromEnv } from '../../config/settings-defaults.ts';
import { orgMappings, syncState, xeroConnections } from '../../db/schema/index.ts';
import { apiClient, type ApiResponse } from '../support/api-client.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
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

interface StatusBody {
  connected: boolean;
  token_expires_at: string | null;
  last_sync: string | null;
  sync_status: string;
  pending_syncs: number;
  failed_syncs: number;
  errors: Array<{ type: string; message: string; timestamp: string; record_id: string | null }>;
  connection_status: string | null;
  paused_reason: string | null;
  records_by_type: Record<string, Record<string, number>>;
  progress: { resync_id: string; total: number; done: number; failed: number; percent: number; eta_seconds: number; finished: boolean } | null;
  workflow: { phase: string; budget: { in_flight: number } } | null;
  workflow_unavailable: { reason: string; detail: string } | null;
}

const adminBase = (orgId: string) => `/api/admin/integrations/xero/${orgId}`;
const admin = (orgId: string, baseUrl = stack.apiUrl) => {
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, role: 'platform_admin' | 'client_admin' | 'service' = 'platform_admin'): Promise<ApiResponse<T>> => {
    const token = await stack.token(role, role === 'platform_admin' ? undefined : orgId);
    const res = await fetch(`${baseUrl}${adminBase(orgId)}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    call,
    status: () => call<StatusBody>('GET', '/status'),
    retry: (body: unknown) => call('POST', '/retry', body),
    resync: (body: unknown) => call('POST', '/resync', body),
  };
};

const invoice = (contactId: string, number: string, serviceCode = 'MEMBERSHIP') => ({
  contactId,
  number,
  date: '2026-11-01',
  dueDate: '2026-11-30',
  lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '150.00', serviceCode }],
});

async function syncStateOf(orgId: string, recordType: 'contact' | 'invoice', recordId: string) {
  const [row] = await stack.database.db
    .select()
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, recordType), eq(syncState.recordId, recordId)));
  return row;
}

async function settledState(orgId: string, recordType: 'contact' | 'invoice', recordId: string) {
  return eventually(async () => {
    const row = await syncStateOf(orgId, recordType, recordId);
    return row && row.state !== 'pending' ? row : undefined;
  });
}

async function countInState(orgId: string, state: 'pending' | 'synced') {
  const [row] = await stack.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.state, state)));
  return row?.n ?? 0;
}

/** A connected organisation with one synced contact, one synced invoice and one invoice Xero refused (archived account 280). */
async function orgWithOneFailedInvoice() {
  const org = await connectSandboxOrg(stack, sandbox, { serviceAccounts: { OLD: '280' } });
  const api = apiClient(stack, org.orgId);
  await api.putContact('m', { name: 'Dorothy Vaughan' });
  await api.putInvoices([
    { id: 'good', ...invoice('m', 'G-1') },
    { id: 'bad', ...invoice('m', 'B-1', 'OLD') },
  ]);
  expect((await settledState(org.orgId, 'invoice', 'good')).state).toBe('synced');
  expect((await settledState(org.orgId, 'invoice', 'bad')).state).toBe('failed');
  return org;
}

describe('GET .../status', () => {
  it("answers the seed's shape, with values, for a connected organisation with synced and failed records", async () => {
    const { orgId } = await orgWithOneFailedInvoice();
    // The workflow may still be finishing its pass (e.g. emailing) when the records have settled.
    const { status, body } = await eventually(async () => {
      const res = await admin(orgId).status();
      return res.body.sync_status === 'error' && res.body.workflow?.phase === 'idle' ? res : undefined;
    });
    expect(status).toBe(200);

    const [connection] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    const rows = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    const lastSynced = Math.max(...rows.map((r) => r.syncedAt?.getTime() ?? 0));
    expect(body).toMatchObject({
      connected: true,
      token_expires_at: connection!.tokenExpiresAt!.toISOString(),
      last_sync: new Date(lastSynced).toISOString(),
      sync_status: 'error',
      pending_syncs: 0,
      failed_syncs: 1,
      connection_status: 'connected',
      paused_reason: null,
      progress: null,
      workflow_unavailable: null,
    });
    expect(body.records_by_type.contact).toEqual({ pending: 0, synced: 1, failed: 0, skipped: 0 });
    expect(body.records_by_type.invoice).toEqual({ pending: 0, synced: 1, failed: 1, skipped: 0 });
    expect(body.workflow).toMatchObject({ phase: 'idle', budget: { in_flight: 0 } });

    // errors[]: the seed's {type, message, timestamp}; the message is Xero's words, then what to do.
    expect(body.errors).toHaveLength(1);
    const [error] = body.errors;
    expect(error).toMatchObject({ type: 'invoice', record_id: 'bad' });
    expect(error!.message).toMatch(/^Account code '280' is not a valid code for this document\. — Map the service to a valid, active Xero account/);
    const failedRow = await syncStateOf(orgId, 'invoice', 'bad');
    expect(error!.timestamp).toBe(failedRow!.lastAttemptAt!.toISOString());
  });

  it('says not_connected, with nothing queued, for an organisation that never connected Xero', async () => {
    const orgId = newOrgId();
    await apiClient(stack, orgId).putContact('m', { name: 'Unconnected Member' });
    // The workflow pauses and logs why; the status lists that reason as the connection's error.
    const { status, body } = await eventually(async () => {
      const res = await admin(orgId).status();
      return res.body.errors?.length > 0 ? res : undefined;
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ connected: false, token_expires_at: null, last_sync: null, sync_status: 'not_connected', connection_status: null, pending_syncs: 1 });
    expect(body.errors).toEqual([{ type: 'connection', message: expect.stringMatching(/^1 records waiting\. No Xero connection yet/), timestamp: expect.any(String), record_id: null }]);
  });

  it('answers 403 to client_admin and service tokens, even for their own organisation, and 404 for an unknown one', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox);
    for (const role of ['client_admin', 'service'] as const) {
      expect((await admin(orgId).call('GET', '/status', undefined, role)).status).toBe(403);
      expect((await admin(orgId).call('POST', '/retry', { sync_type: 'invoice' }, role)).status).toBe(403);
      expect((await admin(orgId).call('POST', '/resync', {}, role)).status).toBe(403);
    }
    const unknown = admin(newOrgId());
    expect((await unknown.status()).status).toBe(404);
    expect((await unknown.retry({ sync_type: 'invoice' })).status).toBe(404);
    expect((await unknown.resync({})).status).toBe(404);
  });

  it('answers from the database, with the workflow part null, when Temporal cannot be reached', async () => {
    const { orgId } = await orgWithOneFailedInvoice();
    const down = await appWithUnreachableTemporal();
    try {
      const started = Date.now();
      const { status, body } = await admin(orgId, down.url).status();
      expect(status).toBe(200);
      expect(Date.now() - started).toBeLessThan(down.timeoutMs + 2_000);
      expect(body).toMatchObject({ connected: true, sync_status: 'error', pending_syncs: 0, failed_syncs: 1, workflow: null });
      expect(body.workflow_unavailable).toMatchObject({ reason: 'no_answer' });
      expect(body.errors.map((e) => e.type)).toEqual(['invoice']);

      // A retry is committed all the same; the relay wakes the workflow once Temporal is back.
      const retry = await admin(orgId, down.url).retry({ sync_type: 'invoice' });
      expect(retry).toMatchObject({ status: 202, body: { requeued: 1, workflow_notified: false } });
      expect((await syncStateOf(orgId, 'invoice', 'bad'))!.state).toBe('pending');
    } finally {
      await down.close();
    }
  });
});

describe('POST .../retry', () => {
  it('after the mapping is fixed, pushes the failed invoice once, and reports unknown and unfailed ids', async () => {
    const { orgId, tenantId } = await orgWithOneFailedInvoice();
    await stack.database.db
      .insert(orgMappings)
      .values({ orgId, kind: 'service_account', platformCode: 'OLD', xeroCode: '200' })
      .onConflictDoUpdate({ target: [orgMappings.orgId, orgMappings.kind, orgMappings.platformCode], set: { xeroCode: '200' } });

    const res = await admin(orgId).retry({ sync_type: 'invoice', record_ids: ['bad', 'good', 'no-such-invoice'] });
    expect(res).toMatchObject({
      status: 202,
      body: { requeued: 1, not_found: ['no-such-invoice'], not_failed: [{ record_id: 'good', state: 'synced' }], workflow_notified: true },
    });

    const bad = await settledState(orgId, 'invoice', 'bad');
    expect(bad).toMatchObject({ state: 'synced', lastError: null });
    const inXero = (sandbox.control.records(tenantId).invoices as Array<{ InvoiceNumber?: string; InvoiceID: string }>).filter((i) => i.InvoiceNumber === 'B-1');
    expect(inXero).toHaveLength(1);
    expect(inXero[0]!.InvoiceID).toBe(bad.xeroId);
    expect(sandbox.control.counters().organisations[tenantId]!.duplicates.invoiceNumbers).toEqual([]);

    const after = await eventually(async () => {
      const s = await admin(orgId).status();
      return s.body.sync_status === 'idle' ? s.body : undefined;
    });
    expect(after).toMatchObject({ failed_syncs: 0, pending_syncs: 0, errors: [] });
    // Nothing failed any more: a retry of "all failed invoices" finds nothing to do.
    expect((await admin(orgId).retry({ sync_type: 'invoice' })).body).toMatchObject({ requeued: 0, not_found: [], not_failed: [], workflow_notified: false });
  });

  it('rejects an unknown sync_type, an empty or oversized record_ids and unknown fields with 422', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox);
    const tooMany = Array.from({ length: 1_001 }, (_, i) => `i-${i}`);
    for (const body of [{ sync_type: 'journal' }, { sync_type: 'invoice', record_ids: [] }, { sync_type: 'invoice', record_ids: tooMany }, { sync_type: 'invoice', extra: 1 }]) {
      const res = await admin(orgId).retry(body);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
    }
    expect((await admin(orgId).resync({ since: 'yesterday' })).status).toBe(422);
  });
});

describe('POST .../resync', () => {
  it('re-pushes 120 synced contacts as updates, reporting progress until done = total, with no duplicate in Xero', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const members = Array.from({ length: 120 }, (_, i) => ({ id: `member-${i}`, name: `Member ${i}`, email: `member-${i}@example.org` }));
    expect((await apiClient(stack, orgId).putContacts(members)).status).toBe(200);
    await eventually(async () => (await countInState(orgId, 'synced')) === 120, { timeoutMs: 60_000 });
    const xeroIds = new Map((await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId))).map((r) => [r.recordId, r.xeroId]));

    // With the worker stopped, the run's progress can be read before anything is pushed. Stopped only once
    // the workflow is idle: an activity cut off mid-call would wait out its timeout before its retry.
    await eventually(async () => (await admin(orgId).status()).body.workflow?.phase === 'idle');
    await stack.stopWorker();
    let resyncId = '';
    const pacing = xeroAdminFromEnv(stack.env).pacing;
    try {
      const res = await admin(orgId).resync({ sync_types: ['contact'] });
      expect(res).toMatchObject({ status: 202, body: { total: 120, requeued: 120, eta_seconds: resyncEtaSeconds(120, pacing), sync_types: ['contact'], since: null } });
      resyncId = res.body.resync_id as string;
      const { body } = await admin(orgId).status();
      expect(body).toMatchObject({ sync_status: 'syncing', pending_syncs: 120 });
      expect(body.progress).toMatchObject({ resync_id: resyncId, total: 120, done: 0, percent: 0, eta_seconds: resyncEtaSeconds(120, pacing), finished: false });
    } finally {
      await stack.startWorker();
    }

    const seen = new Set<number>();
    const final = await eventually(
      async () => {
        const { body } = await admin(orgId).status();
        seen.add(body.progress!.done);
        return body.progress!.finished ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(final.progress).toMatchObject({ resync_id: resyncId, total: 120, done: 120, failed: 0, percent: 100, eta_seconds: 0, finished: true });
    expect([...seen].every((done) => done >= 0 && done <= 120)).toBe(true);
    expect(final).toMatchObject({ pending_syncs: 0, failed_syncs: 0 });

    // Pushed as updates of the same Xero contacts: same ids, still 120, no duplicate.
    const after = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(after.every((r) => r.state === 'synced' && r.xeroId === xeroIds.get(r.recordId) && r.pushedVersion === r.version)).toBe(true);
    expect(sandbox.control.records(tenantId).contacts).toHaveLength(120);
    expect(sandbox.control.counters().organisations[tenantId]!.duplicates).toMatchObject({ contactNames: [], contactNumbers: [] });
  });

  it('with since, re-queues only the records the platform changed since then', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox);
    const api = apiClient(stack, orgId);
    await api.putContacts(['a', 'b', 'c'].map((id) => ({ id, name: `Member ${id}` })));
    await eventually(async () => (await countInState(orgId, 'synced')) === 3);
    // The database's clock, which stamps the records' updated_at (ms precision: a hair early, never late).
    const [{ now }] = (await stack.database.sql`select to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`) as unknown as [{ now: string }];
    // The main app changes b afterwards; it is pushed as usual.
    await api.putContact('b', { name: 'Member b (renamed)' });
    await eventually(async () => (await syncStateOf(orgId, 'contact', 'b'))?.pushedVersion === 2);

    const res = await admin(orgId).resync({ sync_types: ['contact'], since: now });
    expect(res).toMatchObject({ status: 202, body: { total: 1, requeued: 1 } });
    expect((await syncStateOf(orgId, 'contact', 'a'))!.state).toBe('synced');
    await eventually(async () => {
      const { body } = await admin(orgId).status();
      return body.progress?.finished && body.progress.done === 1 ? body : undefined;
    });
    expect((await admin(orgId).resync({ sync_types: ['contact'], since: new Date(Date.now() + 3_600_000).toISOString() })).body).toMatchObject({
      total: 0,
      eta_seconds: 0,
      workflow_notified: false,
    });
  });
});

/** The same API on the same database, with a Temporal client pointed at a port nothing listens on. */
async function appWithUnreachableTemporal() {
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const connection = Connection.lazy({ address: `127.0.0.1:${closedPort}` });
  const temporal = new Client({ connection, namespace: 'default' });
  const timeoutMs = 1_000;
  const app = createApp({
    db: stack.database.db,
    temporal,
    workflows: createOrgWorkflows(temporal, stack.taskQueue),
    lifecycle: { resume: async () => {}, pause: async () => {} },
    verifyToken: createTokenVerifier({ jwtSecret: stack.env.API_JWT_SECRET }),
    logger: createLogger({ level: 'silent' }),
    settingsDefaults: settingsDefaultsFromEnv(stack.env),
    xeroAdmin: { ...xeroAdminFromEnv(stack.env), temporalTimeoutMs: timeoutMs },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeoutMs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}
