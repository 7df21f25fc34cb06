/**
 * The platform admin's status endpoint on the real stack: the seed's shape, from the database, with the
 * workflow's view when Temporal answers, against the Xero sandbox.
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
import { createLogger } from '../../config/logger.ts';
import { settingsDefaultsFromEnv } from '../../config/settings-defaults.ts';
import { syncState, xeroConnections } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { useAdminHarness } from './admin-harness.ts';

const h = useAdminHarness();

describe('GET .../status', () => {
  it("answers the seed's shape, with values, for a connected organisation with synced and failed records", async () => {
    const { orgId } = await h.orgWithOneFailedInvoice();
    // The workflow may still be finishing its pass (e.g. emailing) when the records have settled.
    const { status, body } = await eventually(async () => {
      const res = await h.admin(orgId).status();
      return res.body.sync_status === 'error' && res.body.workflow?.phase === 'idle' ? res : undefined;
    });
    expect(status).toBe(200);

    const [connection] = await h.stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    const rows = await h.stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
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
    const failedRow = await h.syncStateOf(orgId, 'invoice', 'bad');
    expect(error!.timestamp).toBe(failedRow!.lastAttemptAt!.toISOString());
  });

  it('says not_connected, with nothing queued, for an organisation that never connected Xero', async () => {
    const orgId = newOrgId();
    await apiClient(h.stack, orgId).putContact('m', { name: 'Unconnected Member' });
    // The workflow pauses and logs why; the status lists that reason as the connection's error.
    const { status, body } = await eventually(async () => {
      const res = await h.admin(orgId).status();
      return res.body.errors?.length > 0 ? res : undefined;
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ connected: false, token_expires_at: null, last_sync: null, sync_status: 'not_connected', connection_status: null, pending_syncs: 1 });
    expect(body.errors).toEqual([{ type: 'connection', message: expect.stringMatching(/^1 records waiting\. No Xero connection yet/), timestamp: expect.any(String), record_id: null }]);
  });

  it('answers 403 to client_admin and service tokens, even for their own organisation, and 404 for an unknown one', async () => {
    const { orgId } = await connectSandboxOrg(h.stack, h.sandbox);
    for (const role of ['client_admin', 'service'] as const) {
      expect((await h.admin(orgId).call('GET', '/status', undefined, role)).status).toBe(403);
      expect((await h.admin(orgId).call('POST', '/retry', { sync_type: 'invoice' }, role)).status).toBe(403);
      expect((await h.admin(orgId).call('POST', '/resync', {}, role)).status).toBe(403);
    }
    const unknown = h.admin(newOrgId());
    expect((await unknown.status()).status).toBe(404);
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
      expect(body).toMatchObject({ connected: true, sync_status: 'error', pending_syncs: 0, failed_syncs: 1, workflow: null });
      expect(body.workflow_unavailable).toMatchObject({ reason: 'no_answer' });
      expect(body.errors.map((e) => e.type)).toEqual(['invoice']);

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
    logger: createLogger({ level: 'silent' }),
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
