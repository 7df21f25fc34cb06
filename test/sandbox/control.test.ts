/** The control API over HTTP: setting the scene and reading counters. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { REDIRECT_URI, call, form } from './helpers.ts';

let sandbox: Sandbox;
beforeEach(async () => { sandbox = await startSandbox(); });
afterEach(async () => { await sandbox.close(); });

const control = (method: string, path: string, body?: unknown) => call(`${sandbox.controlUrl}${path}`, method, { body });

describe('control API', () => {
  it('creates an organisation with its chart, registers an app, authorises it and lets it call the API', async () => {
    const org = (await control('POST', '/organisations', { name: 'Control Club', countryCode: 'AU', currencies: ['NZD'], extraAccounts: [{ Code: '201', Name: 'Event Income', Type: 'REVENUE', TaxType: 'OUTPUT' }] })).body;
    expect(org).toMatchObject({ name: 'Control Club', baseCurrency: 'AUD', currencies: ['AUD', 'NZD'] });
    expect(org.accounts.map((a: { Code: string }) => a.Code)).toContain('201');
    const client = (await control('POST', '/clients', { kind: 'web', redirectUris: [REDIRECT_URI] })).body;
    const approved = (await control('POST', '/authorize', { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'offline_access accounting.settings.read', state: 'abc', tenantIds: [org.tenantId] })).body;
    expect(new URL(approved.redirectUrl).searchParams.get('state')).toBe('abc');
    const tokens = (await form(`${sandbox.identityUrl}/connect/token`, { grant_type: 'authorization_code', code: approved.code, redirect_uri: REDIRECT_URI }, [client.clientId, client.clientSecret])).body;
    const res = await call(`${sandbox.apiUrl}/Accounts?where=${encodeURIComponent('Code=="201"')}`, 'GET', { accessToken: tokens.access_token, tenant: org.tenantId });
    expect(res.body.Accounts[0].Name).toBe('Event Income');
  });

  it('records made "in Xero", payments, counters (calls, duplicates) and reset', async () => {
    const org = (await control('POST', '/organisations', { name: 'Counting Club' })).body;
    const contact = (await control('POST', `/organisations/${org.tenantId}/contacts`, { Name: 'Dup Person', ContactNumber: 'N-1' })).body;
    await control('POST', `/organisations/${org.tenantId}/contacts/${contact.ContactID}`, { ContactStatus: 'ARCHIVED' });
    await control('POST', `/organisations/${org.tenantId}/contacts`, { Name: 'dup person', ContactNumber: 'N-1' });
    const refused = await control('POST', `/organisations/${org.tenantId}/contacts`, { Name: 'Dup Person' });
    expect(refused.status).toBe(400);
    const invoice = (await control('POST', `/organisations/${org.tenantId}/invoices`, { Type: 'ACCREC', Contact: { ContactID: contact.ContactID }, DueDate: '2026-06-30', Status: 'AUTHORISED', LineItems: [{ Description: 'Fee', Quantity: 1, UnitAmount: 40, AccountCode: '200' }] })).body;
    const part = (await control('POST', `/organisations/${org.tenantId}/invoices/${invoice.InvoiceID}/payments`, { amount: 10 })).body;
    expect(part.Amount).toBe(10);
    const rest = (await control('POST', `/organisations/${org.tenantId}/invoices/${invoice.InvoiceID}/payments`, {})).body;
    expect(rest.Amount).toBe(36);
    expect((await control('DELETE', `/organisations/${org.tenantId}/payments/${rest.PaymentID}`)).body.Status).toBe('DELETED');

    const counters = (await control('GET', '/counters')).body;
    const mine = counters.organisations[org.tenantId];
    expect(mine).toMatchObject({ contacts: 2, invoices: 1, payments: 1, deletedPayments: 1 });
    expect(mine.duplicates.contactNames).toEqual([{ value: 'dup person', count: 2 }]);
    expect(mine.duplicates.contactNumbers).toEqual([{ value: 'N-1', count: 2 }]);

    await control('PUT', '/limits', { perMinute: 5 });
    expect((await control('GET', '/limits')).body.perMinute).toBe(5);
    expect((await control('PUT', '/faults', { errorRate: 2 })).status).toBe(400);
    expect((await control('PUT', '/time-scale', { timeScale: 60 })).body).toEqual({ timeScale: 60 });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect((await control('GET', '/organisations')).body).toEqual([]);
  });

  it('404s unknown organisations and operations', async () => {
    expect((await control('POST', '/organisations/nope/contacts', { Name: 'X' })).status).toBe(404);
    expect((await control('GET', '/does-not-exist')).status).toBe(404);
  });
});

describe('seeded faults', () => {
  it('land on the same calls for the same seed', async () => {
    const { seededRandom, decideFault } = await import('../../sandbox/faults.ts');
    const { DEFAULT_FAULTS } = await import('../../sandbox/options.ts');
    const faults = { ...DEFAULT_FAULTS, errorRate: 0.3 };
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 40 }, () => decideFault(faults, 'GET', random).kind);
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
    expect(run(11).filter((k) => k === 'error').length).toBeGreaterThan(0);
  });
});
