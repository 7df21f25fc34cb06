/**
 * Custom connections from an organisation's settings, settings and mappings (checked against the
 * connected Xero organisation) and test connection: on the sandbox over HTTP, Postgres and the real
 * Temporal server.
 */
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { orgMappings, orgSettings, xeroConnections } from '../../db/schema/index.ts';
import { newOrgId } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { useSettingsHarness, type FieldErrors } from './settings-harness.ts';

const h = useSettingsHarness();

describe('custom connection from the organisation settings', () => {
  it('links the one Xero organisation of the client credentials; the secret is write-only and encrypted', async () => {
    const before = h.sandbox.control.counters().tokens.clientCredentials;
    const { orgId, tenant, client, api, card } = await h.connectCustom();
    expect(card).toMatchObject({ orgId, status: 'connected', authType: 'custom', xeroTenantId: tenant.tenantId, xeroOrganisationName: tenant.name });
    expect(h.sandbox.control.counters().tokens.clientCredentials).toBe(before + 1);

    const settings = await api.settings();
    expect(settings.body).toMatchObject({ clientId: client.clientId, clientSecretSet: true });
    expect(settings.body).not.toHaveProperty('clientSecret');
    expect(settings.text).not.toContain(client.clientSecret);
    const [row] = await h.stack.database.db.select().from(orgSettings).where(eq(orgSettings.orgId, orgId));
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
    const { orgId, api } = await h.connectCustom();
    const [first] = await h.stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    const before = h.sandbox.control.counters().tokens.clientCredentials;
    // Two minutes left: inside the refresh-ahead window.
    await h.stack.database.db.update(xeroConnections).set({ tokenExpiresAt: sql`now() + interval '2 minutes'` }).where(eq(xeroConnections.orgId, orgId));
    expect((await api.test()).body.ok).toBe(true);
    expect(h.sandbox.control.counters().tokens.clientCredentials).toBe(before + 1);
    const [renewed] = await h.stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    expect(renewed!.accessTokenEnc).not.toBe(first!.accessTokenEnc);
    expect(renewed!.tokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(25 * 60_000);
  });

  it('explains what is missing or wrong with the credentials', async () => {
    const orgId = newOrgId();
    const api = integrationApi(h.stack, orgId);
    const missing = await api.connect({ type: 'custom' });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: 'custom_connection_not_configured', errors: [{ path: 'settings.clientId' }] });

    const tenant = h.sandbox.control.createOrganisation({ name: 'Wrong Secret Ltd' });
    const client = h.sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenant.tenantId] });
    await api.putSettings({ clientId: client.clientId, clientSecret: 'not-the-secret' });
    const refused = await api.connect({ type: 'custom' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'xero_credentials_refused', detail: expect.stringContaining('check them in the Xero settings') });

    // A Web app's credentials cannot make a custom connection.
    await api.putSettings({ clientId: h.webApp.clientId, clientSecret: h.webApp.clientSecret });
    expect((await api.connect({ type: 'custom' })).body).toMatchObject({ code: 'xero_credentials_refused', detail: expect.stringContaining('unauthorized_client') });
    expect((await api.card()).body.status).toBe('not_connected');
  });
});

describe('settings and mappings', () => {
  it('refuses malformed settings with 422 naming every field', async () => {
    const api = integrationApi(h.stack, newOrgId());
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
    const { api } = await h.connectCustom('Coded Books');
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
      effective: { defaultRevenueAccountCode: '260', invoiceStatus: 'DRAFT', amountType: h.stack.env.XERO_AMOUNT_TYPE, bankAccountCode: '090', emailInvoices: true },
    });
    // Deferred revenue waits on a liability until it is earned: a revenue account there is refused.
    const revenueAsDeferred = await api.putSettings({ deferredRevenueAccountCode: '200' });
    expect(revenueAsDeferred.status).toBe(422);
    expect((revenueAsDeferred.body.errors as FieldErrors)[0]).toEqual({
      path: 'body.deferredRevenueAccountCode',
      message: expect.stringMatching(/'200' is not a liability account.*835 \(Revenue Received in Advance\)/),
    });
    // null returns a field to the deployment default.
    expect((await api.putSettings({ invoiceStatus: null, defaultRevenueAccountCode: null })).body).toMatchObject({
      invoiceStatus: null,
      effective: { invoiceStatus: 'AUTHORISED', defaultRevenueAccountCode: h.stack.env.XERO_ACCOUNT_CODE },
    });
  });

  it('replaces mappings as a whole, checked against Xero, and test connection reports on them', async () => {
    const { orgId, api } = await h.connectCustom('Mapped Books');
    const bad = await api.putMappings({ serviceAccounts: { MEMBERSHIP: '200', EVENTS: '999' }, taxTypes: { GST: 'OUTPUT2', ZERO: 'BOGUS' } });
    expect(bad.status).toBe(422);
    expect((bad.body.errors as FieldErrors).map((e) => e.path)).toEqual(['body.serviceAccounts.EVENTS', 'body.taxTypes.ZERO']);
    expect((bad.body.errors as FieldErrors)[1]!.message).toContain('ZERORATEDOUTPUT');
    expect((await api.mappings()).body).toEqual({ serviceAccounts: {}, taxTypes: {}, trackingCategories: {}, serviceItems: {} });

    const good = await api.putMappings({ serviceAccounts: { MEMBERSHIP: '200', EVENTS: '260' }, taxTypes: { GST: 'OUTPUT2' } });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ serviceAccounts: { EVENTS: '260', MEMBERSHIP: '200' }, taxTypes: { GST: 'OUTPUT2' }, trackingCategories: {}, serviceItems: {}, checkedAgainstXero: true });
    expect((await api.putMappings({ serviceAccounts: { MEMBERSHIP: '260' }, taxTypes: {} })).body).toMatchObject({ serviceAccounts: { MEMBERSHIP: '260' }, taxTypes: {} });
    expect(await h.stack.database.db.select().from(orgMappings).where(eq(orgMappings.orgId, orgId))).toHaveLength(1);
    expect((await api.putMappings({ serviceAccounts: {} })).status).toBe(422); // both maps, always

    // An account archived in Xero after it was mapped: test connection says which and what to do.
    await api.putMappings({ serviceAccounts: { MEMBERSHIP: '200', LEGACY: '270' }, taxTypes: { GST: 'OUTPUT2' } });
    await api.putSettings({ bankAccountCode: '090' });
    await h.stack.database.db.update(orgMappings).set({ xeroCode: '280' }).where(eq(orgMappings.platformCode, 'LEGACY'));
    const tested = await api.test();
    expect(tested.body.ok).toBe(false);
    const byCheck = Object.fromEntries(tested.body.checks.map((c) => [c.check, c]));
    expect(byCheck.account_codes).toMatchObject({ status: 'fail', message: expect.stringMatching(/service 'LEGACY': Account code '280'.*Fix them in Settings > Integrations > Xero/) });
    expect(byCheck.tax_types).toMatchObject({ status: 'pass' });
    expect(byCheck.bank_account).toMatchObject({ status: 'pass', message: expect.stringContaining('090') });
  });

  it('stores settings unchecked while not connected, and says so', async () => {
    const api = integrationApi(h.stack, newOrgId());
    const res = await api.putSettings({ defaultRevenueAccountCode: '999' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ defaultRevenueAccountCode: '999', checkedAgainstXero: false });
    const tested = await api.test();
    expect(tested.body.ok).toBe(false);
    expect(tested.body.checks[0]).toEqual({ check: 'credentials', status: 'fail', message: expect.stringContaining('connect Xero in Settings') });
    expect(tested.body.checks.slice(1).map((c) => c.status)).toEqual(Array(7).fill('skipped'));
  });
});
