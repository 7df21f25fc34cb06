/**
 * A connection's life after consent, end to end: the grant revoked in Xero (needs re-authorisation, sync
 * paused, reconnect resumes), disconnect and reconnect (nothing pushed twice), and no secret handled along
 * the way ever reaching an answer, a log line or a plaintext column.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { syncState } from '../../db/schema/index.ts';
import { REAUTH_MESSAGE } from '../../xero/access.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { answersSeen, connectWithConsent, consentInBrowser, integrationApi, openCallback } from '../support/xero-consent.ts';
import { useOAuthHarness } from './oauth-harness.ts';

const h = useOAuthHarness();

/** The user removes the app in Xero: the grant and its tokens stop working. */
async function revokeInXero(refreshToken: string): Promise<void> {
  const basic = Buffer.from(`${h.webApp.clientId}:${h.webApp.clientSecret}`).toString('base64');
  const revoked = await fetch(`${h.sandbox.identityUrl}/connect/revocation`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: refreshToken }).toString(),
  });
  expect(revoked.status).toBe(200);
}

describe('revocation, disconnect and reconnect', () => {
  it('marks the connection needs_reauth when the grant was revoked in Xero, pauses the sync, and a reconnect resumes it', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Revoked');
    const api = integrationApi(h.stack, orgId);
    expect((await connectWithConsent(h.stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` })).result.body.code).toBe('connected');
    const row = await h.connectionRow(orgId);
    const invalidGrants = h.sandbox.control.counters().tokens.invalidGrant;

    await revokeInXero(h.decrypt(row!.refreshTokenEnc!, `refresh_token:${orgId}`));

    const tested = await api.test();
    expect(tested.status).toBe(200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.checks[0]).toEqual({ check: 'credentials', status: 'fail', message: REAUTH_MESSAGE });
    expect(tested.body.checks.slice(1).every((c) => c.status === 'skipped')).toBe(true);
    expect(h.sandbox.control.counters().tokens.invalidGrant).toBe(invalidGrants + 1);

    expect((await api.card()).body).toMatchObject({ status: 'needs_reauth', message: REAUTH_MESSAGE });
    await eventually(async () => (await h.workflowStatus(orgId)).pausedReason === 'needs_reauth');

    // Reconnecting: a fresh consent for the same organisation resumes the paused work.
    expect((await connectWithConsent(h.stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` })).result.body.code).toBe('connected');
    expect((await api.card()).body).toMatchObject({ status: 'connected', message: null });
    await eventually(async () => (await h.workflowStatus(orgId)).pausedReason === undefined);
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
      ['revenue_recognition', 'pass'],
    ]);
  });

  it('disconnects at Xero (connection removed, grant revoked), keeps the records, and a reconnect pushes nothing again', async () => {
    const orgId = newOrgId();
    const tenant = h.newTenant('Round Trip');
    const api = integrationApi(h.stack, orgId);
    expect((await connectWithConsent(h.stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` })).result.body.code).toBe('connected');

    // A member synced to Xero by the organisation's workflow.
    const main = apiClient(h.stack, orgId, 'service');
    expect((await main.putContact('member-1', { name: 'Ada Lovelace', email: 'ada@example.org' })).status).toBe(200);
    const synced = await eventually(async () => {
      const [state] = await h.stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
      return state?.state === 'synced' ? state : undefined;
    });
    const contactWrites = () => {
      const calls = h.sandbox.control.counters().calls[tenant.tenantId] ?? {};
      return Object.entries(calls).filter(([endpoint]) => /^(PUT|POST) \/Contacts/.test(endpoint)).reduce((n, [, count]) => n + count, 0);
    };
    const writesBefore = contactWrites();
    const revocations = h.sandbox.control.counters().tokens.revoked;

    const disconnected = await api.disconnect();
    expect(disconnected.status).toBe(200);
    expect(disconnected.body).toMatchObject({
      status: 'disconnected',
      xeroOrganisationName: tenant.name,
      tokenExpiresAt: null,
      xero: { connectionRemoved: true, grantRevoked: true },
    });
    expect(h.sandbox.control.counters().tokens.revoked).toBe(revocations + 1);
    expect(await h.connectionRow(orgId)).toMatchObject({ status: 'disconnected', accessTokenEnc: null, refreshTokenEnc: null, tokenExpiresAt: null });
    await eventually(async () => (await h.workflowStatus(orgId)).pausedReason === 'disconnected');
    // Records stay, on both sides.
    expect(h.sandbox.control.records(tenant.tenantId).contacts).toHaveLength(1);
    const [kept] = await h.stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(kept).toMatchObject({ state: 'synced', xeroId: synced.xeroId });
    // Disconnecting twice is harmless.
    expect((await api.disconnect()).body).toMatchObject({ status: 'disconnected', xero: { message: 'Already disconnected.' } });

    const drainsBefore = (await h.workflowStatus(orgId)).drains;
    expect((await connectWithConsent(h.stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` })).result.body.code).toBe('connected');
    // Resumed: the workflow drains again, and finds nothing to push.
    await eventually(async () => {
      const status = await h.workflowStatus(orgId);
      return status.pausedReason === undefined && status.drains > drainsBefore && status.phase === 'idle';
    });
    expect(contactWrites()).toBe(writesBefore);
    expect(h.sandbox.control.records(tenant.tenantId).contacts).toHaveLength(1);
    const [after] = await h.stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(after).toMatchObject({ state: 'synced', xeroId: synced.xeroId, version: synced.version });
  });
});

describe('secrets', () => {
  it('never appear in answers, in log lines, or in any plaintext column, through a connection\'s whole life', async () => {
    const seen = new Set<string>([h.webApp.clientSecret]);
    const answersBefore = answersSeen.length;
    const logsBefore = h.logLines.length;
    const orgId = newOrgId();
    const tenant = h.newTenant('Secretive');
    const api = integrationApi(h.stack, orgId);

    // Connect (code, verifier, tokens), use it, let Xero revoke it, reconnect, then disconnect.
    const started = await api.connect();
    await h.rememberSecrets(orgId, seen);
    const callbackUrl = await consentInBrowser(h.stack, started.body.consentUrl, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    h.rememberCode(callbackUrl, seen);
    expect((await openCallback<{ code: string }>(callbackUrl)).body.code).toBe('connected');
    const first = await h.rememberSecrets(orgId, seen);
    expect((await api.test()).body.ok).toBe(true);
    await revokeInXero(h.decrypt(first!.refreshTokenEnc!, `refresh_token:${orgId}`));
    expect((await api.test()).body.ok).toBe(false);
    const { callbackUrl: again } = await connectWithConsent(h.stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
    h.rememberCode(again, seen);
    await h.rememberSecrets(orgId, seen);
    expect((await api.disconnect()).status).toBe(200);

    const answers = answersSeen.slice(answersBefore);
    const logs = h.logLines.slice(logsBefore);
    expect(seen.size).toBeGreaterThanOrEqual(9); // client secret, 2 codes, 2 verifiers, 2 access and 2 refresh tokens
    expect(answers.length).toBeGreaterThanOrEqual(6);
    expect(logs.some((l) => l.includes('Xero consent callback'))).toBe(true);
    expect(logs.some((l) => l.includes('Xero connection needs re-authorisation'))).toBe(true);

    const leaks = (haystack: string) => [...seen].filter((s) => haystack.includes(s)).map((s) => `${s.slice(0, 4)}…`);
    expect(leaks(answers.join('\n'))).toEqual([]);
    expect(leaks(logs.join('\n'))).toEqual([]);

    const tables = await h.stack.database.sql<Array<{ name: string }>>`
      select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['xero_connections', 'org_settings', 'oauth_states']));
    for (const { name } of tables) {
      const rows = await h.stack.database.sql.unsafe(`select t::text as row from "${name}" t`);
      expect(leaks(rows.map((r) => String(r.row)).join('\n')), `plaintext secret in ${name}`).toEqual([]);
    }
  });
});
