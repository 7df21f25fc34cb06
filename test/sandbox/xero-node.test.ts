/** The official SDK, pointed at the sandbox, works end to end and sees errors in the real API's shape. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Invoice, LineAmountTypes, XeroClient, type Contact, type Payment } from 'xero-node';
import { form, startHarness, type Harness } from './helpers.ts';

let h: Harness;
let xero: XeroClient;
beforeEach(async () => {
  h = await startHarness();
  xero = new XeroClient({ clientId: h.clientId, clientSecret: h.clientSecret, redirectUris: ['http://localhost:3999/callback'], scopes: [] });
  xero.accountingApi.basePath = h.sandbox.apiUrl;
  xero.setTokenSet(h.tokens);
});
afterEach(async () => { await h.close(); });

/** xero-node rejects with a JSON string: {response: {statusCode, body, headers}, body}. */
async function rejection(promise: Promise<unknown>): Promise<{ response: { statusCode: number; body: any; headers: Record<string, string> }; body: any }> {
  try {
    await promise;
  } catch (error) {
    return JSON.parse(error as string);
  }
  throw new Error('expected a rejection');
}

describe('xero-node 20 against the sandbox', () => {
  it('creates, reads, updates and pays', async () => {
    const created = await xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: 'SDK Member', emailAddress: 'sdk@example.org', contactNumber: 'SDK-1' } as Contact] }, false, 'contacts-1');
    const contact = created.body.contacts![0]!;
    expect(contact.contactID).toEqual(expect.any(String));
    expect(contact.updatedDateUTC).toBeInstanceOf(Date);
    expect(created.response.headers['x-minlimit-remaining']).toBe('59');

    const fetched = await xero.accountingApi.getContacts(h.tenantId, new Date(Date.now() - 60_000), 'ContactNumber=="SDK-1"', undefined, [contact.contactID!]);
    expect(fetched.body.contacts!.map((c) => c.name)).toEqual(['SDK Member']);

    const invoices = await xero.accountingApi.createInvoices(h.tenantId, { invoices: [{
      type: Invoice.TypeEnum.ACCREC, contact: { contactID: contact.contactID }, date: '2026-01-15', dueDate: '2026-02-15',
      lineAmountTypes: LineAmountTypes.Exclusive, status: Invoice.StatusEnum.AUTHORISED,
      lineItems: [{ description: 'Annual membership', quantity: 1, unitAmount: 200, accountCode: '200', taxType: 'OUTPUT2' }],
    }] }, false, undefined, 'invoices-1');
    const invoice = invoices.body.invoices![0]!;
    expect(invoice).toMatchObject({ total: 230, amountDue: 230, status: Invoice.StatusEnum.AUTHORISED, invoiceNumber: 'INV-0001' });

    const updated = await xero.accountingApi.updateInvoice(h.tenantId, invoice.invoiceID!, { invoices: [{ reference: 'Member 42' }] });
    expect(updated.body.invoices![0]!.reference).toBe('Member 42');

    const byIds = await xero.accountingApi.getInvoices(h.tenantId, undefined, 'Status=="AUTHORISED" AND Type=="ACCREC"', undefined, [invoice.invoiceID!], undefined, undefined, ['AUTHORISED'], 1);
    expect(byIds.body.invoices).toHaveLength(1);
    expect(byIds.body.pagination).toMatchObject({ page: 1, itemCount: 1 });

    const paid = await xero.accountingApi.createPayment(h.tenantId, { invoice: { invoiceID: invoice.invoiceID }, account: { code: '090' }, amount: 230, date: '2026-01-20' } as Payment);
    expect(paid.body.payments![0]!.amount).toBe(230);
    const after = await xero.accountingApi.getInvoice(h.tenantId, invoice.invoiceID!);
    expect(after.body.invoices![0]).toMatchObject({ status: Invoice.StatusEnum.PAID, amountDue: 0 });
    expect(after.body.invoices![0]!.fullyPaidOnDate).toBeInstanceOf(Date);

    const deleted = await xero.accountingApi.deletePayment(h.tenantId, paid.body.payments![0]!.paymentID!, { status: 'DELETED' });
    expect(deleted.body.payments![0]!.status).toBe('DELETED');
    const payments = await xero.accountingApi.getPayments(h.tenantId, new Date(Date.now() - 60_000));
    expect(payments.body.payments).toHaveLength(1);

    const emailed = await xero.accountingApi.emailInvoice(h.tenantId, invoice.invoiceID!, {});
    expect(emailed.response.status).toBe(204);

    const [org, accounts, taxRates, currencies] = await Promise.all([
      xero.accountingApi.getOrganisations(h.tenantId), xero.accountingApi.getAccounts(h.tenantId),
      xero.accountingApi.getTaxRates(h.tenantId), xero.accountingApi.getCurrencies(h.tenantId),
    ]);
    expect(org.body.organisations![0]!.name).toBe('Test Rowing Club');
    expect(accounts.body.accounts!.some((a) => a.code === '090')).toBe(true);
    expect(taxRates.body.taxRates!.some((t) => t.taxType === 'OUTPUT2')).toBe(true);
    expect(currencies.body.currencies!.map((c) => c.code)).toEqual(['NZD', 'AUD']);
  });

  it('reports per-element validation errors with summarizeErrors=false', async () => {
    await xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: 'Dup' }] });
    const result = await xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: 'Dup' }, { name: 'Fine' }] }, false);
    expect(result.body.contacts!.map((c) => c.hasValidationErrors ?? false)).toEqual([true, false]);
    expect(result.body.contacts![0]!.validationErrors![0]!.message).toMatch(/already assigned to another contact/);
  });

  it('rejects with the real API\'s shape: 400 validation, 401, 403, 404, 429', async () => {
    const invalid = await rejection(xero.accountingApi.createInvoices(h.tenantId, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { name: 'Someone' }, currencyCode: 'EUR' as never, lineItems: [] }] }));
    expect(invalid.response.statusCode).toBe(400);
    expect(invalid.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
    expect(invalid.body.Elements[0].ValidationErrors[0].Message).toBe('Organisation is not subscribed to currency EUR');

    const missing = await rejection(xero.accountingApi.getInvoice(h.tenantId, '00000000-0000-0000-0000-000000000001'));
    expect(missing.response.statusCode).toBe(404);

    const forbidden = await rejection(xero.accountingApi.getContacts('11111111-1111-1111-1111-111111111111'));
    expect(forbidden.response.statusCode).toBe(403);
    expect(forbidden.body).toMatchObject({ Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' });

    h.sandbox.control.setLimits({ perMinute: 0 });
    const limited = await rejection(xero.accountingApi.getContacts(h.tenantId));
    expect(limited.response.statusCode).toBe(429);
    expect(limited.response.headers['x-rate-limit-problem']).toBe('minute');
    expect(Number(limited.response.headers['retry-after'])).toBeGreaterThan(0);
    h.sandbox.control.setLimits({ perMinute: 60 });

    xero.setTokenSet({ ...h.tokens, access_token: 'expired-or-bogus' });
    const unauthorised = await rejection(xero.accountingApi.getContacts(h.tenantId));
    expect(unauthorised.response.statusCode).toBe(401);
    expect(unauthorised.body).toMatchObject({ Title: 'Unauthorized', Status: 401 });
  });

  it('refreshes through our own HTTP call to the identity URL and keeps working', async () => {
    const refreshed = await form(`${h.sandbox.identityUrl}/connect/token`, { grant_type: 'refresh_token', refresh_token: h.tokens.refresh_token! }, [h.clientId, h.clientSecret]);
    xero.setTokenSet(refreshed.body);
    expect((await xero.accountingApi.getOrganisations(h.tenantId)).body.organisations).toHaveLength(1);
  });
});
