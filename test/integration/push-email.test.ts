/**
 * Invoices emailed through Xero: only when the organisation asks for it, only to whitelisted recipients,
 * once per invoice, and never from a Demo Company.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { invoices, syncLog } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

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

const invoice = (contactId: string, number: string, unitAmount = '150.00') => ({
  contactId,
  number,
  date: '2026-11-01',
  dueDate: '2026-11-30',
  lines: [{ description: 'Annual membership', quantity: 1, unitAmount }],
});

async function syncedInvoice(api: ReturnType<typeof apiClient>, id: string) {
  return eventually(async () => {
    const { body } = await api.get('invoices', id);
    return (body.sync as { state: string } | null)?.state === 'synced' ? body : undefined;
  });
}

async function emailLog(orgId: string) {
  return stack.database.db.select().from(syncLog).where(and(eq(syncLog.orgId, orgId), eq(syncLog.action, 'email')));
}

it('emails authorised invoices once, only to recipients the whitelist allows', async () => {
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, {
    settings: { emailInvoices: true, invoiceStatus: 'AUTHORISED', emailWhitelistRegex: '@example\\.org$' },
  });
  const api = apiClient(stack, orgId);
  await api.putContacts([
    { id: 'in', name: 'Katherine Johnson', email: 'katherine@example.org' },
    { id: 'out', name: 'Real Member', email: 'member@real-inbox.com' },
  ]);
  await api.putInvoices([{ id: 'to-in', ...invoice('in', 'E-1') }, { id: 'to-out', ...invoice('out', 'E-2') }]);
  await syncedInvoice(api, 'to-in');
  await syncedInvoice(api, 'to-out');

  await eventually(async () => ((sandbox.control.counters().emailsSent[tenantId] ?? 0) === 1 ? true : undefined));
  // Xero has sent it; our record of that commits just after Xero's answer reaches the activity.
  const emailed = await eventually(async () => {
    const rows = await stack.database.db.select({ id: invoices.id, emailedAt: invoices.emailedAt }).from(invoices).where(eq(invoices.orgId, orgId));
    const byId = new Map(rows.map((r) => [r.id, r.emailedAt]));
    return byId.get('to-in') ? byId : undefined;
  });
  expect(emailed.get('to-in')).toBeInstanceOf(Date);
  expect(emailed.get('to-out')).toBeNull();

  // A change re-pushes the invoice as an update: it is not emailed a second time.
  await api.putInvoice('to-in', invoice('in', 'E-1', '175.00'));
  await eventually(async () => {
    const { body } = await api.get('invoices', 'to-in');
    // 175.00 plus 15% GST, as Xero computed it for the updated invoice.
    return body.total === '201.25' && (body.sync as { state: string }).state === 'synced' ? body : undefined;
  });
  expect(sandbox.control.counters().emailsSent[tenantId]).toBe(1);
  expect((await emailLog(orgId)).filter((l) => l.outcome === 'ok').map((l) => l.recordId)).toEqual(['to-in']);
});

it('does not email drafts, nor when emailing is off', async () => {
  const drafts = await connectSandboxOrg(stack, sandbox, { settings: { emailInvoices: true, invoiceStatus: 'DRAFT' } });
  const off = await connectSandboxOrg(stack, sandbox, { settings: { emailInvoices: false, invoiceStatus: 'AUTHORISED' } });
  for (const { orgId } of [drafts, off]) {
    const api = apiClient(stack, orgId);
    await api.putContact('c', { name: 'Mary Jackson', email: 'mary@example.org' });
    await api.putInvoice('i', invoice('c', 'D-1'));
    await syncedInvoice(api, 'i');
  }
  for (const { orgId, tenantId } of [drafts, off]) {
    expect(sandbox.control.counters().emailsSent[tenantId] ?? 0).toBe(0);
    expect(await emailLog(orgId)).toEqual([]);
  }
});

it('never asks Xero to email from a Demo Company, and says why in the sync log', async () => {
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, {
    organisation: { name: 'Demo Company (NZ)', isDemoCompany: true },
    settings: { emailInvoices: true, invoiceStatus: 'AUTHORISED' },
  });
  const api = apiClient(stack, orgId);
  await api.putContact('c', { name: 'Dorothy Vaughan', email: 'dorothy@example.org' });
  await api.putInvoices([{ id: 'a', ...invoice('c', 'DEMO-1') }, { id: 'b', ...invoice('c', 'DEMO-2') }]);
  await syncedInvoice(api, 'a');
  await syncedInvoice(api, 'b');

  const log = await eventually(async () => {
    const rows = await emailLog(orgId);
    return rows.length === 2 ? rows : undefined;
  });
  expect(log.every((l) => l.outcome === 'skipped' && /Demo Company/.test(l.message ?? ''))).toBe(true);
  const calls = sandbox.control.counters().calls[tenantId] ?? {};
  expect(Object.keys(calls).some((endpoint) => endpoint.includes('/Email'))).toBe(false);
  expect(sandbox.control.counters().emailsSent[tenantId] ?? 0).toBe(0);
});
