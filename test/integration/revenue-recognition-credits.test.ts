/**
 * Revenue recognition after credit: a credit note whose lines carry the invoice's service period posts to the
 * deferred revenue account, as the invoice did, so what it credits is never earned; the next journal moves
 * back the credited part of what was already recognised and recognises only the rest from then on. A credit
 * note without a service period comes off revenue in Xero at once and leaves the invoice's recognition whole.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xeroCreditUses } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';
import { connectRevenueOrg, journalsInXero, onAccount, pushMembership, runScheduleFor } from './revenue-harness.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack();
});
afterAll(async () => {
  await s?.close();
});

const servicePeriod = { start: '2026-09-01', end: '2027-08-31' };
/** 1,200.00 a year from 1 September 2026, straight-line by day: September's and October's shares in cents. */
const SEPTEMBER = Math.round((120_000 * 30) / 365);
const OCTOBER = Math.round((120_000 * 31) / 365);

describe('an invoice credited by a credit note', () => {
  it('with the service period: what is credited is taken out of what is recognised; without one: recognition stays whole', async () => {
    const { orgId, tenantId } = await connectRevenueOrg(s);
    const api = apiClient(s.stack, orgId);
    for (const invoiceId of ['inv-deferred-credit', 'inv-plain-credit']) {
      await pushMembership(s, orgId, tenantId, { invoiceId, date: '2026-09-01', servicePeriod, unitAmount: '1200.00', taxCode: 'GST' });
    }
    await runScheduleFor(s, orgId, '2026-10-01');
    expect(journalsInXero(s, tenantId).map((j) => onAccount(j, '835'))).toEqual([2 * SEPTEMBER]);

    // A quarter of each invoice credited (300.00 + 15% GST of 1,380.00): one with the service period, one without.
    const credit = (invoiceId: string, withPeriod: boolean) => ({
      contactId: `m-${invoiceId}`,
      number: `CN-${invoiceId}`,
      date: '2026-10-15',
      lines: [{ description: 'A quarter of the year refunded', quantity: 1, unitAmount: '300.00', taxCode: 'GST', ...(withPeriod ? { servicePeriod } : {}) }],
      invoiceId,
      amount: '345.00',
    });
    expect((await api.putCreditNote('cn-deferred', credit('inv-deferred-credit', true))).status).toBe(200);
    expect((await api.putCreditNote('cn-plain', credit('inv-plain-credit', false))).status).toBe(200);
    await eventually(async () => {
      const uses = await s.db.select().from(xeroCreditUses).where(and(eq(xeroCreditUses.orgId, orgId), eq(xeroCreditUses.kind, 'allocation')));
      return uses.length === 2;
    });
    const creditNotes = s.sandbox.control.records(tenantId).creditNotes as Array<Record<string, any>>;
    const accountOf = (number: string) => creditNotes.find((c) => c.CreditNoteNumber === number)!.LineItems[0].AccountCode;
    // The credit follows its invoice's lines: to deferred revenue with the period, to revenue without.
    expect([accountOf('CN-inv-deferred-credit'), accountOf('CN-inv-plain-credit')]).toEqual(['835', '200']);

    await runScheduleFor(s, orgId, '2026-11-01');
    const journals = journalsInXero(s, tenantId);
    expect(journals).toHaveLength(2);
    // The credited invoice: three quarters of what September and October earned, less what September posted.
    const creditedThroughOctober = Math.round(((SEPTEMBER + OCTOBER) * 3) / 4) - SEPTEMBER;
    // The other: its whole October, as if it had never been credited (Xero took the credit off revenue itself).
    expect([onAccount(journals[1]!, '835'), onAccount(journals[1]!, '200')]).toEqual([creditedThroughOctober + OCTOBER, -(creditedThroughOctober + OCTOBER)]);
  }, 90_000);
});
