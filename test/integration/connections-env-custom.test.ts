/**
 * A single-organisation deployment (the seed's AMS setup): the custom connection comes from the
 * environment (XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_TENANT_ID), not from the organisation's settings.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { orgSettings, syncState, xeroConnections } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery } from '../../workflows/messages.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';

let sandbox: Sandbox;
let stack: TestStack;
let tenant: { tenantId: string; name: string };
beforeAll(async () => {
  sandbox = await startTestSandbox();
  tenant = sandbox.control.createOrganisation({ name: `AMS Books ${randomUUID().slice(0, 6)}` });
  const client = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenant.tenantId] });
  stack = await startTestStack({
    xeroUrl: sandbox.url,
    env: { XERO_CLIENT_ID: client.clientId, XERO_CLIENT_SECRET: client.clientSecret, XERO_TENANT_ID: tenant.tenantId },
  });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

describe('custom connection from the environment', () => {
  it('links the configured Xero organisation, and the worker syncs through it', async () => {
    const orgId = newOrgId();
    const api = integrationApi(stack, orgId);
    const oauth = await api.connect();
    expect(oauth.status).toBe(409);
    expect(oauth.body).toMatchObject({ code: 'xero_app_not_configured', detail: expect.stringContaining('custom connection') });

    const connected = await api.connect({ type: 'custom' });
    expect(connected.status).toBe(200);
    expect(connected.body).toMatchObject({ status: 'connected', authType: 'custom', xeroTenantId: tenant.tenantId, xeroOrganisationName: tenant.name });
    // Nothing of the environment's credentials is copied into the organisation's settings.
    expect(await stack.database.db.select().from(orgSettings).where(eq(orgSettings.orgId, orgId))).toEqual([]);
    expect((await api.settings()).body).toMatchObject({ clientId: null, clientSecretSet: false });

    // The worker's token provider uses the same environment credentials.
    const main = apiClient(stack, orgId, 'service');
    expect((await main.putContact('member-9', { name: 'Mary Somerville' })).status).toBe(200);
    const synced = await eventually(async () => {
      const [state] = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
      return state?.state === 'synced' ? state : undefined;
    });
    expect(sandbox.control.records(tenant.tenantId).contacts).toEqual([expect.objectContaining({ ContactID: synced.xeroId, Name: 'Mary Somerville' })]);
    expect((await api.test()).body.ok).toBe(true);

    // One Xero organisation, one platform organisation.
    const second = await integrationApi(stack, newOrgId()).connect({ type: 'custom' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'tenant_linked_elsewhere' });

    // Disconnecting stops using it (Xero keeps the custom connection: only Xero can end it) and pauses the sync.
    const disconnected = await api.disconnect();
    expect(disconnected.body).toMatchObject({ status: 'disconnected', xero: { connectionRemoved: false, message: expect.stringContaining('stays authorised in Xero') } });
    const [row] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    expect(row).toMatchObject({ status: 'disconnected', accessTokenEnc: null });
    const handle = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
    await eventually(async () => (await handle.query(statusQuery)).pausedReason === 'disconnected');

    // Once free, another organisation of the deployment may take it.
    expect((await integrationApi(stack, newOrgId()).connect({ type: 'custom' })).body).toMatchObject({ status: 'connected', xeroTenantId: tenant.tenantId });
  });
});
