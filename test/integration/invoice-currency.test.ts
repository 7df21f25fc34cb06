/**
 * "Confirm currency is enabled in Xero organization": an invoice (or bill) whose own currency the
 * organisation's Xero is known not to be subscribed to is refused before any Xero call, in Xero's words
 * (`Organisation is not subscribed to currency <CCY>`) with a hint. What is enabled is learnt from an
 * admin's test connection or settings check, or read by the workflow (one paced `GET /Currencies`, at most
 * daily) when a pending invoice carries a currency not known to be enabled.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { xeroCurrencies } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { invoice, useAdminHarness } from './admin-harness.ts';

const h = useAdminHarness();

const calls = (tenantId: string, endpoint: string) => h.sandbox.control.counters().calls[tenantId]?.[endpoint] ?? 0;
const inCurrency = (contactId: string, number: string, currencyCode: string) => ({ ...invoice(contactId, number), currencyCode });

describe('invoices in a currency Xero is not subscribed to', () => {
  it('reads the currencies once, then refuses such an invoice before sending it, and sends one in an enabled currency', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(h.stack, h.sandbox, { organisation: { name: 'Kiwi club', baseCurrency: 'NZD', currencies: ['AUD'] } });
    const api = apiClient(h.stack, orgId);
    await api.putContact('m', { name: 'Grace Hopper' });
    await api.putInvoice('eur', inCurrency('m', 'EUR-1', 'EUR'));

    const refused = await h.settledState(orgId, 'invoice', 'eur');
    expect(refused).toMatchObject({
      state: 'failed',
      lastError: 'Organisation is not subscribed to currency EUR (invoice EUR-1 not sent; enabled in Xero: AUD, NZD).',
      lastErrorHint: "Enable currency EUR in Xero (Settings > Currencies), or invoice in the organisation's base currency.",
    });
    expect(calls(tenantId, 'GET /Currencies')).toBe(1);
    expect(calls(tenantId, 'POST /Invoices')).toBe(0);
    const [known] = await h.stack.database.db.select().from(xeroCurrencies).where(eq(xeroCurrencies.orgId, orgId));
    expect(known!.currencies).toEqual(['AUD', 'NZD']);

    // An enabled currency goes out; another refused one within the day needs no second read.
    await api.putInvoices([{ id: 'aud', ...inCurrency('m', 'AUD-1', 'AUD') }, { id: 'gbp', ...inCurrency('m', 'GBP-1', 'GBP') }]);
    expect((await h.settledState(orgId, 'invoice', 'aud')).state).toBe('synced');
    expect(await h.settledState(orgId, 'invoice', 'gbp')).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/^Organisation is not subscribed to currency GBP/) });
    expect(calls(tenantId, 'GET /Currencies')).toBe(1);
    const sent = (h.sandbox.control.records(tenantId).invoices as Array<{ InvoiceNumber: string }>).map((i) => i.InvoiceNumber);
    expect(sent).toEqual(['AUD-1']);
    // The status lists it like any refused invoice.
    expect((await h.admin(orgId).status()).body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'invoice_sync', record_id: 'eur', message: expect.stringMatching(/^Organisation is not subscribed to currency EUR/) })]),
    );
  });

  it("uses what an admin's test connection read, without a read of its own, and refuses a bill the same way", async () => {
    const { orgId, tenantId } = await connectSandboxOrg(h.stack, h.sandbox, { organisation: { name: 'Aussie club', countryCode: 'AU' }, serviceAccounts: { PRINT: '461' } });
    const test = await integrationApi(h.stack, orgId).test();
    expect(test.status).toBe(200);
    expect(calls(tenantId, 'GET /Currencies')).toBe(1);

    const api = apiClient(h.stack, orgId);
    await api.putContact('m', { name: 'Alan Turing' });
    await api.putInvoice('usd', inCurrency('m', 'USD-1', 'USD'));
    await api.putExpense('bill', { supplierName: 'Print Co', date: '2026-11-02', reference: 'PC-1', currencyCode: 'USD', lines: [{ description: 'Flyers', quantity: 1, unitAmount: '10.00', serviceCode: 'PRINT' }] });
    expect(await h.settledState(orgId, 'invoice', 'usd')).toMatchObject({ state: 'failed', lastError: 'Organisation is not subscribed to currency USD (invoice USD-1 not sent; enabled in Xero: AUD).' });
    // The bill may go out in a later pass than the invoice: wait for it to settle, then read it as the main app does.
    await h.settledState(orgId, 'expense', 'bill');
    const bill = await apiClient(h.stack, orgId).get('expenses', 'bill');
    expect(bill.body.sync).toMatchObject({ state: 'failed', lastError: 'Organisation is not subscribed to currency USD (bill PC-1 not sent; enabled in Xero: AUD).' });
    expect(calls(tenantId, 'GET /Currencies')).toBe(1);
    expect(calls(tenantId, 'POST /Invoices')).toBe(0);
  });
});
