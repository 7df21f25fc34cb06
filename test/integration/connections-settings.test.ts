/**
 * Custom connections from an organisation's settings, settings and mappings (checked against the
 * connected Xero organisation), test connection, the plan switch, and who may call what: on the
 * sandbox over HTTP, Postgres and the real Temporal server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { oauthStates, orgMappings, orgSettings, organisations, xeroConnections } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery } from '../../workflows/messages.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { answersSeen, integrationApi } from '../support/xero-consent.ts';

const webApp = { clientId: `WEB${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url') };

let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox({ clients: [{ ...webApp, kind: 'web' }] });
  stack = await startTestStack({
    xeroUrl: sandbox.url,
    env: { XERO_CLIENT_ID: webApp.clientId, XERO_CLIENT_SECRET: webApp.clientSecret, XERO_REDIRECT_URI: 'http://127.0.0.1:1/auth/callback/xero' },
  });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

type FieldErrors = Array<{ path: string; message: string }>;

/** A platform organisation connected through a custom connection whose credentials went through the settings API. */
async function connectCustom(name = 'Custom Books') {
  const orgId = newOrgId();
  const tenant = sandbox.control.createOrganisation({ name: `${name} ${randomUUID().slice(0, 6)}` });
  const client = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenant.tenantId] });
  const api = integrationApi(stack, orgId);
  const saved = await api.putSettings({ clientId: client.clientId, clientSecret: client.clientSecret });
  expect(saved.status).toBe(200);
  const connected = await api.connect({ type: 'custom' });
  expect(connected.status).toBe(200);
  return { orgId, tenant, client, api, card: connected.body };
}

const workflowStatus = (orgId: string) => stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery);

describe('custom connection from the organisation settings', () => {
  it('links the one Xero organisation of the client credentials; the secret is write-only and encrypted', async () => {
    const before = sandbox.control.counters().tokens.clientCredentials;
    const { orgId, tenant, client, api, card } = await connectCustom();
    expect(card).toMatchObject({ orgId, status: 'connected', authType: 'custom', xeroTenantId: tenant.tenantId, xeroOrganisationName: tenant.name });
    expect(sandbox.control.counters().tokens.clientCredentials).toBe(before + 1);

    const settings = await api.settings();
    expect(settings.body).toMatchObject({ clientId: client.clientId, clientSecretSet: true });
    expect(settings.body).not.toHaveProperty('clientSecret');
    expect(settings.text).not.toContain(client.clientSecret);
    const [row] = await stack.database.db.select().from(orgSettings).where(eq(orgSettings.orgId, orgId));
    expect(row!.clientSecretEnc).toMatch(/^v1\.t1\./);
    expect(JSON.stringify(row)).not.toContain(client.clientSecret);

    const tested = await api.test();
    expect(tested.body.ok).toBe(true);
    expect(tested.body.checks.find((c) => c.check === 'organisation')!.message).toContain(tenant.name);

    // A new secret for the same client id is a rotation; another client id would switch Xero organisations.
    expect((await api.putSettings({ clientSecret: client.clientSecret })).status).toBe(200);
    const switched = await api.putSettings({ clientId: 'ANOTHER-CLIENT' });
    expect(switched.status).toBe(409);
    expect(switched.body).toMatchObject({ code: 'disconnect_first' });
    expect((await api.settings()).body.clientId).toBe(client.clientId);
  });

  it('fetches a new access token before the old one expires', async () => {
    const { orgId, api } = await connectCustom();
    const [first] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    const before = sandbox.control.counters().tokens.clientCredentials;
    // Two minutes left: inside the refresh-ahead window.
    await stack.database.db.update(xeroConnections).set({ tokenExpiresAt: sql`now() + interval '2 minutes'` }).where(eq(xeroConnections.orgId, orgId));
    expect((await api.test()).body.ok).toBe(true);
    expect(sandbox.control.counters().tokens.clientCredentials).toBe(before + 1);
    const [renewed] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    expect(renewed!.accessTokenEnc).not.toBe(first!.accessTokenEnc);
    expect(renewed!.tokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(25 * 60_000);
  });

  it('explains what is missing or wrong with the credentials', async () => {
    const orgId = newOrgId();
    const api = integrationApi(stack, orgId);
    const missing = await api.connect({ type: 'custom' });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: 'custom_connection_not_configured', errors: [{ path: 'settings.clientId' }] });

    const tenant = sandbox.control.createOrganisation({ name: 'Wrong Secret Ltd' });
    const client = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenant.tenantId] });
    await api.putSettings({ clientId: client.clientId, clientSecret: 'not-the-secret' });
    const refused = await api.connect({ type: 'custom' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'xero_credentials_refused', detail: expect.stringContaining('check them in the Xero settings') });

    // A Web app's credentials cannot make a custom connection.
    await api.putSettings({ clientId: webApp.clientId, clientSecret: webApp.clientSecret });
    expect((await api.connect({ type: 'custom' })).body).toMatchObject({ code: 'xero_credentials_refused', detail: expect.stringContaining('unauthorized_client') });
    expect((await api.card()).body.status).toBe('not_connected');
  });
});

describe('settings and mappings', () => {
  it('refuses malformed settings with 422 naming every field', async () => {
    const api = integrationApi(stack, newOrgId());
    const res = await api.putSettings({
      invoiceStatus: 'PAID',
      amountType: 'GROSS',
      currencyCode: 'nzd',
      emailWhitelistRegex: '(unclosed',
      autoSyncInvoices: 'yes',
      defaultRevenueAccountCode: '12345678901',
      colour: 'blue',
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    expect((res.body.errors as FieldErrors).map((e) => e.path).sort()).toEqual(
      ['body', 'body.amountType', 'body.autoSyncInvoices', 'body.currencyCode', 'body.defaultRevenueAccountCode', 'body.emailWhitelistRegex', 'body.invoiceStatus'].sort(),
    );
    expect((await api.settings()).body).toMatchObject({ invoiceStatus: null, clientSecretSet: false });
  });

  it("checks codes against the connected Xero organisation and lists the valid choices", async () => {
    const { api } = await connectCustom('Coded Books');
    const bad = await api.putSettings({ defaultRevenueAccountCode: '999', bankAccountCode: '200', defaultTaxType: 'INPUT2', currencyCode: 'USD', deferredRevenueAccountCode: '280' });
    expect(bad.status).toBe(422);
    const errors = Object.fromEntries((bad.body.errors as FieldErrors).map((e) => [e.path, e.message]));
    expect(Object.keys(errors).sort()).toEqual(['body.bankAccountCode', 'body.currencyCode', 'body.defaultRevenueAccountCode', 'body.defaultTaxType', 'body.deferredRevenueAccountCode']);
    expect(errors['body.defaultRevenueAccountCode']).toMatch(/'999'.*Valid codes: .*200 \(Sales\)/);
    expect(errors['body.defaultRevenueAccountCode']).not.toMatch(/090|610 \(Accounts Receivable\)/); // bank and system accounts are not choices
    expect(errors['body.deferredRevenueAccountCode']).toContain("'280'"); // archived
    expect(errors['body.bankAccountCode']).toMatch(/'200' cannot receive payments.*090 \(Business Bank Account\).*630 \(Payment Processor Clearing\)/);
    expect(errors['body.bankAccountCode']).not.toContain('092'); // archived bank account
    expect(errors['body.defaultTaxType']).toMatch(/'INPUT2'.*OUTPUT2 \(15% GST on Income\)/);
    expect(errors['body.currencyCode']).toMatch(/not subscribed to currency USD.*NZD/);
    expect((await api.settings()).body).toMatchObject({ defaultRevenueAccountCode: null, bankAccountCode: null });

    const good = await api.putSettings({
      defaultRevenueAccountCode: '260',
      bankAccountCode: '090',
      defaultTaxType: 'OUTPUT2',
      currencyCode: 'NZD',
      invoiceStatus: 'DRAFT',
      emailInvoices: true,
      deferredRevenueAccountCode: '835',
    });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({
      checkedAgainstXero: true,
      defaultRevenueAccountCode: '260',
      invoiceStatus: 'DRAFT',
      effective: { defaultRevenueAccountCode: '260', invoiceStatus: 'DRAFT', amountType: stack.env.XERO_AMOUNT_TYPE, bankAccountCode: '090', emailInvoices: true },
    });
    // null returns a field to the deployment default.
    expect((await api.putSettings({ invoiceStatus: null, defaultRevenueAccountCode: null })).body).toMatchObject({
      invoiceStatus: null,
      effective: { invoiceStatus: 'AUTHORISED', defaultRevenueAccountCode: stack.env.XERO_ACCOUNT_CODE },
    });
  });

  it('replaces mappings as a whole, checked against Xero, and test connection reports on them', async () => {
    const { orgId, api } = await connectCustom('Mapped Books');
    const bad = await api.putMappings({ serviceAccounts: { MEMBERSHIP: '200', EVENTS: '999' }, taxTypes: { GST: 'OUTPUT2', ZERO: 'BOGUS' } });
    expect(bad.status).toBe(422);
    expect((bad.body.errors as FieldErrors).map((e) => e.path)).toEqual(['body.serviceAccounts.EVENTS', 'body.taxTypes.ZERO']);
    expect((bad.body.errors as FieldErrors)[1]!.message).toContain('ZERORATEDOUTPUT');
    expect((await api.mappings()).body).toEqual({ serviceAccounts: {}, taxTypes: {} });

    const good = await api.putMappings({ serviceAccounts: { MEMBERSHIP: '200', EVENTS: '260' }, taxTypes: { GST: 'OUTPUT2' } });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ serviceAccounts: { EVENTS: '260', MEMBERSHIP: '200' }, taxTypes: { GST: 'OUTPUT2' }, checkedAgainstXero: true });
    expect((await api.putMappings({ serviceAccounts: { MEMBERSHIP: '260' }, taxTypes: {} })).body).toMatchObject({ serviceAccounts: { MEMBERSHIP: '260' }, taxTypes: {} });
    expect(await stack.database.db.select().from(orgMappings).where(eq(orgMappings.orgId, orgId))).toHaveLength(1);
    expect((await api.putMappings({ serviceAccounts: {} })).status).toBe(422); // both maps, always

    // An account archived in Xero after it was mapped: test connection says which and what to do.
    await api.putMappings({ serviceAccounts: { MEMBERSHIP: '200', LEGACY: '270' }, taxTypes: { GST: 'OUTPUT2' } });
    await api.putSettings({ bankAccountCode: '090' });
    await stack.database.db.update(orgMappings).set({ xeroCode: '280' }).where(eq(orgMappings.platformCode, 'LEGACY'));
    const tested = await api.test();
    expect(tested.body.ok).toBe(false);
    const byCheck = Object.fromEntries(tested.body.checks.map((c) => [c.check, c]));
    expect(byCheck.account_codes).toMatchObject({ status: 'fail', message: expect.stringMatching(/service 'LEGACY': Account code '280'.*Fix them in Settings > Integrations > Xero/) });
    expect(byCheck.tax_types).toMatchObject({ status: 'pass' });
    expect(byCheck.bank_account).toMatchObject({ status: 'pass', message: expect.stringContaining('090') });
  });

  it('stores settings unchecked while not connected, and says so', async () => {
    const api = integrationApi(stack, newOrgId());
    const res = await api.putSettings({ defaultRevenueAccountCode: '999' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ defaultRevenueAccountCode: '999', checkedAgainstXero: false });
    const tested = await api.test();
    expect(tested.body.ok).toBe(false);
    expect(tested.body.checks[0]).toEqual({ check: 'credentials', status: 'fail', message: expect.stringContaining('connect Xero in Settings') });
    expect(tested.body.checks.slice(1).map((c) => c.status)).toEqual(Array(6).fill('skipped'));
  });
});

describe('the plan switch', () => {
  it('answers 403 plan_required on every integration route while off, pauses the sync, and resumes it when on', async () => {
    const { orgId, api } = await connectCustom('Planned Books');
    const main = integrationApi(stack, orgId, 'service');
    await eventually(async () => (await workflowStatus(orgId)).pausedReason === undefined);

    expect((await api.setPlan(false)).status).toBe(403); // an organisation's admin cannot change its plan
    const off = await main.setPlan(false);
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ orgId, integrations: false });
    await eventually(async () => (await workflowStatus(orgId)).pausedReason === 'plan_required');

    for (const [method, path, body] of integrationRoutes(orgId)) {
      const res = await api.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body, `${method} ${path}`).toMatchObject({ code: 'plan_required', detail: expect.stringContaining('plan does not include integrations') });
    }
    expect((await main.call('GET', `/api/orgs/${orgId}/plan`)).body).toEqual({ orgId, integrations: false });

    expect((await main.setPlan(true)).status).toBe(200);
    await eventually(async () => (await workflowStatus(orgId)).pausedReason === undefined);
    expect((await api.card()).body).toMatchObject({ status: 'connected' });
  });
});

/** Every integration route, with a body that would change something. */
function integrationRoutes(orgId: string): Array<[string, string, unknown?]> {
  const base = `/api/orgs/${orgId}/integrations/xero`;
  return [
    ['GET', base],
    ['POST', `${base}/connect`, {}],
    ['POST', `${base}/connect`, { type: 'custom' }],
    ['GET', `${base}/tenants`],
    ['POST', `${base}/tenant`, { tenantId: randomUUID() }],
    ['GET', `${base}/settings`],
    ['PUT', `${base}/settings`, { clientId: 'INTRUDER', clientSecret: 'intruder-secret', defaultRevenueAccountCode: '260' }],
    ['GET', `${base}/mappings`],
    ['PUT', `${base}/mappings`, { serviceAccounts: {}, taxTypes: {} }],
    ['POST', `${base}/test`],
    ['POST', `${base}/disconnect`],
  ];
}

describe('who may call what', () => {
  it("answers 404 to another organisation's admin (and service token) on every route, and changes nothing", async () => {
    const { orgId, tenant, api } = await connectCustom('Victim Books');
    await api.putMappings({ serviceAccounts: { MEMBERSHIP: '200' }, taxTypes: { GST: 'OUTPUT2' } });
    const db = stack.database.db;
    const snapshot = async () => ({
      connection: await db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId)),
      settings: await db.select().from(orgSettings).where(eq(orgSettings.orgId, orgId)),
      mappings: await db.select().from(orgMappings).where(eq(orgMappings.orgId, orgId)),
      organisation: await db.select().from(organisations).where(eq(organisations.id, orgId)),
      states: await db.select().from(oauthStates).where(eq(oauthStates.orgId, orgId)),
    });
    const before = await snapshot();
    const xeroBefore = sandbox.control.counters();

    const intruderOrg = newOrgId();
    for (const role of ['client_admin', 'service'] as const) {
      const intruder = integrationApi(stack, orgId, role, intruderOrg);
      for (const [method, path, body] of [...integrationRoutes(orgId), ['GET', `/api/orgs/${orgId}/plan`], ['PUT', `/api/orgs/${orgId}/plan`, { integrations: false }]] as Array<[string, string, unknown?]>) {
        const res = await intruder.call(method, path, body);
        expect(res.status, `${role} ${method} ${path}`).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
    }

    expect(await snapshot()).toEqual(before);
    const xeroAfter = sandbox.control.counters();
    expect(xeroAfter.callsTotal).toBe(xeroBefore.callsTotal);
    expect(xeroAfter.tokens).toEqual(xeroBefore.tokens);
    expect((await api.card()).body).toMatchObject({ status: 'connected', xeroTenantId: tenant.tenantId });
  });

  it('lets the main app read (service token) but only a person change the connection', async () => {
    const { orgId } = await connectCustom('Read Only');
    const main = integrationApi(stack, orgId, 'service');
    expect((await main.card()).status).toBe(200);
    expect((await main.settings()).status).toBe(200);
    expect((await main.mappings()).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', `/api/orgs/${orgId}/integrations/xero/connect`, {}],
      ['PUT', `/api/orgs/${orgId}/integrations/xero/settings`, { invoiceStatus: 'DRAFT' }],
      ['PUT', `/api/orgs/${orgId}/integrations/xero/mappings`, { serviceAccounts: {}, taxTypes: {} }],
      ['POST', `/api/orgs/${orgId}/integrations/xero/disconnect`],
    ] as Array<[string, string, unknown?]>) {
      expect((await main.call(method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    const admin = integrationApi(stack, orgId, 'platform_admin');
    expect((await admin.putSettings({ invoiceStatus: 'DRAFT' })).status).toBe(200);
    expect((await fetch(`${stack.apiUrl}/api/orgs/${orgId}/integrations/xero`)).status).toBe(401);
  });

  it('never returns a client secret', () => {
    expect(answersSeen.length).toBeGreaterThan(50);
    const secrets = sandbox.control.listClients().map((c) => c.clientSecret).filter((s) => s.length > 8);
    expect(secrets.length).toBeGreaterThan(5);
    expect(secrets.filter((s) => answersSeen.some((a) => a.includes(s)))).toEqual([]);
  });
});
