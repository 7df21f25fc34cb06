/**
 * Revenue recognition when things are not plain: Xero's answer to a journal lost after Xero posted it (the
 * journal is found by its narration and adopted, never posted twice), a foreign-currency invoice (converted at
 * its own rate), a voided invoice (what was recognised is reversed, and recognition stops), and an
 * organisation without a deferred revenue account (nothing deferred, nothing recognised, and a warning).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deferredRevenueLines } from '../../db/schema/index.ts';
import { orgWorkflowId, revenueScheduleId } from '../../workflows/ids.ts';
import { statusQuery } from '../../workflows/messages.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { localInvoice, settled, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';
import { connectRevenueOrg, journalRows, journalsInXero, onAccount, pushMembership, runScheduleFor } from './revenue-harness.ts';

let s: FromXeroStack;
beforeAll(async () => {
  // A Xero call that hangs is abandoned after 3 s and retried.
  s = await startFromXeroStack({ XERO_CALL_TIMEOUT_MS: '3000' });
});
afterAll(async () => {
  await s?.close();
});

const report = async (orgId: string, asOf?: string) =>
  (await apiClient(s.stack, orgId, 'service').call<Record<string, any>>('GET', `/api/orgs/${orgId}/revenue${asOf ? `?asOf=${asOf}` : ''}`)).body;
const calls = (tenantId: string, endpoint: string) => s.sandbox.control.counters().calls[tenantId]?.[endpoint] ?? 0;

describe('a journal whose answer is lost after Xero posted it', () => {
  it('is found by its narration on the retry and adopted, not posted twice', async () => {
    const { orgId, tenantId } = await connectRevenueOrg(s);
    await pushMembership(s, orgId, tenantId, { invoiceId: 'inv-oct', date: '2026-10-01', servicePeriod: { start: '2026-10-01', end: '2026-10-31' }, unitAmount: '310.00', taxCode: 'GST' });
    // Xero posts the journal but its answer never comes back.
    s.sandbox.control.setFaults({ timeoutRate: 1, timeoutMode: 'hang', timeoutMs: 10_000, methods: ['PUT'] });
    try {
      await runScheduleFor(s, orgId, '2026-11-01');
    } finally {
      s.sandbox.control.setFaults({ timeoutRate: 0, methods: [] });
    }
    const [row] = await journalRows(s, orgId);
    expect(row).toMatchObject({ period: '2026-10', state: 'posted', attempts: 1, adoptedAt: expect.any(Date), total: '310.00' });
    const inXero = journalsInXero(s, tenantId);
    expect(inXero).toHaveLength(1);
    expect(inXero[0]).toMatchObject({ ManualJournalID: row!.xeroJournalId, Narration: row!.narration });
    expect([onAccount(inXero[0]!, '835'), onAccount(inXero[0]!, '200')]).toEqual([31_000, -31_000]);
    expect(calls(tenantId, 'PUT /ManualJournals')).toBe(1);
    expect(calls(tenantId, 'GET /ManualJournals')).toBe(1);
    const status = await s.stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery);
    expect(status.lastRevenueRecognition).toMatchObject({ adopted: ['2026-10'], posted: [] });
    expect((await report(orgId)).journals).toEqual([{ period: '2026-10', xeroJournalId: row!.xeroJournalId, date: '2026-10-31', total: '310.00', adopted: true }]);
  }, 60_000);
});

describe('a foreign-currency invoice', () => {
  it("is recognised in base currency at the invoice's own rate, the months summing to the converted line", async () => {
    const { orgId, tenantId } = await connectRevenueOrg(s, { organisation: { currencies: ['USD'], currencyRates: { USD: 0.6 } } });
    const invoice = await pushMembership(s, orgId, tenantId, {
      invoiceId: 'inv-usd',
      date: '2026-04-01',
      currencyCode: 'USD',
      servicePeriod: { start: '2026-04-01', end: '2026-06-30' },
      unitAmount: '100.00',
      taxCode: 'GST',
    });
    expect(invoice).toMatchObject({ CurrencyCode: 'USD', CurrencyRate: 0.6, LineItems: [{ AccountCode: '835', LineAmount: 100, TaxAmount: 15 }] });
    await s.stack.temporal.schedule.getHandle(revenueScheduleId(orgId)).trigger();
    await eventually(async () => (await journalRows(s, orgId)).find((j) => j.period === '2026-11' && j.state === 'empty'), { timeoutMs: 30_000 });
    // 100.00 USD at 0.6 USD per NZD is 166.67 NZD: 30, 31 and 30 of 91 days, the last month the remainder.
    const journals = journalsInXero(s, tenantId);
    expect(journals.map((j) => onAccount(j, '835'))).toEqual([5495, 5678, 16_667 - 5495 - 5678]);
    expect(journals.map((j) => onAccount(j, '200'))).toEqual([-5495, -5678, -(16_667 - 5495 - 5678)]);
    expect((await journalRows(s, orgId)).map((j) => [j.period, j.state])).toEqual([
      ['2026-04', 'posted'], ['2026-05', 'posted'], ['2026-06', 'posted'],
      ['2026-07', 'empty'], ['2026-08', 'empty'], ['2026-09', 'empty'], ['2026-10', 'empty'], ['2026-11', 'empty'],
    ]);
    expect((await report(orgId)).lines).toEqual([
      expect.objectContaining({ currencyCode: 'USD', currencyRate: '0.6', invoicedNet: '100.00', invoicedNetInBaseCurrency: '166.67', totalNet: '166.67', earned: '166.67', unearned: '0.00' }),
    ]);
    expect((await report(orgId, '2026-05-31')).totals).toEqual({ totalNet: '166.67', earned: '111.73', unearned: '54.94' });
  }, 60_000);
});

describe('a voided invoice', () => {
  it('has what was recognised reversed by the next journal, and nothing recognised after', async () => {
    const { orgId, tenantId } = await connectRevenueOrg(s);
    const invoice = await pushMembership(s, orgId, tenantId, { invoiceId: 'inv-void', date: '2026-09-01', servicePeriod: { start: '2026-09-01', end: '2027-08-31' }, unitAmount: '1200.00', taxCode: 'GST' });
    await runScheduleFor(s, orgId, '2026-10-01');
    // September: 30 of 365 days of 1,200.00.
    const september = Math.round((120_000 * 30) / 365);
    expect(journalsInXero(s, tenantId).map((j) => onAccount(j, '835'))).toEqual([september]);

    // Voided in Xero: Xero itself reverses the invoice's lines, deferred revenue included; the webhook tells us.
    s.sandbox.control.updateInvoice(tenantId, invoice.InvoiceID, { Status: 'VOIDED' });
    await settled(s, orgId);
    await eventually(async () => (await localInvoice(s.db, orgId, 'inv-void')).xeroStatus === 'VOIDED');

    await runScheduleFor(s, orgId, '2026-11-01');
    const journals = journalsInXero(s, tenantId);
    expect(journals).toHaveLength(2);
    // The reversal: what September moved to revenue goes back to deferred revenue, which Xero's void emptied.
    expect([onAccount(journals[1]!, '835'), onAccount(journals[1]!, '200')]).toEqual([-september, september]);
    await s.stack.temporal.schedule.getHandle(revenueScheduleId(orgId)).trigger();
    await eventually(async () => (await journalRows(s, orgId)).find((j) => j.period === '2026-11' && j.state === 'empty'), { timeoutMs: 30_000 });
    expect(journalsInXero(s, tenantId)).toHaveLength(2);

    // In Xero: the voided invoice holds nothing; the journals net to nothing on either account.
    const voided = (s.sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === invoice.InvoiceID)!;
    expect(voided.Status).toBe('VOIDED');
    expect(journals.reduce((n, j) => n + onAccount(j, '835'), 0)).toBe(0);
    expect(journals.reduce((n, j) => n + onAccount(j, '200'), 0)).toBe(0);
    const now = await report(orgId);
    expect(now.totals).toEqual({ totalNet: '0.00', earned: '0.00', unearned: '0.00' });
    expect(now.lines).toEqual([expect.objectContaining({ invoiceId: 'inv-void', xeroStatus: 'VOIDED', invoicedNet: '1200.00', totalNet: '0.00', earned: '0.00' })]);
    expect(now.journals.map((j: { total: string }) => j.total)).toEqual([(september / 100).toFixed(2), (-september / 100).toFixed(2)]);
  }, 60_000);
});

describe('without a deferred revenue account', () => {
  it('posts lines with a service period to revenue, recognises nothing later, and warns', async () => {
    const { orgId, tenantId } = await connectRevenueOrg(s, { settings: { deferredRevenueAccountCode: null } });
    const invoice = await pushMembership(s, orgId, tenantId, { invoiceId: 'inv-plain', date: '2026-06-01', servicePeriod: { start: '2026-06-01', end: '2027-05-31' }, unitAmount: '120.00' });
    expect(invoice.LineItems[0].AccountCode).toBe('200');
    expect(await s.db.select().from(deferredRevenueLines).where(and(eq(deferredRevenueLines.orgId, orgId)))).toEqual([]);

    const organisationReads = calls(tenantId, 'GET /Organisation');
    await s.stack.temporal.schedule.getHandle(revenueScheduleId(orgId)).trigger();
    await eventually(async () => (await s.stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery)).lastRevenueRecognition);
    // Nothing to recognise: not even a Xero call.
    expect(calls(tenantId, 'GET /Organisation')).toBe(organisationReads);
    expect(calls(tenantId, 'PUT /ManualJournals')).toBe(0);
    expect(await journalRows(s, orgId)).toEqual([]);

    const tested = await integrationApi(s.stack, orgId).test();
    const check = tested.body.checks.find((c) => c.check === 'revenue_recognition');
    expect(check).toEqual({ check: 'revenue_recognition', status: 'warn', message: expect.stringMatching(/^1 invoice line\(s\) have a service period but no deferred revenue account is set/) });
    expect(tested.body.ok).toBe(true);
    const card = await apiClient(s.stack, orgId, 'client_admin').call<Record<string, any>>('GET', `/api/orgs/${orgId}/integrations/xero`);
    expect(card.body.revenueRecognition).toMatchObject({ deferredRevenueAccountCode: null, warning: check!.message });
    const status = await apiClient(s.stack, orgId, 'platform_admin').call<Record<string, any>>('GET', `/api/admin/integrations/xero/${orgId}/status`);
    expect(status.body.revenue_recognition).toMatchObject({ warning: check!.message, total_net: '0.00' });
  }, 60_000);
});

describe('an organisation connected before revenue recognition existed', () => {
  it('gets its revenue schedule when an admin sets the deferred revenue account', async () => {
    // Connected straight in the database, as a release without revenue schedules left it.
    const { orgId } = await connectSandboxOrg(s.stack, s.sandbox);
    const schedule = s.stack.temporal.schedule.getHandle(revenueScheduleId(orgId));
    await expect(schedule.describe()).rejects.toThrow(/not found/i);
    const saved = await integrationApi(s.stack, orgId).putSettings({ deferredRevenueAccountCode: '835' });
    expect(saved.body).toMatchObject({ deferredRevenueAccountCode: '835', checkedAgainstXero: true });
    expect((await schedule.describe()).state.paused).toBe(false);
  });
});
