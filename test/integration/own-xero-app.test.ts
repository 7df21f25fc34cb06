/**
 * An organisation may bring its own Xero app (the CRM guide: "Copy Client ID and Client Secret and paste it
 * on this screen, then select Save, then click Connect"): its consent, code exchange, token refreshes and
 * revocation then use that app, not the deployment's; without one, the deployment's app is used. The
 * connection remembers its app, so later settings cannot make a refresh use the wrong one.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { syncState } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { consentInBrowser, integrationApi, openCallback } from '../support/xero-consent.ts';
import { useOAuthHarness } from './oauth-harness.ts';

const h = useOAuthHarness();
const MINUTES_31 = 31 * 60_000;

/** A second Xero web app in the sandbox: the organisation's own. */
function registerOwnApp() {
  return h.sandbox.control.registerClient({ kind: 'web', name: 'Our own Xero app', clientSecret: randomBytes(24).toString('base64url') });
}

async function consent(orgId: string, tenantId: string, consentUrl: string) {
  return openCallback(await consentInBrowser(h.stack, consentUrl, { tenantIds: [tenantId], user: `u-${orgId}` }));
}

/** Xero's access token ran out: the next push meets a 401 and refreshes with the connection's app. */
async function pushAfterExpiry(orgId: string, contactId: string) {
  const tokens = () => h.sandbox.control.counters().tokens;
  const before = { ...tokens() };
  h.sandbox.control.advanceClock(MINUTES_31);
  expect((await apiClient(h.stack, orgId).putContact(contactId, { name: `Member ${contactId}` })).status).toBe(200);
  await eventually(async () => {
    const rows = await h.stack.database.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordId, contactId)));
    return rows[0]?.state === 'synced';
  });
  expect(tokens().refreshed).toBeGreaterThan(before.refreshed);
  expect(tokens().invalidGrant).toBe(before.invalidGrant);
}

describe("the deployment's Xero app", () => {
  it('is used for the consent, the code and the refreshes when the organisation has none of its own', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Deployment app');
    const started = await integrationApi(h.stack, orgId).connect({ type: 'oauth' });
    expect(started.status).toBe(200);
    expect(started.body.app).toBe('deployment');
    expect(new URL(started.body.consentUrl).searchParams.get('client_id')).toBe(h.webApp.clientId);
    expect((await consent(orgId, tenant.tenantId, started.body.consentUrl)).body.code).toBe('connected');
    const row = await h.connectionRow(orgId);
    expect(row).toMatchObject({ status: 'connected', appClientId: h.webApp.clientId });
    // What Xero granted, from its token answer.
    expect(row!.scopes).toBe(h.stack.env.XERO_SCOPES);
    await pushAfterExpiry(orgId, 'm-1');
  });
});

describe("the organisation's own Xero app", () => {
  it('is used for the consent, the code, the refreshes and the revocation once its client id and secret are saved', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Own app');
    const own = registerOwnApp();
    const api = integrationApi(h.stack, orgId);
    // Step 6: paste the Client ID and Client Secret, Save. Step 7: Connect.
    expect((await api.putSettings({ clientId: own.clientId, clientSecret: own.clientSecret })).body).toMatchObject({ clientId: own.clientId, clientSecretSet: true });
    const started = await api.connect({ type: 'oauth' });
    expect(started.status).toBe(200);
    expect(started.body.app).toBe('organisation');
    const consentUrl = new URL(started.body.consentUrl);
    expect(consentUrl.searchParams.get('client_id')).toBe(own.clientId);
    // The deployment's callback, which the admin registers as their app's redirect URI.
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(h.stack.env.XERO_REDIRECT_URI);
    // Step 8: Allow access. The code is exchanged with the app it was issued to (Xero refuses any other).
    expect((await consent(orgId, tenant.tenantId, started.body.consentUrl)).body).toMatchObject({ code: 'connected' });
    expect(await h.connectionRow(orgId)).toMatchObject({ status: 'connected', appClientId: own.clientId, xeroTenantId: tenant.tenantId });
    await pushAfterExpiry(orgId, 'm-1');

    // The client id cannot change under the live connection; a new secret for it can (rotated in Xero's portal).
    const other = registerOwnApp();
    const switched = await api.putSettings({ clientId: other.clientId });
    expect(switched.status).toBe(409);
    expect(switched.body).toMatchObject({ code: 'disconnect_first' });
    expect((await api.putSettings({ clientSecret: null })).status).toBe(409);
    const rotated = randomBytes(24).toString('base64url');
    h.sandbox.control.registerClient({ kind: 'web', clientId: own.clientId, clientSecret: rotated, name: own.name });
    expect((await api.putSettings({ clientSecret: rotated })).status).toBe(200);
    await pushAfterExpiry(orgId, 'm-2');

    // Disconnect revokes the grant with the app it belongs to.
    const revoked = h.sandbox.control.counters().tokens.revoked;
    const disconnected = await api.disconnect();
    expect(disconnected.body).toMatchObject({ status: 'disconnected', xero: { grantRevoked: true } });
    expect(h.sandbox.control.counters().tokens.revoked).toBe(revoked + 1);
    // Free again: another app may be saved now.
    expect((await api.putSettings({ clientId: other.clientId, clientSecret: other.clientSecret })).status).toBe(200);
  });

  it('refuses to finish a consent whose app was replaced in the settings meanwhile, and says to start again', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Replaced app');
    const own = registerOwnApp();
    const api = integrationApi(h.stack, orgId);
    await api.putSettings({ clientId: own.clientId, clientSecret: own.clientSecret });
    const started = await api.connect({ type: 'oauth' });
    const callbackUrl = await consentInBrowser(h.stack, started.body.consentUrl, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    const other = registerOwnApp();
    await api.putSettings({ clientId: other.clientId, clientSecret: other.clientSecret });
    const finished = await openCallback(callbackUrl);
    expect(finished.status).toBe(409);
    expect(finished.body).toMatchObject({ code: 'xero_app_changed', detail: expect.stringContaining('Start again') });
    expect(await h.connectionRow(orgId)).toBeUndefined();
  });

  it('needs both halves: a client id without its secret is refused before Xero is involved', async () => {
    const orgId = newOrgId();
    const api = integrationApi(h.stack, orgId);
    await api.putSettings({ clientId: registerOwnApp().clientId });
    const started = await api.connect({ type: 'oauth' });
    expect(started.status).toBe(422);
    expect(started.body).toMatchObject({ code: 'xero_app_incomplete', errors: [{ path: 'settings.clientSecret' }] });
  });
});
