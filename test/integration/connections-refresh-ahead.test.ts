/**
 * The API's token policy is the worker's: XERO_TOKEN_REFRESH_AHEAD_MS decides when the API too replaces an
 * access token. Against a time-scaled Xero whose tokens live 90 seconds, a 5-minute default would find every
 * token due and refresh it on every call of a test connection; with the setting, a token that is due is
 * refreshed once, and the fresh one serves every call after it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { xeroConnections } from '../../db/schema/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { connectWithConsent, integrationApi } from '../support/xero-consent.ts';

const webApp = { clientId: `WEB${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url') };
let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  // A Xero minute lasts 3 seconds: access tokens (30 Xero minutes) live 90 seconds.
  sandbox = await startTestSandbox({ timeScale: 20, clients: [{ ...webApp, kind: 'web' }] });
  stack = await startTestStack({
    xeroUrl: sandbox.url,
    env: {
      XERO_CLIENT_ID: webApp.clientId,
      XERO_CLIENT_SECRET: webApp.clientSecret,
      XERO_REDIRECT_URI: 'http://127.0.0.1:1/auth/callback/xero',
      XERO_TOKEN_REFRESH_AHEAD_MS: '10000',
      XERO_RATE_WINDOW_MS: '3000',
    },
  });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

describe('a test connection with short-lived tokens', () => {
  it('refreshes a token that is due once, not once per Xero call', async () => {
    const orgId = newOrgId();
    const tenant = sandbox.control.createOrganisation({ name: 'Short Token Club' });
    const { result } = await connectWithConsent(stack, orgId, { tenantIds: [tenant.tenantId], user: 'admin@example.org' });
    expect(result.status).toBe(200);
    const api = integrationApi(stack, orgId);

    // Fresh from the consent (90 s to live, refreshed 10 s ahead): used as it is.
    const before = sandbox.control.counters().tokens.refreshed;
    const first = await api.test();
    expect(first.status).toBe(200);
    expect(sandbox.control.counters().tokens.refreshed).toBe(before);

    // Now due: 5 s to live. The next test connection's calls share one refresh between them.
    await stack.database.db
      .update(xeroConnections)
      .set({ tokenExpiresAt: sql`now() + interval '5 seconds'` })
      .where(eq(xeroConnections.orgId, orgId));
    expect((await api.test()).status).toBe(200);
    expect((await api.test()).status).toBe(200);
    expect(sandbox.control.counters().tokens.refreshed).toBe(before + 1);
    expect(sandbox.control.counters().tokens.invalidGrant).toBe(0);
    // Each test connection made several Xero calls: a per-call refresh would have shown.
    expect(sandbox.control.counters().callsTotal).toBeGreaterThan(4);
  });
});
