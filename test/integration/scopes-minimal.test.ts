/**
 * An app with only the scopes the sync needs: the AMS guide's (`accounting.contacts accounting.transactions`,
 * Xero's broad vocabulary) and the same in the granular one of apps created from March 2026. Contacts,
 * invoices and receipts push and payments come back; what needs a settings scope (chart of accounts, tax
 * rates, currencies, organisation details) is skipped with a warning, and nothing pauses the organisation
 * or marks it needing re-authorisation for a scope it never needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { invoices, syncLog, xeroConnections } from '../../db/schema/index.ts';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery } from '../../workflows/messages.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { connectSandboxOrg, type ConnectOptions } from '../support/xero-org.ts';

const SETTINGS_READS = ['GET /Organisation', 'GET /Accounts', 'GET /TaxRates', 'GET /Currencies'];

let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  stack = await startTestStack({ xeroUrl: sandbox.url });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

const invoice = (contactId: string, number: string) => ({
  contactId,
  number,
  date: '2026-11-01',
  dueDate: '2026-11-30',
  lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '100.00' }],
});

async function synced(api: ReturnType<typeof apiClient>, kind: 'contacts' | 'invoices' | 'payments', id: string) {
  return eventually(async () => {
    const { body } = await api.get(kind, id);
    return (body.sync as { state: string } | null)?.state === 'synced' ? body : undefined;
  });
}

async function connection(orgId: string) {
  const [row] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
  return row!;
}

const settingsReads = (tenantId: string) => SETTINGS_READS.map((endpoint) => sandbox.control.counters().calls[tenantId]?.[endpoint] ?? 0);

describe.each([
  ["the AMS guide's broad scopes", ['accounting.contacts', 'accounting.transactions']],
  ['the granular scopes, without settings', ['accounting.contacts', 'accounting.invoices', 'accounting.payments']],
])('an app with %s', (_name, scopes) => {
  const connect = (options: ConnectOptions = {}) => connectSandboxOrg(stack, sandbox, { scopes, ...options });

  it('pushes contacts, invoices and receipts, reads payments made in Xero back, and stores what Xero granted', async () => {
    const { orgId, tenantId } = await connect();
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Hypatia of Alexandria', email: 'hypatia@example.org' });
    await api.putInvoice('inv', invoice('m', 'SC-1'));
    const pushed = await synced(api, 'invoices', 'inv');
    expect((await api.postPayment({ id: 'rcpt', invoiceId: 'inv', amount: '15.00', date: '2026-11-10', reference: 'Deposit' })).status).toBe(201);
    await synced(api, 'payments', 'rcpt');
    expect(sandbox.control.records(tenantId).payments).toEqual([expect.objectContaining({ Amount: 15, Reference: 'Deposit' })]);

    // The rest is paid in Xero; the reconciliation sweep finds it (GET /Payments, GET /Invoices).
    sandbox.control.payInvoice(tenantId, (pushed.sync as { xeroId: string }).xeroId, { reference: 'Balance' });
    await createOrgWorkflows(stack.temporal, stack.taskQueue).reconcile(orgId, 'test');
    const paid = await eventually(async () => {
      const [row] = await stack.database.db.select().from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.id, 'inv')));
      return row?.xeroStatus === 'PAID' ? row : undefined;
    });
    expect(paid.amountDue).toBe('0.00');

    expect(await connection(orgId)).toMatchObject({ status: 'connected', lastError: null, scopes: scopes.join(' ') });
    expect((await integrationApi(stack, orgId).card()).body).toMatchObject({ status: 'connected', scopes });
    expect((await stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery)).pausedReason).toBeUndefined();
  });

  it('tests the connection: passes, with the settings checks skipped and saying why, without calling Xero for them', async () => {
    const { orgId, tenantId } = await connect({ settings: { defaultTaxType: 'OUTPUT2' } });
    const tested = await integrationApi(stack, orgId).test();
    expect(tested.status).toBe(200);
    expect(tested.body.ok).toBe(true);
    const byCheck = Object.fromEntries(tested.body.checks.map((c) => [c.check, c]));
    expect(byCheck.credentials!.status).toBe('pass');
    expect(byCheck.scopes).toMatchObject({ status: 'warn', message: expect.stringContaining('the app lacks accounting.settings.read') });
    expect(byCheck.organisation).toMatchObject({ status: 'warn', message: 'organisation details not read: the app lacks accounting.settings.read' });
    expect(byCheck.account_codes).toEqual({ check: 'account_codes', status: 'warn', message: 'account codes not verified: the app lacks accounting.settings.read' });
    expect(byCheck.tax_types).toMatchObject({ status: 'warn', message: 'tax types not verified: the app lacks accounting.settings.read' });
    expect(byCheck.bank_account).toMatchObject({ status: 'warn', message: 'bank account not verified: the app lacks accounting.settings.read' });
    expect(settingsReads(tenantId)).toEqual([0, 0, 0, 0]);
    expect(await connection(orgId)).toMatchObject({ status: 'connected', lastError: null });
  });

  it('stores settings and mappings unchecked, saying so, and the admin status lists the warning', async () => {
    const { orgId, tenantId } = await connect();
    const admin = integrationApi(stack, orgId);
    await admin.test(); // a first token, so the granted scopes are known
    const put = await admin.putSettings({ defaultRevenueAccountCode: '201', bankAccountCode: '091', currencyCode: 'AUD' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ defaultRevenueAccountCode: '201', checkedAgainstXero: false, notCheckedBecause: 'codes not verified: the app lacks accounting.settings.read' });
    const mappings = await admin.putMappings({ serviceAccounts: { EVENTS: '260' }, taxTypes: {} });
    expect(mappings.status).toBe(200);
    expect(mappings.body).toMatchObject({ serviceAccounts: { EVENTS: '260' }, checkedAgainstXero: false, notCheckedBecause: expect.stringContaining('accounting.settings.read') });
    expect(settingsReads(tenantId)).toEqual([0, 0, 0, 0]);

    const status = await apiClient(stack, orgId, 'platform_admin').call('GET', `/api/admin/integrations/xero/${orgId}/status`);
    expect(status.body).toMatchObject({
      connected: true,
      warnings: [{ type: 'scope', scope: 'accounting.settings.read', message: expect.stringMatching(/account codes.*not verified: the app lacks accounting\.settings\.read/) }],
    });
  });

  it('emails from a Demo Company it cannot recognise without the scope: Xero refuses, the refusal is logged, nothing pauses', async () => {
    const { orgId, tenantId } = await connect({
      organisation: { name: 'Demo Company (NZ)', isDemoCompany: true },
      settings: { emailInvoices: true, invoiceStatus: 'AUTHORISED' },
    });
    const api = apiClient(stack, orgId);
    await api.putContact('c', { name: 'Dorothy Vaughan', email: 'dorothy@example.org' });
    await api.putInvoice('i', invoice('c', 'DEMO-1'));
    await synced(api, 'invoices', 'i');
    const emailLog = await eventually(async () => {
      const rows = await stack.database.db.select().from(syncLog).where(and(eq(syncLog.orgId, orgId), eq(syncLog.action, 'email')));
      return rows.length > 0 ? rows : undefined;
    });
    expect(emailLog).toEqual([expect.objectContaining({ recordId: 'i', outcome: 'failed', xeroMessage: 'The Demo Company cannot send emails.' })]);
    expect(sandbox.control.counters().emailsSent[tenantId] ?? 0).toBe(0);
    expect(settingsReads(tenantId)[0]).toBe(0);
    expect((await api.get('invoices', 'i')).body.sync).toMatchObject({ state: 'synced' });
    expect(await connection(orgId)).toMatchObject({ status: 'connected', lastError: null });
    expect((await stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery)).pausedReason).toBeUndefined();
  });
});

describe('when the granted scopes were never recorded', () => {
  it("takes Xero's 401 on a settings read, even after a fresh token, as a missing scope: a warning and an email attempt, never a dead grant", async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, {
      scopes: ['accounting.contacts', 'accounting.transactions'],
      organisation: { name: 'Demo Company (AU)', countryCode: 'AU', isDemoCompany: true },
      settings: { emailInvoices: true, invoiceStatus: 'AUTHORISED' },
    });
    const admin = integrationApi(stack, orgId);
    await admin.test();
    const forget = () => stack.database.db.update(xeroConnections).set({ scopes: null }).where(eq(xeroConnections.orgId, orgId));
    await forget();
    const tokensBefore = sandbox.control.counters().tokens.clientCredentials;

    const tested = await admin.test();
    const accountCodes = tested.body.checks.find((c) => c.check === 'account_codes');
    expect(accountCodes).toEqual({ check: 'account_codes', status: 'warn', message: 'account codes not verified: the app lacks accounting.settings.read' });
    expect(tested.body.ok).toBe(true);
    // Xero was asked this time and answered 401; a fresh token changed nothing (the refusal is not counted as a call).
    expect(sandbox.control.counters().tokens.clientCredentials).toBeGreaterThan(tokensBefore);
    expect(settingsReads(tenantId)).toEqual([0, 0, 0, 0]);

    // The workflow's Demo Company check meets the same 401: it emails, and Xero's refusal is logged.
    await forget();
    const api = apiClient(stack, orgId);
    await api.putContact('c', { name: 'Annie Easley', email: 'annie@example.org' });
    await api.putInvoice('i', invoice('c', 'DEMO-AU-1'));
    await synced(api, 'invoices', 'i');
    await eventually(async () => {
      const rows = await stack.database.db.select().from(syncLog).where(and(eq(syncLog.orgId, orgId), eq(syncLog.action, 'email')));
      return rows.some((r) => r.outcome === 'failed');
    });
    expect(await connection(orgId)).toMatchObject({ status: 'connected', lastError: null });
    expect((await stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery)).pausedReason).toBeUndefined();
  });
});
