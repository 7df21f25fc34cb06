/**
 * The platform admin's status endpoint on the real stack: the admin guide's shape and values, from the
 * database, with the workflow's view when Temporal answers, against the Xero sandbox.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app.ts';
import { createTokenVerifier } from '../../api/auth.ts';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { xeroAdminFromEnv } from '../../api/routes/admin/deps.ts';
import { settingsDefaultsFromEnv } from '../../config/settings-defaults.ts';
import { orgMappings, syncState, xeroConnections } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { invoice, useAdminHarness } from './admin-harness.ts';
import { testLogger } from '../support/secret-audit.ts';

const h = useAdminHarness();

/** The admin guide's response example for `GET .../status`, verbatim. */
const GUIDE_EXAMPLE = `{
"connected": true,
"token_expires_at": "2025-01-20T15:00:00Z",
"last_sync": "2025-01-15T10:30:00Z",
"sync_status": "healthy",
"pending_syncs": 0,
"failed_syncs": 2,
"errors": [
{
"type": "contact_sync",
"message": "Duplicate contact: john@example.com",
"timestamp": "2025-01-15T09:15:00Z"
}
]
}`;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ERROR_TYPES = ['contact_sync', 'invoice_sync', 'payment_sync', 'expense_sync', 'connection'];

describe('GET .../status', () => {
  it("answers the guide's example: healthy for a connected, working organisation with 2 failed records, listed in errors", async () => {
    const { orgId } = await h.orgWithTwoFailedRecords();
    // The workflow may still be finishing its pass (e.g. emailing) when the records have settled.
    const { status, body } = await eventually(async () => {
      const res = await h.admin(orgId).status();
      return res.body.sync_activity === 'idle' && res.body.workflow?.phase === 'idle' ? res : undefined;
    });
    expect(status).toBe(200);

    // Every key of the example, with the example's value types; errors[] entries with the example's keys.
    const example = JSON.parse(GUIDE_EXAMPLE) as Record<string, unknown> & { errors: Array<Record<string, unknown>> };
    for (const [key, value] of Object.entries(example)) expect([key, typeof (body as unknown as Record<string, unknown>)[key]]).toEqual([key, typeof value]);
    for (const error of body.errors) {
      for (const [key, value] of Object.entries(example.errors[0]!)) expect([key, typeof (error as Record<string, unknown>)[key]]).toEqual([key, typeof value]);
      expect(ERROR_TYPES).toContain(error.type);
      expect(error.timestamp).toMatch(ISO_INSTANT);
    }
    expect(body.token_expires_at).toMatch(ISO_INSTANT);
    expect(body.last_sync).toMatch(ISO_INSTANT);

    // The example's values: connected, healthy despite the two failed records, nothing pending.
    expect(body).toMatchObject({ connected: true, sync_status: 'healthy', pending_syncs: 0, failed_syncs: 2 });
    expect(body.errors).toHaveLength(2);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'contact_sync', message: 'Duplicate contact: john@example.com', record_id: 'second-john' }),
        expect.objectContaining({ type: 'invoice_sync', record_id: 'bad', message: expect.stringMatching(/^Account code '280' is not a valid code for this document\. — Map the service to a valid, active Xero account/) }),
      ]),
    );
    const duplicate = body.errors.find((e) => e.type === 'contact_sync')!;
    expect(duplicate.xero_message).toBe('The contact name John Smith is already assigned to another contact. The contact name must be unique across all active contacts.');
    expect(duplicate.hint).toMatch(/Another Xero contact already has this name/);

    // The extra fields: what the database and the workflow say.
    const [connection] = await h.stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    const rows = await h.stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    const lastSynced = Math.max(...rows.map((r) => r.syncedAt?.getTime() ?? 0));
    expect(body).toMatchObject({
      token_expires_at: connection!.tokenExpiresAt!.toISOString(),
      last_sync: new Date(lastSynced).toISOString(),
      sync_activity: 'idle',
      degraded_reason: null,
      connection_status: 'connected',
      paused_reason: null,
      contact_limit: null,
      recent_pushes: { window: 20, ok: 3, failed: 2 },
      progress: null,
      workflow_unavailable: null,
    });
    expect(body.records_by_type.contact).toEqual({ pending: 0, synced: 2, failed: 1, skipped: 0 });
    expect(body.records_by_type.invoice).toEqual({ pending: 0, synced: 1, failed: 1, skipped: 0 });
    expect(body.workflow).toMatchObject({ phase: 'idle', budget: { in_flight: 0 } });
    const failedRow = await h.syncStateOf(orgId, 'invoice', 'bad');
    expect(body.errors.find((e) => e.type === 'invoice_sync')!.timestamp).toBe(failedRow!.lastAttemptAt!.toISOString());
  });

  it('says degraded while most recent pushes fail, and healthy again once they go through', async () => {
    const { orgId } = await connectSandboxOrg(h.stack, h.sandbox, { serviceAccounts: { OLD: '280' } });
    const api = apiClient(h.stack, orgId);
    await api.putContact('m', { name: 'Katherine Johnson' });
    await api.putInvoices(['a', 'b', 'c'].map((id) => ({ id, ...invoice('m', `OLD-${id}`, 'OLD') })));
    const degraded = await eventually(async () => {
      const res = await h.admin(orgId).status();
      return res.body.failed_syncs === 3 && res.body.sync_activity === 'idle' ? res.body : undefined;
    });
    expect(degraded).toMatchObject({ connected: true, sync_status: 'degraded', degraded_reason: 'recent_pushes_failing', recent_pushes: { ok: 1, failed: 3 } });

    await h.stack.database.db.insert(orgMappings).values({ orgId, kind: 'service_account', platformCode: 'OLD', xeroCode: '200' })
      .onConflictDoUpdate({ target: [orgMappings.orgId, orgMappings.kind, orgMappings.platformCode], set: { xeroCode: '200' } });
    expect((await h.admin(orgId).retry('{"sync_type": "invoices"}')).body).toMatchObject({ requeued: 3 });
    const healthy = await eventually(async () => {
      const res = await h.admin(orgId).status();
      return res.body.failed_syncs === 0 && res.body.sync_activity === 'idle' ? res.body : undefined;
    });
    expect(healthy).toMatchObject({ sync_status: 'healthy', degraded_reason: null, errors: [], recent_pushes: { ok: 4, failed: 3 } });
  });

  it('says disconnected, with the record waiting, for an organisation that never connected Xero', async () => {
    const orgId = newOrgId();
    await apiClient(h.stack, orgId).putContact('m', { name: 'Unconnected Member' });
    // The workflow pauses and logs why; the status lists that reason as the connection's error.
    const { status, body } = await eventually(async () => {
      const res = await h.admin(orgId).status();
      return res.body.errors?.length > 0 ? res : undefined;
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ connected: false, token_expires_at: null, last_sync: null, sync_status: 'disconnected', sync_activity: 'on_hold', connection_status: null, pending_syncs: 1 });
    expect(body.errors).toEqual([
      expect.objectContaining({ type: 'connection', message: expect.stringMatching(/^1 records waiting\. No Xero connection yet/), timestamp: expect.any(String), record_id: null }),
    ]);
  });

  it('answers 403 to client_admin and service tokens, even for their own organisation, and 404 for an unknown one', async () => {
    const { orgId } = await connectSandboxOrg(h.stack, h.sandbox);
    for (const role of ['client_admin', 'service'] as const) {
      expect((await h.admin(orgId).call('GET', '/status', undefined, role)).status).toBe(403);
      expect((await h.admin(orgId).call('GET', '/logs', undefined, role)).status).toBe(403);
      expect((await h.admin(orgId).call('POST', '/retry', { sync_type: 'invoice' }, role)).status).toBe(403);
      expect((await h.admin(orgId).call('POST', '/resync', {}, role)).status).toBe(403);
    }
    const unknown = h.admin(newOrgId());
    expect((await unknown.status()).status).toBe(404);
    expect((await unknown.call('GET', '/logs')).status).toBe(404);
    expect((await unknown.retry({ sync_type: 'invoice' })).status).toBe(404);
    expect((await unknown.resync({})).status).toBe(404);
  });

  it('answers from the database, with the workflow part null, when Temporal cannot be reached', async () => {
    const { orgId } = await h.orgWithOneFailedInvoice();
    const down = await appWithUnreachableTemporal();
    try {
      const started = Date.now();
      const { status, body } = await h.admin(orgId, down.url).status();
      expect(status).toBe(200);
      expect(Date.now() - started).toBeLessThan(down.timeoutMs + 2_000);
      expect(body).toMatchObject({ connected: true, sync_status: 'healthy', sync_activity: 'idle', pending_syncs: 0, failed_syncs: 1, workflow: null });
      expect(body.workflow_unavailable).toMatchObject({ reason: 'no_answer' });
      expect(body.errors.map((e) => e.type)).toEqual(['invoice_sync']);

      // A retry is committed all the same; the relay wakes the workflow once Temporal is back.
      const retry = await h.admin(orgId, down.url).retry({ sync_type: 'invoice' });
      expect(retry).toMatchObject({ status: 202, body: { requeued: 1, workflow_notified: false } });
      expect((await h.syncStateOf(orgId, 'invoice', 'bad'))!.state).toBe('pending');
    } finally {
      await down.close();
    }
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
    db: h.stack.database.db,
    temporal,
    workflows: createOrgWorkflows(temporal, h.stack.taskQueue),
    lifecycle: { resume: async () => {}, pause: async () => {}, ensureRevenueSchedule: async () => {} },
    verifyToken: createTokenVerifier({ jwtSecret: h.stack.env.API_JWT_SECRET }),
    logger: testLogger(),
    settingsDefaults: settingsDefaultsFromEnv(h.stack.env),
    xeroAdmin: { ...xeroAdminFromEnv(h.stack.env), temporalTimeoutMs: timeoutMs },
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
