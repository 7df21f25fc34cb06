/**
 * The AMS billing guide end to end: a deployment configured with the guide's variables and nothing else
 * (plus where its database and Temporal are), a Custom Connection with exactly the guide's two scopes, on
 * the Xero Demo Company with `XERO_EMAIL_INVOICES=False`. Nobody calls `/connect`. "Try creating a
 * membership. Verify that: Contact is created in Xero; Invoice appears in Xero with correct details; Once
 * paid in Xero, the membership is marked as paid."
 *
 * The API and the worker run in processes of their own, started from the environment like `npm run api`
 * and `npm run worker`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { syncLog, xeroConnections } from '../../db/schema/index.ts';
import { mintToken } from '../../scripts/dev-token.ts';
import { freePort } from '../../scripts/free-port.ts';
import { logLines, spawnApiProcess, type ApiProcess } from '../support/api-process.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { createScratchDatabase, eventually } from '../support/stack.ts';
import { spawnWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';
import { startPlatformReceiver, type PlatformReceiver } from './reconcile-helpers.ts';

const GUIDE_SCOPES = ['accounting.contacts', 'accounting.transactions'];

let sandbox: Sandbox;
let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let receiver: PlatformReceiver;
let api: ApiProcess;
let worker: WorkerProcess;
let tenantId: string;
const jwtSecret = randomBytes(32).toString('hex');

beforeAll(async () => {
  scratch = await createScratchDatabase();
  const platformSecret = randomBytes(24).toString('hex');
  receiver = await startPlatformReceiver(platformSecret);
  sandbox = await startTestSandbox({ webhookBatchMs: 50 });
  ({ tenantId } = sandbox.control.createOrganisation({ name: 'Demo Company (NZ)', isDemoCompany: true, baseCurrency: 'NZD' }));
  // Step 1 and 2 of the guide: a Custom Connection with exactly these scopes, authorised for the Demo Company.
  const app = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId], scopes: GUIDE_SCOPES, name: 'AMS Billing Integration' });
  const webhookKey = randomBytes(32).toString('base64');
  const apiPort = await freePort();

  // Step 7's table, as the deployment team receives it.
  const guide = {
    AMS_BILLING_SERVICE_CLASS: 'ams.billing.providers.xero.XeroBillingService',
    XERO_CLIENT_ID: app.clientId,
    XERO_CLIENT_SECRET: app.clientSecret,
    XERO_TENANT_ID: tenantId,
    XERO_WEBHOOK_KEY: webhookKey,
    XERO_ACCOUNT_CODE: '200',
    XERO_AMOUNT_TYPE: 'EXCLUSIVE',
    XERO_CURRENCY_CODE: 'NZD',
    XERO_EMAIL_INVOICES: 'False',
    AMS_BILLING_EMAIL_WHITELIST_REGEX: '',
  };
  // Where the infrastructure is (Xero's base URLs point at the sandbox).
  const infrastructure = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: scratch.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `ams-${randomUUID()}`,
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    API_PORT: String(apiPort),
    API_JWT_SECRET: jwtSecret,
    ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`,
    XERO_API_URL: sandbox.url,
    XERO_IDENTITY_URL: sandbox.url,
    XERO_LOGIN_URL: sandbox.url,
    PLATFORM_WEBHOOK_URL: receiver.url,
    PLATFORM_WEBHOOK_SECRET: platformSecret,
  };
  // Step 5: Xero posts to https://YOUR_DOMAIN/billing/xero/webhooks/.
  sandbox.control.setWebhook({ url: `http://127.0.0.1:${apiPort}/billing/xero/webhooks/`, key: webhookKey, enabled: true });
  worker = await spawnWorkerProcess({ ...infrastructure, ...guide });
  api = await spawnApiProcess({ ...infrastructure, ...guide });
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await worker?.kill('SIGTERM');
  await sandbox?.close();
  await receiver?.close();
  await scratch?.close();
});

const call = async (path: string, { method = 'GET', body, role = 'service' }: { method?: string; body?: unknown; role?: 'service' | 'client_admin' } = {}) => {
  const token = await mintToken(jwtSecret, { role, orgId: 'default' });
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

it('creates the member as a Xero contact, the invoice with the right details, and marks it paid once paid in Xero: no /connect, nothing emailed', async () => {
  // "Try creating a membership": the main app, with its service token for the deployment's organisation.
  const member = await call('/api/orgs/default/contacts/member-1001', { method: 'PUT', body: { name: 'Ada Lovelace', email: 'ada@example.org' } });
  expect(member.status).toBe(200);
  const contact = await eventually(async () =>
    (sandbox.control.records(tenantId).contacts as Array<Record<string, any>>).find((c) => c.ContactNumber === 'member-1001'),
  );
  expect(contact).toMatchObject({ Name: 'Ada Lovelace', EmailAddress: 'ada@example.org' });

  const raised = await call('/api/orgs/default/invoices/mem-2026-1', {
    method: 'PUT',
    body: { contactId: 'member-1001', number: 'MEM-2026-1', date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '100.00' }] },
  });
  expect(raised.status).toBe(200);
  const invoice = await eventually(async () =>
    (sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceNumber === 'MEM-2026-1'),
  );
  expect(invoice).toMatchObject({ Type: 'ACCREC', Status: 'AUTHORISED', CurrencyCode: 'NZD', LineAmountTypes: 'Exclusive', Contact: expect.objectContaining({ ContactID: contact.ContactID }) });
  expect(invoice.LineItems.map((l: Record<string, unknown>) => l.AccountCode)).toEqual(['200']);

  // "Once paid in Xero, the membership is marked as paid": Xero's webhook, the invoice read back, an event for the main app.
  sandbox.control.payInvoice(tenantId, invoice.InvoiceID, { reference: 'Paid at the front desk' });
  const paid = await eventually(async () => receiver.eventsFor('default', 'invoice.paid')[0], { timeoutMs: 30_000 });
  expect(paid.data).toMatchObject({ invoiceId: 'mem-2026-1', xeroInvoiceId: invoice.InvoiceID, amountDue: '0.00' });
  expect((await call('/api/orgs/default/invoices/mem-2026-1')).body).toMatchObject({ xeroStatus: 'PAID', amountDue: '0.00' });

  // The connection was linked at start-up, with what Xero granted: exactly the guide's two scopes.
  const card = await call('/api/orgs/default/integrations/xero', { role: 'client_admin' });
  expect(card.body).toMatchObject({ status: 'connected', authType: 'custom', xeroTenantId: tenantId, scopes: GUIDE_SCOPES });
  const linked = logLines(api.output()).filter((l) => /linked to organisation 'default'/.test(l.msg ?? ''));
  expect(linked).toHaveLength(1);

  // XERO_EMAIL_INVOICES=False on the Demo Company: nothing emailed, nothing failed.
  const calls = sandbox.control.counters().calls[tenantId] ?? {};
  expect(Object.keys(calls).filter((endpoint) => endpoint.includes('/Email'))).toEqual([]);
  expect(sandbox.control.counters().emailsSent[tenantId] ?? 0).toBe(0);
  const log = await scratch.db.select().from(syncLog).where(eq(syncLog.orgId, 'default'));
  expect(log.filter((l) => l.outcome !== 'ok')).toEqual([]);
  const [row] = await scratch.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, 'default'));
  expect(row).toMatchObject({ status: 'connected', lastError: null });
}, 90_000);

it("tests the connection with the guide's scopes: the sync's checks pass, the settings reads are skipped with a warning", async () => {
  const tested = await call('/api/orgs/default/integrations/xero/test', { method: 'POST' });
  expect(tested.status).toBe(200);
  expect(tested.body.ok).toBe(true);
  const checks = Object.fromEntries((tested.body.checks as Array<{ check: string; status: string; message: string }>).map((c) => [c.check, c]));
  expect(checks.credentials!.status).toBe('pass');
  expect(checks.account_codes).toEqual({ check: 'account_codes', status: 'warn', message: 'account codes not verified: the app lacks accounting.settings.read' });
  expect(checks.organisation).toMatchObject({ status: 'warn', message: 'organisation details not read: the app lacks accounting.settings.read' });
  const calls = sandbox.control.counters().calls[tenantId] ?? {};
  for (const endpoint of ['GET /Organisation', 'GET /Accounts', 'GET /TaxRates', 'GET /Currencies']) expect(calls[endpoint] ?? 0).toBe(0);
});
