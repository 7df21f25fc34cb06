/**
 * Connecting Xero with OAuth2 (a Xero "Web app"), end to end: our API, the sandbox's real consent page
 * and identity service over HTTP, Postgres, and the organisation workflow on the real Temporal server.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { oauthStates } from '../../db/schema/index.ts';
import { createOAuthStateSigner } from '../../api/oauth/state.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { connectWithConsent, consentInBrowser, integrationApi, openCallback } from '../support/xero-consent.ts';
import { useOAuthHarness } from './oauth-harness.ts';

const h = useOAuthHarness();

describe('OAuth2 consent', () => {
  it('links the one Xero organisation of a consent: consent URL with PKCE and a signed state, then the callback', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Acme Ltd');
    const api = integrationApi(h.stack, orgId);
    const before = h.sandbox.control.counters().tokens.authorizationCode;

    const started = await api.connect();
    expect(started.status).toBe(200);
    const url = new URL(started.body.consentUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${h.sandbox.loginUrl}/identity/connect/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: h.webApp.clientId,
      redirect_uri: 'http://127.0.0.1:1/auth/callback/xero',
      scope: h.stack.env.XERO_SCOPES,
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')!.split('.')).toHaveLength(3); // a JWT
    expect(Date.parse(started.body.expiresAt)).toBeGreaterThan(Date.now());

    const callbackUrl = await consentInBrowser(h.stack, started.body.consentUrl, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    const result = await openCallback<{ code: string; card: Record<string, unknown> }>(callbackUrl);
    expect(result.status).toBe(200);
    expect(result.body.code).toBe('connected');
    expect(result.body.card).toMatchObject({ status: 'connected', authType: 'oauth', xeroTenantId: tenant.tenantId, xeroOrganisationName: tenant.name });
    expect(h.sandbox.control.counters().tokens.authorizationCode).toBe(before + 1);

    const card = await api.card();
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({ orgId, status: 'connected', xeroOrganisationName: tenant.name, lastSyncAt: null, message: null });
    expect(Date.parse(card.body.tokenExpiresAt as string) - Date.now()).toBeGreaterThan(25 * 60_000);
    expect(card.body.scopes).toEqual(expect.arrayContaining(['offline_access', 'accounting.contacts']));
    expect(Object.keys(card.body).join()).not.toMatch(/token(?!ExpiresAt)|secret/i);

    const row = await h.connectionRow(orgId);
    expect(row).toMatchObject({ status: 'connected', xeroTenantId: tenant.tenantId, authEventId: expect.any(String), xeroConnectionId: expect.any(String) });
    expect(row!.accessTokenEnc).toMatch(/^v1\.t1\./);
    // The organisation's workflow was told to carry on.
    await eventually(async () => (await h.workflowStatus(orgId)).pausedReason === undefined);
  });

  it('lets the admin pick when one consent covers several Xero organisations, and releases the others', async () => {
    const orgId = newOrgId();
    const [a, b, c] = [h.newTenant('Alpha'), h.newTenant('Bravo'), h.newTenant('Charlie')];
    const api = integrationApi(h.stack, orgId);

    const { result } = await connectWithConsent(h.stack, orgId, { tenantIds: [a.tenantId, b.tenantId, c.tenantId], user: `u-${orgId}` });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ code: 'awaiting_tenant' });
    expect((result.body.tenants as Array<{ tenantId: string }>).map((t) => t.tenantId).sort()).toEqual([a.tenantId, b.tenantId, c.tenantId].sort());
    expect((await api.card()).body).toMatchObject({ status: 'awaiting_tenant', xeroTenantId: null, message: expect.stringMatching(/choose/) });

    const listed = await api.tenants();
    expect(listed.status).toBe(200);
    expect(listed.body.tenants).toHaveLength(3);
    expect(listed.body.tenants.every((t) => !t.current && !t.linkedElsewhere)).toBe(true);

    const wrong = await api.pickTenant(randomUUID());
    expect(wrong.status).toBe(422);
    expect((wrong.body.errors as Array<{ path: string; message: string }>)[0]).toMatchObject({ path: 'body.tenantId', message: expect.stringContaining(b.tenantId) });

    const picked = await api.pickTenant(b.tenantId);
    expect(picked.status).toBe(200);
    expect(picked.body).toMatchObject({ status: 'connected', xeroTenantId: b.tenantId, xeroOrganisationName: b.name });
    expect((await api.tenants()).body.tenants.map((t) => [t.tenantId, t.current])).toEqual([[b.tenantId, true]]);

    // The unchosen organisations are no longer connected to the app at Xero.
    const row = await h.connectionRow(orgId);
    const accessToken = h.decrypt(row!.accessTokenEnc!, `access_token:${orgId}`);
    const atXero = (await (await fetch(`${h.sandbox.url}/connections`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as Array<{ tenantId: string }>;
    expect(atXero.map((x) => x.tenantId)).toEqual([b.tenantId]);
  });

  it('never links one Xero organisation to two platform organisations (409), at the callback and at the pick', async () => {
    const tenant = h.newTenant('Shared Books');
    const other = h.newTenant('Other Books');
    const first = newOrgId();
    expect((await connectWithConsent(h.stack, first, { tenantIds: [tenant.tenantId], user: `u-${first}` })).result.body.code).toBe('connected');

    const second = newOrgId();
    const { result } = await connectWithConsent(h.stack, second, { tenantIds: [tenant.tenantId], user: `u-${second}` });
    expect(result.status).toBe(409);
    expect(result.contentType).toContain('application/problem+json');
    expect(result.body).toMatchObject({ code: 'tenant_linked_elsewhere', detail: expect.stringContaining(`'${tenant.name}' is already linked to another organisation`) });
    expect((await integrationApi(h.stack, second).card()).body.status).toBe('not_connected');

    const third = newOrgId();
    const api = integrationApi(h.stack, third);
    expect((await connectWithConsent(h.stack, third, { tenantIds: [tenant.tenantId, other.tenantId], user: `u-${third}` })).result.body.code).toBe('awaiting_tenant');
    const listed = await api.tenants();
    expect(listed.body.tenants.find((t) => t.tenantId === tenant.tenantId)).toMatchObject({ linkedElsewhere: true });
    const refused = await api.pickTenant(tenant.tenantId);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('tenant_linked_elsewhere');
    expect((await api.pickTenant(other.tenantId)).body).toMatchObject({ status: 'connected', xeroTenantId: other.tenantId });
    // The first organisation is untouched.
    expect(await h.connectionRow(first)).toMatchObject({ status: 'connected', xeroTenantId: tenant.tenantId });
  });
});

describe('callback errors', () => {
  it('ends a denied consent on a page (or JSON) that says what happened and what to do', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Denied');
    const api = integrationApi(h.stack, orgId);

    const page = await openCallback((await consentInBrowser(h.stack, (await api.connect()).body.consentUrl, { tenantIds: [tenant.tenantId], user: 'u', decision: 'deny' })), 'text/html,application/xhtml+xml');
    expect(page.status).toBe(400);
    expect(page.contentType).toContain('text/html');
    expect(page.text).toContain('Access was declined');
    expect(page.text).toContain('Settings &gt; Integrations &gt; Xero');

    const json = await openCallback((await consentInBrowser(h.stack, (await api.connect()).body.consentUrl, { tenantIds: [], user: 'u', decision: 'deny' })));
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ code: 'consent_denied', detail: expect.stringContaining('Allow access') });
    expect((await api.card()).body.status).toBe('not_connected');
  });

  it('refuses an expired, forged or unknown state without exchanging the code', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Late');
    const api = integrationApi(h.stack, orgId);
    const exchanges = h.sandbox.control.counters().tokens.authorizationCode;

    const callbackUrl = await consentInBrowser(h.stack, (await api.connect()).body.consentUrl, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    await h.stack.database.db.update(oauthStates).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(oauthStates.orgId, orgId));
    const expired = await openCallback(callbackUrl);
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: 'state_expired', detail: expect.stringContaining('Start again from Settings > Integrations > Xero') });

    // A state whose own expiry has passed (signed with the real key).
    const signer = createOAuthStateSigner(h.stack.env.ENCRYPTION_KEY);
    const stale = await signer.sign({ orgId, stateId: randomUUID() }, new Date(Date.now() - 1000));
    expect((await openCallback(`${h.stack.apiUrl}/auth/callback/xero?code=abc&state=${stale}`)).body.code).toBe('state_expired');

    // Forged: another key; altered: one character of the signature changed; unknown: a valid signature, no row.
    const forged = await createOAuthStateSigner([{ id: 't1', key: randomBytes(32) }]).sign({ orgId, stateId: randomUUID() }, new Date(Date.now() + 60_000));
    const genuine = new URL(callbackUrl).searchParams.get('state')!;
    const altered = genuine.slice(0, -2) + (genuine.endsWith('A') ? 'BB' : 'AA');
    const unknown = await signer.sign({ orgId, stateId: randomUUID() }, new Date(Date.now() + 60_000));
    for (const state of [forged, altered, unknown]) {
      const res = await openCallback(`${h.stack.apiUrl}/auth/callback/xero?code=abc&state=${state}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_state');
    }
    expect((await openCallback(`${h.stack.apiUrl}/auth/callback/xero?code=abc`)).body.code).toBe('invalid_state');

    expect(h.sandbox.control.counters().tokens.authorizationCode).toBe(exchanges);
    expect((await api.card()).body.status).toBe('not_connected');
  });

  it('refuses a replayed callback, and a replayed code under a fresh state', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Replay');
    const api = integrationApi(h.stack, orgId);
    const exchanges = h.sandbox.control.counters().tokens.authorizationCode;

    const { callbackUrl, result } = await connectWithConsent(h.stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    expect(result.body.code).toBe('connected');
    const storedToken = (await h.connectionRow(orgId))!.accessTokenEnc;

    const replayed = await openCallback(callbackUrl);
    expect(replayed.status).toBe(409);
    expect(replayed.body).toMatchObject({ code: 'state_used', detail: expect.stringContaining('can be finished once') });

    // The old code with a new, valid state: Xero (the sandbox) refuses the spent code.
    const fresh = new URL((await api.connect()).body.consentUrl).searchParams.get('state')!;
    const oldCode = new URL(callbackUrl).searchParams.get('code')!;
    const reused = await openCallback(`${h.stack.apiUrl}/auth/callback/xero?code=${oldCode}&state=${fresh}`);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 'code_rejected', detail: expect.stringContaining('already used or has expired') });

    expect(h.sandbox.control.counters().tokens.authorizationCode).toBe(exchanges + 1);
    expect((await h.connectionRow(orgId))!.accessTokenEnc).toBe(storedToken); // the live connection is untouched
  });
});

