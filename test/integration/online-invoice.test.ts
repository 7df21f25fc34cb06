/**
 * Online invoice links: once Xero has approved an invoice (when pushed, or later in Xero), its
 * OnlineInvoiceUrl is fetched once (a paced call of its own), stored, returned with the record and sent to
 * the main app in `invoice.synced`, so the platform can show members a pay link.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { connectThroughApi, localInvoice, pushInvoice, settled, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack();
});
afterAll(async () => {
  await s?.close();
});

const linkCalls = (tenantId: string) => s.sandbox.control.counters().calls[tenantId]?.['GET /Invoices/{InvoiceID}/OnlineInvoice'] ?? 0;

it('fetches an approved invoice\'s link once, returns it with the record and sends invoice.synced once', async () => {
  const { orgId, tenantId } = await connectThroughApi(s);
  const api = apiClient(s.stack, orgId);
  const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-1' });
  const url = await eventually(async () => (await localInvoice(s.db, orgId, 'inv-1')).onlineInvoiceUrl);
  expect(url).toMatch(new RegExp(`^${s.sandbox.url}/in/[A-Za-z0-9]{40}$`));
  expect((await api.get('invoices', 'inv-1')).body).toMatchObject({ onlineInvoiceUrl: url });
  // The member's page: Xero's view of the invoice, with what is due.
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('INV-inv-1');

  // Changed and pushed again: the link is the same invoice's; it is not fetched or announced again.
  expect((await api.putInvoice('inv-1', { contactId: 'm-inv-1', number: 'INV-inv-1', date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '120.00' }] })).status).toBe(200);
  await eventually(async () => ((await localInvoice(s.db, orgId, 'inv-1')).total === '138.00' ? true : undefined));
  await settled(s, orgId);
  expect(linkCalls(tenantId)).toBe(1);
  const synced = s.receiver.eventsFor(orgId, 'invoice.synced');
  expect(synced).toHaveLength(1);
  expect(synced[0]!.data).toEqual({ invoiceId: 'inv-1', invoiceNumber: 'INV-inv-1', xeroInvoiceId, status: 'AUTHORISED', total: '115.00', amountDue: '115.00', onlineInvoiceUrl: url });
});

it('fetches no link for a draft, and fetches it once the invoice is approved in Xero', async () => {
  const { orgId, tenantId } = await connectThroughApi(s, { invoiceStatus: 'DRAFT' });
  const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'draft-1' });
  await settled(s, orgId);
  expect(linkCalls(tenantId)).toBe(0);
  expect((await localInvoice(s.db, orgId, 'draft-1')).onlineInvoiceUrl).toBeNull();

  s.sandbox.control.updateInvoice(tenantId, xeroInvoiceId, { Status: 'AUTHORISED' });
  const url = await eventually(async () => (await localInvoice(s.db, orgId, 'draft-1')).onlineInvoiceUrl);
  await settled(s, orgId);
  expect(linkCalls(tenantId)).toBe(1);
  expect(s.receiver.eventsFor(orgId, 'invoice.synced').map((e) => [e.data.status, e.data.onlineInvoiceUrl])).toEqual([['AUTHORISED', url]]);
});

it('asks Xero for no link when the organisation turned links off', async () => {
  const { orgId, tenantId } = await connectThroughApi(s, { onlineInvoiceLinks: false });
  await pushInvoice(s, orgId, { invoiceId: 'quiet-1' });
  await settled(s, orgId);
  expect(linkCalls(tenantId)).toBe(0);
  expect(s.receiver.eventsFor(orgId, 'invoice.synced')).toEqual([]);
});
