/**
 * Revenue recognition end to end: a line with a service period is invoiced to the deferred revenue account,
 * and the organisation's monthly schedule (`xero-revrec:{orgId}`) posts one Manual Journal per month through
 * its workflow, straight-line by day, net of tax, in exact cents, catching up a missed month in order and never
 * posting a month twice; `GET /api/orgs/{orgId}/revenue` adds up to what Xero's journals and invoices hold.
 */
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { deferredRevenueLines } from '../../db/schema/index.ts';
import { orgWorkflowId, revenueScheduleId } from '../../workflows/ids.ts';
import { statusQuery } from '../../workflows/messages.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';
import { cents, connectRevenueOrg, journalRows, journalsInXero, NARRATION_PREFIX, onAccount, pushMembership, runScheduleFor } from './revenue-harness.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack();
});
afterAll(async () => {
  await s?.close();
});

/** Days of 15 Nov 2025 - 14 Nov 2026 in each month: 365 in all. */
const MONTH_DAYS: Array<[string, number]> = [
  ['2025-11', 16], ['2025-12', 31], ['2026-01', 31], ['2026-02', 28], ['2026-03', 31], ['2026-04', 30], ['2026-05', 31],
  ['2026-06', 30], ['2026-07', 31], ['2026-08', 31], ['2026-09', 30], ['2026-10', 31], ['2026-11', 14],
];
/** 1,200.00 straight-line by day: each month its days' share rounded to the cent, the last the remainder. */
const EXPECTED = MONTH_DAYS.map(([period, days], i) => [period, i < MONTH_DAYS.length - 1 ? Math.round((120_000 * days) / 365) : 0] as [string, number]);
EXPECTED[EXPECTED.length - 1]![1] = 120_000 - EXPECTED.slice(0, -1).reduce((n, [, c]) => n + c, 0);

const membership = {
  invoiceId: 'inv-year',
  date: '2025-11-15',
  servicePeriod: { start: '2025-11-15', end: '2026-11-14' },
  // Tax-inclusive: 1,380.00 with 15% GST inside it is 1,200.00 of revenue and 180.00 of GST.
  unitAmount: '1380.00',
  taxCode: 'GST',
};

describe('a 12-month membership invoiced mid-month', () => {
  it('is deferred, then recognised by one journal a month, a missed month caught up in order, summing exactly to the line', async () => {
    const { orgId, tenantId } = await connectRevenueOrg(s, { settings: { amountType: 'INCLUSIVE' } });
    const schedule = s.stack.temporal.schedule.getHandle(revenueScheduleId(orgId));
    const created = await eventually(() => schedule.describe());
    expect(created.state.paused).toBe(false);
    expect(created.action).toMatchObject({ type: 'startWorkflow', workflowType: 'xeroRevenueScheduleWorkflow', args: [{ orgId }] });
    expect(created.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1 }], hour: [{ start: 4, end: 4 }] });
    // Before Xero's timezone is known: the last zone on earth to finish a month.
    expect(created.spec.timezone).toBe('Etc/GMT+12');

    const invoice = await pushMembership(s, orgId, tenantId, membership);
    expect(invoice.LineItems[0]).toMatchObject({ AccountCode: '835', LineAmount: 1380, TaxAmount: 180 });
    const [deferred] = await s.db.select().from(deferredRevenueLines).where(and(eq(deferredRevenueLines.orgId, orgId), eq(deferredRevenueLines.invoiceId, 'inv-year')));
    expect(deferred).toMatchObject({ deferredAccountCode: '835', revenueAccountCode: '200', netAmount: '1200.00', currencyRate: '1', lineAmountTypes: 'Inclusive' });

    // The run of 1 December 2025 recognises November; then it follows the organisation's own time zone.
    await runScheduleFor(s, orgId, '2025-12-01');
    expect(journalsInXero(s, tenantId)).toHaveLength(1);
    await eventually(async () => (await schedule.describe()).spec.timezone === 'Pacific/Auckland');
    await runScheduleFor(s, orgId, '2026-01-01');
    // 1 February's run never happened: 1 March's posts January, then February.
    await runScheduleFor(s, orgId, '2026-03-01');
    expect((await journalRows(s, orgId)).map((j) => j.period)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    // Triggered now (December 2026): every month since, to the end of the service period.
    await schedule.trigger();
    await eventually(async () => (await journalRows(s, orgId)).find((j) => j.period === '2026-11' && j.state === 'posted'), { timeoutMs: 30_000 });

    const journals = journalsInXero(s, tenantId);
    expect(journals.map((j) => j.Narration)).toEqual(EXPECTED.map(([period]) => `${NARRATION_PREFIX} ${orgId} ${period}`));
    for (const [i, [period, amount]] of EXPECTED.entries()) {
      const journal = journals[i]!;
      const [year, month] = period.split('-').map(Number) as [number, number];
      expect(journal.DateString, period).toBe(`${new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10)}T00:00:00`);
      expect(journal).toMatchObject({ Status: 'POSTED', LineAmountTypes: 'NoTax' });
      expect(journal.JournalLines).toHaveLength(2);
      // Debit deferred revenue, credit revenue.
      expect([onAccount(journal, '835'), onAccount(journal, '200')], period).toEqual([amount, -amount]);
    }
    expect(journals.reduce((n, j) => n + onAccount(j, '835'), 0)).toBe(120_000);
    expect(EXPECTED.at(-1)![1]).toBe(120_000 - EXPECTED.slice(0, -1).reduce((n, [, c]) => n + c, 0));

    // Never twice: another run (and the same month again) posts nothing.
    const puts = () => s.sandbox.control.counters().calls[tenantId]?.['PUT /ManualJournals'] ?? 0;
    expect(puts()).toBe(EXPECTED.length);
    const workflow = s.stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
    const drains = (await workflow.query(statusQuery)).drains;
    await runScheduleFor(s, orgId, '2026-05-01', '2026-11');
    await schedule.trigger();
    await eventually(async () => {
      const status = await workflow.query(statusQuery);
      return status.drains > drains && status.phase === 'idle' && status.lastRevenueRecognition?.posted.length === 0;
    });
    expect(puts()).toBe(EXPECTED.length);
    expect(journalsInXero(s, tenantId)).toHaveLength(EXPECTED.length);

    // The revenue report is Xero's own arithmetic: invoice lines on 835 (net of tax) less the journals dated by then.
    const api = apiClient(s.stack, orgId, 'client_admin');
    for (const asOf of ['2026-02-15', '2026-11-30']) {
      const report = await api.call<Record<string, any>>('GET', `/api/orgs/${orgId}/revenue?asOf=${asOf}`);
      expect(report.status).toBe(200);
      const inXero = journalsInXero(s, tenantId).filter((j) => String(j.DateString).slice(0, 10) <= asOf);
      const earned = inXero.reduce((n, j) => n + onAccount(j, '835'), 0);
      const deferredInXero = cents(invoice.LineItems[0].LineAmount - invoice.LineItems[0].TaxAmount);
      expect(cents(Number(report.body.totals.totalNet))).toBe(deferredInXero);
      expect(cents(Number(report.body.totals.earned))).toBe(earned);
      expect(cents(Number(report.body.totals.unearned))).toBe(deferredInXero - earned);
      expect(report.body.lines).toEqual([
        expect.objectContaining({ invoiceId: 'inv-year', lineNo: 1, revenueAccountCode: '200', deferredAccountCode: '835', servicePeriod: membership.servicePeriod, totalNet: '1200.00' }),
      ]);
      expect(report.body.byRevenueAccount).toEqual([{ accountCode: '200', ...report.body.totals }]);
      expect(report.body.journals.map((j: { xeroJournalId: string }) => j.xeroJournalId)).toEqual(inXero.map((j) => j.ManualJournalID));
    }
    const today = await api.call<Record<string, any>>('GET', `/api/orgs/${orgId}/revenue`);
    expect(today.body).toMatchObject({ baseCurrency: 'NZD', timeZone: 'Pacific/Auckland', totals: { totalNet: '1200.00', earned: '1200.00', unearned: '0.00' } });

    // The settings page (integration card) and the admin console show the same totals.
    const card = await api.call<Record<string, any>>('GET', `/api/orgs/${orgId}/integrations/xero`);
    expect(card.body.revenueRecognition).toMatchObject({ deferredRevenueAccountCode: '835', totals: today.body.totals, warning: null });
    expect(card.body.revenueRecognition.lastJournal).toMatchObject({ period: '2026-11', xeroJournalId: journalsInXero(s, tenantId).at(-1)!.ManualJournalID });
    const status = await apiClient(s.stack, orgId, 'platform_admin').call<Record<string, any>>('GET', `/api/admin/integrations/xero/${orgId}/status`);
    expect(status.body.revenue_recognition).toMatchObject({ total_net: '1200.00', earned: '1200.00', unearned: '0.00', by_revenue_account: [{ account_code: '200', earned: '1200.00' }] });

    // The schedule follows the organisation's sync: paused on disconnect, running again on reconnect.
    expect((await integrationApi(s.stack, orgId).disconnect()).status).toBe(200);
    expect((await schedule.describe()).state.paused).toBe(true);
    expect((await integrationApi(s.stack, orgId).connect({ type: 'custom' })).status).toBe(200);
    expect((await schedule.describe()).state).toMatchObject({ paused: false });
    expect((await schedule.describe()).spec.timezone).toBe('Pacific/Auckland');

    // Everything the organisation's workflow did replays deterministically, the patch marker included.
    const history = await s.stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).fetchHistory();
    const patches = (history.events ?? [])
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .flatMap((e) => Object.values(e.markerRecordedEventAttributes!.details ?? {}).flatMap((p) => (p.payloads ?? []).map((d) => Buffer.from(d.data!).toString('utf8'))));
    expect(patches).toContainEqual(expect.stringContaining('"revenue-recognition"'));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history);
  }, 120_000);
});

describe('GET /api/orgs/{orgId}/revenue', () => {
  it('refuses a date that is not one, and hides another organisation', async () => {
    const orgId = newOrgId();
    const api = apiClient(s.stack, orgId, 'service');
    for (const asOf of ['2026-02-30', 'yesterday', '2026-1-5']) {
      const bad = await api.call<Record<string, any>>('GET', `/api/orgs/${orgId}/revenue?asOf=${asOf}`);
      expect(bad.status, asOf).toBe(422);
      expect(bad.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'query.asOf', message: expect.stringContaining('YYYY-MM-DD') }] });
    }
    expect((await api.call('GET', `/api/orgs/${orgId}/revenue?from=2026-01-01`)).status).toBe(422);
    expect((await apiClient(s.stack, newOrgId(), 'client_admin').call('GET', `/api/orgs/${orgId}/revenue`)).status).toBe(404);
    const empty = await apiClient(s.stack, orgId, 'platform_admin').call<Record<string, any>>('GET', `/api/orgs/${orgId}/revenue?asOf=2026-06-30`);
    expect(empty.body).toMatchObject({ asOf: '2026-06-30', lines: [], journals: [], totals: { totalNet: '0.00', earned: '0.00', unearned: '0.00' } });
  });
});
