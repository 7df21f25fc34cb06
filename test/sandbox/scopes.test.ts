/**
 * Scopes as Xero's developer documentation lists them: `accounting.transactions` covers Invoices, Payments,
 * CreditNotes, ManualJournals (and more); the granular `accounting.invoices` / `accounting.payments` cover
 * their own; Organisation, Accounts, TaxRates and Currencies need `accounting.settings(.read)`. A call
 * without its scope is answered 401 AuthorizationUnsuccessful, as Xero does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.ts';
import { startSandbox } from '../../sandbox/index.ts';
import { call, connectApp, form } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

async function customConnection(scopes: string[]) {
  const { tenantId } = sandbox.control.createOrganisation({ name: `Scopes ${scopes.length}` });
  const app = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId], scopes });
  const token = await form(`${sandbox.identityUrl}/connect/token`, { grant_type: 'client_credentials' }, [app.clientId, app.clientSecret]);
  expect(token.status).toBe(200);
  // What Xero grants a custom connection is what it was set up with.
  expect(token.body.scope).toBe(scopes.join(' '));
  const api = (method: string, path: string, body?: unknown) => call(`${sandbox.apiUrl}${path}`, method, { accessToken: token.body.access_token, body });
  return { tenantId, api };
}

async function syncCalls(api: Awaited<ReturnType<typeof customConnection>>['api']) {
  const contact = await api('PUT', '/Contacts', { Contacts: [{ Name: `Member ${Math.random()}` }] });
  const contactId = contact.body?.Contacts?.[0]?.ContactID;
  const invoice = await api('PUT', '/Invoices', {
    Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, Date: '2026-01-10', DueDate: '2026-02-10', Status: 'AUTHORISED', LineItems: [{ Description: 'Membership', Quantity: 1, UnitAmount: 100, AccountCode: '200' }] }],
  });
  const invoiceId = invoice.body?.Invoices?.[0]?.InvoiceID;
  const payment = await api('PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: invoiceId }, Account: { Code: '090' }, Amount: 10, Date: '2026-01-12' }] });
  return [contact.status, invoice.status, payment.status, (await api('GET', '/Payments')).status, (await api('GET', `/Invoices?IDs=${invoiceId}`)).status];
}

describe('scopes', () => {
  it.each([
    ['broad', ['accounting.contacts', 'accounting.transactions']],
    ['granular', ['accounting.contacts', 'accounting.invoices', 'accounting.payments']],
  ])('%s: contacts, invoices and payments work; settings reads are refused with 401', async (_name, scopes) => {
    const { api } = await customConnection(scopes);
    expect(await syncCalls(api)).toEqual([200, 200, 200, 200, 200]);
    for (const path of ['/Organisation', '/Accounts', '/TaxRates', '/Currencies']) {
      const refused = await api('GET', path);
      expect(refused.status, path).toBe(401);
      expect(refused.body).toMatchObject({ Title: 'Unauthorized', Status: 401, Detail: 'AuthorizationUnsuccessful' });
    }
  });

  it('accounting.settings.read and accounting.settings open the settings reads', async () => {
    for (const settings of ['accounting.settings.read', 'accounting.settings']) {
      const { api } = await customConnection(['accounting.contacts', 'accounting.transactions', settings]);
      for (const path of ['/Organisation', '/Accounts', '/TaxRates', '/Currencies']) expect((await api('GET', path)).status, `${settings} ${path}`).toBe(200);
    }
  });

  it('an auth-code grant gets the scopes consented to, in its token answer', async () => {
    const { tenantId } = sandbox.control.createOrganisation({ name: 'Consented' });
    const app = sandbox.control.registerClient({ kind: 'web' });
    const tokens = await connectApp(sandbox, app.clientId, app.clientSecret, [tenantId], 'offline_access accounting.contacts accounting.transactions');
    expect(tokens.scope).toBe('offline_access accounting.contacts accounting.transactions');
  });
});
