/**
 * Emailing configured the AMS guide's way, from the environment: `XERO_EMAIL_INVOICES=True` with a test
 * whitelist (`AMS_BILLING_EMAIL_WHITELIST_REGEX`) that an organisation's own whitelist may narrow but never
 * widen, and `XERO_EMAIL_INVOICES=False` on the Demo Company ("can be used for free"): nothing emailed,
 * nothing failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { invoices, syncLog } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

const invoice = (contactId: string, number: string) => ({
  contactId,
  number,
  date: '2026-11-01',
  dueDate: '2026-11-30',
  lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '150.00' }],
});

/** Katherine (example.org), Ada (example.org) and a real member, each with an authorised invoice. */
async function pushForThree(stack: TestStack, orgId: string) {
  const api = apiClient(stack, orgId);
  await api.putContacts([
    { id: 'kj', name: 'Katherine Johnson', email: 'katherine@example.org' },
    { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.org' },
    { id: 'out', name: 'Real Member', email: 'member@real-inbox.com' },
  ]);
  await api.putInvoices([{ id: 'to-kj', ...invoice('kj', 'E-1') }, { id: 'to-ada', ...invoice('ada', 'E-2') }, { id: 'to-out', ...invoice('out', 'E-3') }]);
  for (const id of ['to-kj', 'to-ada', 'to-out']) {
    await eventually(async () => ((await api.get('invoices', id)).body.sync as { state: string }).state === 'synced');
  }
}

/**
 * Which invoices were emailed, once every email of the drain that pushed them is done: a later drain (a
 * marker contact pushed after) starts only when the earlier one, emails included, has finished.
 */
async function emailedAfterDrain(stack: TestStack, orgId: string) {
  const api = apiClient(stack, orgId);
  await api.putContact('marker', { name: 'Marker' });
  await eventually(async () => ((await api.get('contacts', 'marker')).body.sync as { state: string }).state === 'synced');
  const rows = await stack.database.db.select({ id: invoices.id, emailedAt: invoices.emailedAt }).from(invoices).where(eq(invoices.orgId, orgId));
  return rows.filter((r) => r.emailedAt).map((r) => r.id).sort();
}

const emailLog = (stack: TestStack, orgId: string) => stack.database.db.select().from(syncLog).where(and(eq(syncLog.orgId, orgId), eq(syncLog.action, 'email')));
const emailCalls = (tenantId: string) => Object.keys(sandbox.control.counters().calls[tenantId] ?? {}).filter((endpoint) => endpoint.includes('/Email'));

describe('XERO_EMAIL_INVOICES=True with AMS_BILLING_EMAIL_WHITELIST_REGEX', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ xeroUrl: sandbox.url, env: { XERO_EMAIL_INVOICES: 'True', AMS_BILLING_EMAIL_WHITELIST_REGEX: '@example\\.org$' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("emails only whitelisted recipients, even when an organisation's own whitelist would allow anyone", async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, { settings: { invoiceStatus: 'AUTHORISED' } });
    // A client admin tries to widen it.
    expect((await integrationApi(stack, orgId).putSettings({ emailWhitelistRegex: '.*' })).status).toBe(200);
    await pushForThree(stack, orgId);
    expect(await emailedAfterDrain(stack, orgId)).toEqual(['to-ada', 'to-kj']);
    expect(sandbox.control.counters().emailsSent[tenantId]).toBe(2);
  });

  it("an organisation's own whitelist narrows it", async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, { settings: { invoiceStatus: 'AUTHORISED', emailWhitelistRegex: '^katherine@' } });
    await pushForThree(stack, orgId);
    expect(await emailedAfterDrain(stack, orgId)).toEqual(['to-kj']);
    expect(sandbox.control.counters().emailsSent[tenantId]).toBe(1);
  });

  it('never asks Xero to email from a Demo Company (the existing guard, on the environment path)', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, { organisation: { name: 'Demo Company (NZ)', isDemoCompany: true }, settings: { invoiceStatus: 'AUTHORISED' } });
    await pushForThree(stack, orgId);
    const log = await eventually(async () => {
      const rows = await emailLog(stack, orgId);
      return rows.length === 2 ? rows : undefined;
    });
    expect(log.map((l) => l.recordId).sort()).toEqual(['to-ada', 'to-kj']);
    expect(log.every((l) => l.outcome === 'skipped' && /Demo Company/.test(l.message ?? ''))).toBe(true);
    expect(emailCalls(tenantId)).toEqual([]);
  });
});

describe('XERO_EMAIL_INVOICES=False on the Demo Company', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ xeroUrl: sandbox.url, env: { XERO_EMAIL_INVOICES: 'False' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('emails nothing and fails nothing', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, { organisation: { name: 'Demo Company (NZ)', isDemoCompany: true }, settings: { invoiceStatus: 'AUTHORISED' } });
    expect((await integrationApi(stack, orgId).settings()).body).toMatchObject({ emailInvoices: null, effective: { emailInvoices: false } });
    await pushForThree(stack, orgId);
    // A change re-pushes one of them, and the drain after it ends too: still nothing.
    await apiClient(stack, orgId).putInvoice('to-kj', { ...invoice('kj', 'E-1'), reference: 'changed' });
    await eventually(async () => {
      const { body } = await apiClient(stack, orgId).get('invoices', 'to-kj');
      return body.reference === 'changed' && (body.sync as { state: string }).state === 'synced';
    });
    expect(emailCalls(tenantId)).toEqual([]);
    expect(sandbox.control.counters().emailsSent[tenantId] ?? 0).toBe(0);
    expect(await emailLog(stack, orgId)).toEqual([]);
    const failures = await stack.database.db.select().from(syncLog).where(and(eq(syncLog.orgId, orgId), eq(syncLog.outcome, 'failed')));
    expect(failures).toEqual([]);
  });
});
