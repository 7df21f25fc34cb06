/**
 * Connecting Xero with OAuth2 (a Xero "Web app"), end to end: our API, the sandbox's real consent page
 * and identity service over HTTP, Postgres, and the organisation workflow on the real Temporal server.
 * Every log line of the run is captured, to prove no secret reaches one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { oauthStates, syncState, xeroConnections } from '../../db/schema/index.ts';
import { createSecretBox } from '../../lib/secret-box.ts';
import { createOAuthStateSigner } from '../../api/oauth/state.ts';
import { REAUTH_MESSAGE } from '../../xero/access.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery } from '../../workflows/messages.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { answersSeen, connectWithConsent, consentInBrowser, integrationApi, openCallback } from '../support/xero-consent.ts';

const webApp = { clientId: `WEB${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url') };
const logLines: string[] = [];
/** Every secret this file handled, checked against answers, logs and columns at the end. */
const secretsSeen = new Set<string>([webApp.clientSecret]);

let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox({ clients: [{ ...webApp, kind: 'web' }] });
  // No redaction on purpose: the code must never hand a secret to the logger in the first place.
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  stack = await startTestStack({
    xeroUrl: sandbox.url,
    logger,
    env: { XERO_CLIENT_ID: webApp.clientId, XERO_CLIENT_SECRET: webApp.clientSecret, XERO_REDIRECT_URI: 'http://127.0.0.1:1/auth/callback/xero' },
  });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

const secrets = () => createSecretBox(stack.env.ENCRYPTION_KEY);

async function connectionRow(orgId: string) {
  const [row] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
  return row;
}

/** Decrypts what is stored now, so the final test can look for these plaintexts everywhere. */
async function rememberSecrets(orgId: string) {
  const row = await connectionRow(orgId);
  if (row?.accessTokenEnc) secretsSeen.add(secrets().decrypt(row.accessTokenEnc, `access_token:${orgId}`));
  if (row?.refreshTokenEnc) secretsSeen.add(secrets().decrypt(row.refreshTokenEnc, `refresh_token:${orgId}`));
  for (const state of await stack.database.db.select().from(oauthStates).where(eq(oauthStates.orgId, orgId))) {
    secretsSeen.add(secrets().decrypt(state.codeVerifierEnc, `code_verifier:${orgId}`));
  }
  return row;
}

function rememberCode(callbackUrl: string) {
  const code = new URL(callbackUrl).searchParams.get('code');
  if (code) secretsSeen.add(code);
}

const newTenant = (name: string) => sandbox.control.createOrganisation({ name: `${name} ${randomUUID().slice(0, 6)}` });
const workflowStatus = (orgId: string) => stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery);

describe('OAuth2 consent', () => {
  it('links the one Xero organisation of a consent: consent URL with PKCE and a signed state, then the callback', async () => {
    const orgId = newOrgId();
    const tenant = newTenant('Acme Ltd');
    const api = integrationApi(stack, orgId);
    const before = sandbox.control.counters().tokens.authorizationCode;

    const started = await api.connect();
    expect(started.status).toBe(200);
    const url = new URL(started.body.consentUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${sandbox.loginUrl}/identity/connect/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: webApp.clientId,
      redirect_uri: 'http://127.0.0.1:1/auth/callback/xero',
      scope: stack.env.XERO_SCOPES,
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')!.split('.')).toHaveLength(3); // a JWT
    expect(Date.parse(started.body.expiresAt)).toBeGreaterThan(Date.now());

    const callbackUrl = await consentInBrowser(stack, started.body.consentUrl, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    rememberCode(callbackUrl);
    const result = await openCallback<{ code: string; card: Record<string, unknown> }>(callbackUrl);
    expect(result.status).toBe(200);
    expect(result.body.code).toBe('connected');
    expect(result.body.card).toMatchObject({ status: 'connected', authType: 'oauth', xeroTenantId: tenant.tenantId, xeroOrganisationName: tenant.name });
    expect(sandbox.control.counters().tokens.authorizationCode).toBe(before + 1);

    const card = await api.card();
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({ orgId, status: 'connected', xeroOrganisationName: tenant.name, lastSyncAt: null, message: null });
    expect(Date.parse(card.body.tokenExpiresAt as string) - Date.now()).toBeGreaterThan(25 * 60_000);
    expect(card.body.scopes).toEqual(expect.arrayContaining(['offline_access', 'accounting.contacts']));
    expect(Object.keys(card.body).join()).not.toMatch(/token(?!ExpiresAt)|secret/i);

    const row = await rememberSecrets(orgId);
    expect(row).toMatchObject({ status: 'connected', xeroTenantId: tenant.tenantId, authEventId: expect.any(String), xeroConnectionId: expect.any(String) });
    expect(row!.accessTokenEnc).toMatch(/^v1\.t1\./);
    // The organisation's workflow was told to carry on.
    await eventually(async () => (await workflowStatus(orgId)).pausedReason === undefined);
  });

  it('lets the admin pick when one consent covers several Xero organisations, and releases the others', async () => {
    const orgId = newOrgId();
    const [a, b, c] = [newTenant('Alpha'), newTenant('Bravo'), newTenant('Charlie')];
    const api = integrationApi(stack, orgId);

    const { callbackUrl, result } = await connectWithConsent(stack, orgId, { tenantIds: [a.tenantId, b.tenantId, c.tenantId], user: `u-${orgId}` });
    rememberCode(callbackUrl);
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
    const row = await rememberSecrets(orgId);
    const accessToken = secrets().decrypt(row!.accessTokenEnc!, `access_token:${orgId}`);
    const atXero = (await (await fetch(`${sandbox.url}/connections`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as Array<{ tenantId: string }>;
    expect(atXero.map((x) => x.tenantId)).toEqual([b.tenantId]);
  });

  it('never links one Xero organisation to two platform organisations (409), at the callback and at the pick', async () => {
    const tenant = newTenant('Shared Books');
    const other = newTenant('Other Books');
    const first = newOrgId();
    expect((await connectWithConsent(stack, first, { tenantIds: [tenant.tenantId], user: `u-${first}` })).result.body.code).toBe('connected');
    await rememberSecrets(first);

    const second = newOrgId();
    const { result } = await connectWithConsent(stack, second, { tenantIds: [tenant.tenantId], user: `u-${second}` });
    expect(result.status).toBe(409);
    expect(result.contentType).toContain('application/problem+json');
    expect(result.body).toMatchObject({ code: 'tenant_linked_elsewhere', detail: expect.stringContaining(`'${tenant.name}' is already linked to another organisation`) });
    expect((await integrationApi(stack, second).card()).body.status).toBe('not_connected');

    const third = newOrgId();
    const api = integrationApi(stack, third);
    expect((await connectWithConsent(stack, third, { tenantIds: [tenant.tenantId, other.tenantId], user: `u-${third}` })).result.body.code).toBe('awaiting_tenant');
    const listed = await api.tenants();
    expect(listed.body.tenants.find((t) => t.tenantId === tenant.tenantId)).toMatchObject({ linkedElsewhere: true });
    const refused = await api.pickTenant(tenant.tenantId);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('tenant_linked_elsewhere');
    expect((await api.pickTenant(other.tenantId)).body).toMatchObject({ status: 'connected', xeroTenantId: other.tenantId });
    await rememberSecrets(third);
    // The first organisation is untouched.
    expect(await connectionRow(first)).toMatchObject({ status: 'connected', xeroTenantId: tenant.tenantId });
  });
});

describe('callback errors', () => {
  it('ends a denied consent on a page (or JSON) that says what happened and what to do', async () => {
    const orgId = newOrgId();
    const tenant = newTenant('Denied');
    const api = integrationApi(stack, orgId);

    const page = await openCallback((await consentInBrowser(stack, (await api.connect()).body.consentUrl, { tenantIds: [tenant.tenantId], user: 'u', decision: 'deny' })), 'text/html,application/xhtml+xml');
    expect(page.status).toBe(400);
    expect(page.contentType).toContain('text/html');
    expect(page.text).toContain('Access was declined');
    expect(page.text).toContain('Settings &gt; Integrations &gt; Xero');

    const json = await openCallback((await consentInBrowser(stack, (await api.connect()).body.consentUrl, { tenantIds: [], user: 'u', decision: 'deny' })));
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ code: 'consent_denied', detail: expect.stringContaining('Allow access') });
    expect((await api.card()).body.status).toBe('not_connected');
    await rememberSecrets(orgId);
  });

  it('refuses an expired, forged or unknown state without exchanging the code', async () => {
    const orgId = newOrgId();
    const tenant = newTenant('Late');
    const api = integrationApi(stack, orgId);
    const exchanges = sandbox.control.counters().tokens.authorizationCode;

    const callbackUrl = await consentInBrowser(stack, (await api.connect()).body.consentUrl, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    rememberCode(callbackUrl);
    await stack.database.db.update(oauthStates).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(oauthStates.orgId, orgId));
    const expired = await openCallback(callbackUrl);
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: 'state_expired', detail: expect.stringContaining('Start again from Settings > Integrations > Xero') });

    // A state whose own expiry has passed (signed with the real key).
    const signer = createOAuthStateSigner(stack.env.ENCRYPTION_KEY);
    const stale = await signer.sign({ orgId, stateId: randomUUID() }, new Date(Date.now() - 1000));
    expect((await openCallback(`${stack.apiUrl}/auth/callback/xero?code=abc&state=${stale}`)).body.code).toBe('state_expired');

    // Forged: another key; altered: one character of the signature changed; unknown: a valid signature, no row.
    const forged = await createOAuthStateSigner([{ id: 't1', key: randomBytes(32) }]).sign({ orgId, stateId: randomUUID() }, new Date(Date.now() + 60_000));
    const genuine = new URL(callbackUrl).searchParams.get('state')!;
    const altered = genuine.slice(0, -2) + (genuine.endsWith('A') ? 'BB' : 'AA');
    const unknown = await signer.sign({ orgId, stateId: randomUUID() }, new Date(Date.now() + 60_000));
    for (const state of [forged, altered, unknown]) {
      const res = await openCallback(`${stack.apiUrl}/auth/callback/xero?code=abc&state=${state}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_state');
    }
    expect((await openCallback(`${stack.apiUrl}/auth/callback/xero?code=abc`)).body.code).toBe('invalid_state');

    expect(sandbox.control.counters().tokens.authorizationCode).toBe(exchanges);
    expect((await api.card()).body.status).toBe('not_connected');
    await rememberSecrets(orgId);
  });

  it('refuses a replayed callback, and a replayed code under a fresh state', async () => {
    const orgId = newOrgId();
    const tenant = newTenant('Replay');
    const api = integrationApi(stack, orgId);
    const exchanges = sandbox.control.counters().tokens.authorizationCode;

    const { callbackUrl, result } = await connectWithConsent(stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    rememberCode(callbackUrl);
    expect(result.body.code).toBe('connected');
    const storedToken = (await rememberSecrets(orgId))!.accessTokenEnc;

    const replayed = await openCallback(callbackUrl);
    expect(replayed.status).toBe(409);
    expect(replayed.body).toMatchObject({ code: 'state_used', detail: expect.stringContaining('can be finished once') });

    // The old code with a new, valid state: Xero (the sandbox) refuses the spent code.
    const fresh = new URL((await api.connect()).body.consentUrl).searchParams.get('state')!;
    const oldCode = new URL(callbackUrl).searchParams.get('code')!;
    const reused = await openCallback(`${stack.apiUrl}/auth/callback/xero?code=${oldCode}&state=${fresh}`);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 'code_rejected', detail: expect.stringContaining('already used or has expired') });

    expect(sandbox.control.counters().tokens.authorizationCode).toBe(exchanges + 1);
    expect((await connectionRow(orgId))!.accessTokenEnc).toBe(storedToken); // the live connection is untouched
    await rememberSecrets(orgId);
  });
});

describe('revocation, disconnect and reconnect', () => {
  it('marks the connection needs_reauth when the grant was revoked in Xero, pauses the sync, and a reconnect resumes it', async () => {
    const orgId = newOrgId();
    const tenant = newTenant('Revoked');
    const api = integrationApi(stack, orgId);
    expect((await connectWithConsent(stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` })).result.body.code).toBe('connected');
    const row = await rememberSecrets(orgId);
    const invalidGrants = sandbox.control.counters().tokens.invalidGrant;

    // The user removes the app in Xero: the grant and its tokens stop working.
    const basic = Buffer.from(`${webApp.clientId}:${webApp.clientSecret}`).toString('base64');
    const revoked = await fetch(`${sandbox.identityUrl}/connect/revocation`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: secrets().decrypt(row!.refreshTokenEnc!, `refresh_token:${orgId}`) }).toString(),
    });
    expect(revoked.status).toBe(200);

    const tested = await api.test();
    expect(tested.status).toBe(200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.checks[0]).toEqual({ check: 'credentials', status: 'fail', message: REAUTH_MESSAGE });
    expect(tested.body.checks.slice(1).every((c) => c.status === 'skipped')).toBe(true);
    expect(sandbox.control.counters().tokens.invalidGrant).toBe(invalidGrants + 1);

    expect((await api.card()).body).toMatchObject({ status: 'needs_reauth', message: REAUTH_MESSAGE });
    await eventually(async () => (await workflowStatus(orgId)).pausedReason === 'needs_reauth');

    // Reconnecting: a fresh consent for the same organisation resumes the paused work.
    expect((await connectWithConsent(stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` })).result.body.code).toBe('connected');
    await rememberSecrets(orgId);
    expect((await api.card()).body).toMatchObject({ status: 'connected', message: null });
    await eventually(async () => (await workflowStatus(orgId)).pausedReason === undefined);
    const retested = await api.test();
    expect(retested.body.ok).toBe(true);
    expect(retested.body.checks.map((c) => [c.check, c.status])).toEqual([
      ['credentials', 'pass'],
      ['organisation', 'pass'],
      ['scopes', 'pass'],
      ['currency', 'pass'],
      ['account_codes', 'pass'],
      ['tax_types', 'pass'],
      ['bank_account', 'warn'],
    ]);
  });

  it('disconnects at Xero (connection removed, grant revoked), keeps the records, and a reconnect pushes nothing again', async () => {
    const orgId = newOrgId();
    const tenant = newTenant('Round Trip');
    const api = integrationApi(stack, orgId);
    expect((await connectWithConsent(stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` })).result.body.code).toBe('connected');
    await rememberSecrets(orgId);

    // A member synced to Xero by the organisation's workflow.
    const main = apiClient(stack, orgId, 'service');
    expect((await main.putContact('member-1', { name: 'Ada Lovelace', email: 'ada@example.org' })).status).toBe(200);
    const synced = await eventually(async () => {
      const [state] = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
      return state?.state === 'synced' ? state : undefined;
    });
    const contactWrites = () => {
      const calls = sandbox.control.counters().calls[tenant.tenantId] ?? {};
      return Object.entries(calls).filter(([endpoint]) => /^(PUT|POST) \/Contacts/.test(endpoint)).reduce((n, [, count]) => n + count, 0);
    };
    const writesBefore = contactWrites();
    const revocations = sandbox.control.counters().tokens.revoked;

    const disconnected = await api.disconnect();
    expect(disconnected.status).toBe(200);
    expect(disconnected.body).toMatchObject({
      status: 'disconnected',
      xeroOrganisationName: tenant.name,
      tokenExpiresAt: null,
      xero: { connectionRemoved: true, grantRevoked: true },
    });
    expect(sandbox.control.counters().tokens.revoked).toBe(revocations + 1);
    expect(await connectionRow(orgId)).toMatchObject({ status: 'disconnected', accessTokenEnc: null, refreshTokenEnc: null, tokenExpiresAt: null });
    await eventually(async () => (await workflowStatus(orgId)).pausedReason === 'disconnected');
    // Records stay, on both sides.
    expect(sandbox.control.records(tenant.tenantId).contacts).toHaveLength(1);
    const [kept] = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(kept).toMatchObject({ state: 'synced', xeroId: synced.xeroId });
    // Disconnecting twice is harmless.
    expect((await api.disconnect()).body).toMatchObject({ status: 'disconnected', xero: { message: 'Already disconnected.' } });

    const drainsBefore = (await workflowStatus(orgId)).drains;
    expect((await connectWithConsent(stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` })).result.body.code).toBe('connected');
    await rememberSecrets(orgId);
    // Resumed: the workflow drains again, and finds nothing to push.
    await eventually(async () => {
      const status = await workflowStatus(orgId);
      return status.pausedReason === undefined && status.drains > drainsBefore && status.phase === 'idle';
    });
    expect(contactWrites()).toBe(writesBefore);
    expect(sandbox.control.records(tenant.tenantId).contacts).toHaveLength(1);
    const [after] = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(after).toMatchObject({ state: 'synced', xeroId: synced.xeroId, version: synced.version });
  });
});

describe('secrets', () => {
  it('never appear in answers, in log lines of the whole run, or in any plaintext column', async () => {
    expect(secretsSeen.size).toBeGreaterThan(20);
    expect(answersSeen.length).toBeGreaterThan(30);
    expect(logLines.some((l) => l.includes('Xero consent callback'))).toBe(true);
    expect(logLines.some((l) => l.includes('Xero connection needs re-authorisation'))).toBe(true);

    const leaks = (haystack: string) => [...secretsSeen].filter((s) => haystack.includes(s)).map((s) => `${s.slice(0, 4)}…`);
    expect(leaks(answersSeen.join('\n'))).toEqual([]);
    expect(leaks(logLines.join('\n'))).toEqual([]);

    const tables = await stack.database.sql<Array<{ name: string }>>`
      select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['xero_connections', 'org_settings', 'oauth_states']));
    for (const { name } of tables) {
      const rows = await stack.database.sql.unsafe(`select t::text as row from "${name}" t`);
      expect(leaks(rows.map((r) => String(r.row)).join('\n')), `plaintext secret in ${name}`).toEqual([]);
    }
  });
});
