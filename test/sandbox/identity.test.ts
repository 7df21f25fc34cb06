import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REDIRECT_URI, SCOPES, call, connectApp, form, startHarness, type Harness } from './helpers.ts';

const MINUTE = 60_000;
let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const token = (fields: Record<string, string>) => form(`${h.sandbox.identityUrl}/connect/token`, fields, [h.clientId, h.clientSecret]);

describe('authorisation page', () => {
  it('lets a person pick organisations and approve, redirecting with code and state', async () => {
    const second = h.sandbox.control.createOrganisation({ name: 'Second Club', countryCode: 'AU' });
    const query = new URLSearchParams({ response_type: 'code', client_id: h.clientId, redirect_uri: REDIRECT_URI, scope: SCOPES, state: 'xyz' });
    const page = await fetch(`${h.sandbox.loginUrl}/identity/connect/authorize?${query}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Test Rowing Club');
    expect(html).toContain('Second Club');

    const body = new URLSearchParams({ ...Object.fromEntries(query), decision: 'allow' });
    body.append('tenantId', h.tenantId);
    body.append('tenantId', second.tenantId);
    const approved = await fetch(`${h.sandbox.loginUrl}/identity/connect/authorize`, { method: 'POST', body, redirect: 'manual' });
    expect(approved.status).toBe(302);
    const location = new URL(approved.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('xyz');
    const tokens = await token({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: REDIRECT_URI });
    expect(tokens.status).toBe(200);
    const connections = await call(`${h.sandbox.url}/connections`, 'GET', { accessToken: tokens.body.access_token });
    expect(connections.body.map((c: { tenantName: string }) => c.tenantName).sort()).toEqual(['Second Club', 'Test Rowing Club']);
  });

  it('redirects with error=access_denied when the person cancels', async () => {
    const body = new URLSearchParams({ response_type: 'code', client_id: h.clientId, redirect_uri: REDIRECT_URI, scope: SCOPES, state: 'st', decision: 'deny' });
    const denied = await fetch(`${h.sandbox.loginUrl}/identity/connect/authorize`, { method: 'POST', body, redirect: 'manual' });
    const location = new URL(denied.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st');
  });

  it('refuses an unregistered redirect URI with an error page and an unknown scope by redirect', async () => {
    const bad = await fetch(`${h.sandbox.loginUrl}/identity/connect/authorize?${new URLSearchParams({ response_type: 'code', client_id: h.clientId, redirect_uri: 'http://evil.example/cb', scope: SCOPES })}`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    const scope = await fetch(`${h.sandbox.loginUrl}/identity/connect/authorize?${new URLSearchParams({ response_type: 'code', client_id: h.clientId, redirect_uri: REDIRECT_URI, scope: 'accounting.everything' })}`, { redirect: 'manual' });
    expect(new URL(scope.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });
});

describe('token endpoint', () => {
  it('answers a code exchange in Xero\'s shape, and a replayed code is invalid_grant', async () => {
    const { code } = h.sandbox.control.authorize({ clientId: h.clientId, redirectUri: REDIRECT_URI, scope: SCOPES, tenantIds: [h.tenantId] });
    const first = await token({ grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 1800, scope: SCOPES });
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.id_token.split('.')).toHaveLength(3);
    const replay = await token({ grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI });
    expect(replay).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('checks the redirect URI and the PKCE verifier', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = () => h.sandbox.control.authorize({ clientId: h.clientId, redirectUri: REDIRECT_URI, scope: SCOPES, tenantIds: [h.tenantId], codeChallenge: challenge, codeChallengeMethod: 'S256' }).code!;
    expect((await token({ grant_type: 'authorization_code', code: authorize(), redirect_uri: 'http://localhost:3999/other' })).body).toEqual({ error: 'invalid_grant' });
    expect((await token({ grant_type: 'authorization_code', code: authorize(), redirect_uri: REDIRECT_URI, code_verifier: 'wrong' })).body).toEqual({ error: 'invalid_grant' });
    expect((await token({ grant_type: 'authorization_code', code: authorize(), redirect_uri: REDIRECT_URI })).body).toEqual({ error: 'invalid_grant' });
    expect((await token({ grant_type: 'authorization_code', code: authorize(), redirect_uri: REDIRECT_URI, code_verifier: verifier })).status).toBe(200);
  });

  it('takes client credentials in the body as well as by Basic auth, and refuses a wrong secret', async () => {
    const { code } = h.sandbox.control.authorize({ clientId: h.clientId, redirectUri: REDIRECT_URI, scope: SCOPES, tenantIds: [h.tenantId] });
    const wrong = await form(`${h.sandbox.identityUrl}/connect/token`, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, client_id: h.clientId, client_secret: 'nope' });
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_client' } });
    const right = await form(`${h.sandbox.identityUrl}/connect/token`, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, client_id: h.clientId, client_secret: h.clientSecret });
    expect(right.status).toBe(200);
  });

  it('rotates the refresh token; the old one works during the 30-minute grace period, then invalid_grant', async () => {
    const first = h.tokens.refresh_token!;
    const rotated = await token({ grant_type: 'refresh_token', refresh_token: first });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(first);
    h.sandbox.control.advanceClock(29 * MINUTE);
    expect((await token({ grant_type: 'refresh_token', refresh_token: first })).status).toBe(200);
    h.sandbox.control.advanceClock(2 * MINUTE);
    expect(await token({ grant_type: 'refresh_token', refresh_token: first })).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect((await token({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token })).status).toBe(200);
    expect(h.sandbox.control.counters().tokens).toMatchObject({ refreshed: 3, invalidGrant: 1 });
  });

  it('grace and lifetimes follow the time scale', async () => {
    h.sandbox.control.setTimeScale(3600); // a Xero hour per real second: 30 minutes = 0.5 s
    const rotated = await token({ grant_type: 'refresh_token', refresh_token: h.tokens.refresh_token! });
    expect(rotated.body.expires_in).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect((await token({ grant_type: 'refresh_token', refresh_token: h.tokens.refresh_token! })).body).toEqual({ error: 'invalid_grant' });
  });

  it('expires a refresh token left unused for 60 days', async () => {
    h.sandbox.control.advanceClock(60 * 24 * 60 * MINUTE + 1);
    expect((await token({ grant_type: 'refresh_token', refresh_token: h.tokens.refresh_token! })).body).toEqual({ error: 'invalid_grant' });
  });

  it('gives no refresh token without offline_access', async () => {
    const tokens = await connectApp(h.sandbox, h.clientId, h.clientSecret, [h.tenantId], 'accounting.contacts');
    expect(tokens.refresh_token).toBeUndefined();
  });
});

describe('Accounting access checks', () => {
  it('answers 401 in the problem shape for a missing, unknown or expired token', async () => {
    const missing = await h.api('GET', '/Contacts', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ Title: 'Unauthorized', Status: 401, Detail: 'AuthorizationUnsuccessful' });
    expect((await h.api('GET', '/Contacts', { token: 'not-a-token' })).status).toBe(401);
    h.sandbox.control.advanceClock(31 * MINUTE);
    const expired = await h.api('GET', '/Contacts');
    expect(expired.status).toBe(401);
    expect(expired.body.Detail).toMatch(/^TokenExpired: token expired at /);
  });

  it('answers 403 without xero-tenant-id, or for an organisation the app is not connected to', async () => {
    const missing = await h.api('GET', '/Contacts', { tenantId: null });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
    const other = h.sandbox.control.createOrganisation({ name: 'Not connected' });
    expect((await h.api('GET', '/Contacts', { tenantId: other.tenantId })).status).toBe(403);
  });

  it('answers 401 when the token lacks the scope for the endpoint', async () => {
    const tokens = await connectApp(h.sandbox, h.clientId, h.clientSecret, [h.tenantId], 'accounting.contacts.read');
    expect((await h.api('GET', '/Contacts', { token: tokens.access_token })).status).toBe(200);
    expect((await h.api('PUT', '/Contacts', { token: tokens.access_token, body: { Contacts: [{ Name: 'X' }] } })).status).toBe(401);
    expect((await h.api('GET', '/Invoices', { token: tokens.access_token })).status).toBe(401);
  });
});

describe('connections and revocation', () => {
  it('lists connections in Xero\'s shape and disconnects one with DELETE', async () => {
    const list = await call(`${h.sandbox.url}/connections`, 'GET', { accessToken: h.tokens.access_token });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ tenantId: h.tenantId, tenantType: 'ORGANISATION', tenantName: 'Test Rowing Club' });
    expect(list.body[0].createdDateUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$/);
    expect(list.body[0].authEventId).toEqual(expect.any(String));
    const removed = await call(`${h.sandbox.url}/connections/${list.body[0].id}`, 'DELETE', { accessToken: h.tokens.access_token });
    expect(removed.status).toBe(204);
    expect((await h.api('GET', '/Contacts')).status).toBe(403);
    expect((await call(`${h.sandbox.url}/connections/${list.body[0].id}`, 'DELETE', { accessToken: h.tokens.access_token })).status).toBe(404);
  });

  it('revoking the refresh token removes the grant\'s connections and kills its tokens', async () => {
    const revoked = await form(`${h.sandbox.identityUrl}/connect/revocation`, { token: h.tokens.refresh_token! }, [h.clientId, h.clientSecret]);
    expect(revoked.status).toBe(200);
    expect((await h.api('GET', '/Contacts')).status).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: h.tokens.refresh_token! })).body).toEqual({ error: 'invalid_grant' });
    const fresh = await connectApp(h.sandbox, h.clientId, h.clientSecret, [], 'openid offline_access');
    expect((await call(`${h.sandbox.url}/connections`, 'GET', { accessToken: fresh.access_token })).body).toEqual([]);
  });
});

describe('custom connections (client credentials)', () => {
  it('issues a token for its one organisation, without refresh token or tenant header', async () => {
    const custom = h.sandbox.control.registerClient({ kind: 'custom', tenantIds: [h.tenantId], scopes: ['accounting.contacts', 'accounting.settings.read'] });
    const tokens = await form(`${h.sandbox.identityUrl}/connect/token`, { grant_type: 'client_credentials' }, [custom.clientId, custom.clientSecret]);
    expect(tokens.status).toBe(200);
    expect(tokens.body.refresh_token).toBeUndefined();
    expect(tokens.body.expires_in).toBe(1800);
    const org = await call(`${h.sandbox.apiUrl}/Organisation`, 'GET', { accessToken: tokens.body.access_token });
    expect(org.status).toBe(200);
    expect(org.body.Organisations[0].OrganisationID).toBe(h.tenantId);
    const other = h.sandbox.control.createOrganisation({ name: 'Elsewhere' });
    expect((await call(`${h.sandbox.apiUrl}/Organisation`, 'GET', { accessToken: tokens.body.access_token, tenant: other.tenantId })).status).toBe(403);
    const web = await form(`${h.sandbox.identityUrl}/connect/token`, { grant_type: 'client_credentials' }, [h.clientId, h.clientSecret]);
    expect(web).toEqual({ status: 400, body: { error: 'unauthorized_client' } });
  });
});
