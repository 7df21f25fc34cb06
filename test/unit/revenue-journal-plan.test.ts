/**
 * A month's recognition journal from each deferred line's schedule and what earlier months moved: a missed
 * month is caught up, a void moves back what was recognised (Xero's void already took the whole line out of
 * deferred revenue), a line taken off the deferred account is undone, and nothing of an invoice that is not
 * on the ledger is recognised.
 */
import { describe, expect, it } from 'vitest';
import { accountMovements, planJournal, type DeferredLineState, type PostedSoFar } from '../../activities/revenue/journal-plan.ts';
import { fromCents } from '../../lib/revenue-schedule.ts';

const membership = (over: Partial<DeferredLineState> = {}): DeferredLineState => ({
  invoiceId: 'inv-1',
  lineNo: 1,
  deferredAccountCode: '835',
  revenueAccountCode: '200',
  serviceStart: '2026-01-01',
  serviceEnd: '2026-12-31',
  netAmount: '365.00',
  currencyRate: '1',
  invoiceDate: '2026-01-01',
  xeroStatus: 'AUTHORISED',
  ...over,
});

const postedFrom = (plans: Array<ReturnType<typeof planJournal>>): PostedSoFar[] =>
  plans.flat().map((l) => ({ ...l, amount: fromCents(l.cents) }));

describe('planJournal', () => {
  it("moves each month's days from deferred revenue, and a missed month into the next journal", () => {
    const jan = planJournal({ period: '2026-01', lines: [membership()], posted: [] });
    expect(jan).toEqual([{ invoiceId: 'inv-1', lineNo: 1, deferredAccountCode: '835', revenueAccountCode: '200', cents: 3100n }]);
    // February's journal never ran: March's carries February and March.
    const mar = planJournal({ period: '2026-03', lines: [membership()], posted: postedFrom([jan]) });
    expect(mar.map((l) => l.cents)).toEqual([2800n + 3100n]);
    // Nothing is moved twice: the same month again moves nothing.
    expect(planJournal({ period: '2026-03', lines: [membership()], posted: postedFrom([jan, mar]) })).toEqual([]);
    // After the service period everything has been recognised, exactly.
    const dec = planJournal({ period: '2026-12', lines: [membership()], posted: postedFrom([jan, mar]) });
    expect(3100n + 5900n + dec[0]!.cents).toBe(36500n);
  });

  it('reverses what was recognised of a voided invoice and recognises nothing more', () => {
    const jan = planJournal({ period: '2026-01', lines: [membership()], posted: [] });
    const feb = planJournal({ period: '2026-02', lines: [membership()], posted: postedFrom([jan]) });
    const voided = membership({ xeroStatus: 'VOIDED' });
    const mar = planJournal({ period: '2026-03', lines: [voided], posted: postedFrom([jan, feb]) });
    expect(mar.map((l) => l.cents)).toEqual([-(3100n + 2800n)]);
    expect(accountMovements(mar)).toEqual([{ accountCode: '835', cents: -5900n }, { accountCode: '200', cents: 5900n }]);
    expect(planJournal({ period: '2026-04', lines: [voided], posted: postedFrom([jan, feb, mar]) })).toEqual([]);
  });

  it("keeps the uncredited share of a credited invoice, including of what was already earned", () => {
    const jan = planJournal({ period: '2026-01', lines: [membership()], posted: [] });
    const credited = membership({ credited: { kept: 3n, of: 4n } });
    const feb = planJournal({ period: '2026-02', lines: [credited], posted: postedFrom([jan]) });
    // Through February 59 days: 59.00 x 3/4 = 44.25, less the 31.00 already moved.
    expect(feb.map((l) => l.cents)).toEqual([4425n - 3100n]);
  });

  it('undoes a line that left the deferred account, on the accounts it was recognised between', () => {
    const jan = planJournal({ period: '2026-01', lines: [membership(), membership({ lineNo: 2, revenueAccountCode: '260' })], posted: [] });
    const feb = planJournal({ period: '2026-02', lines: [membership()], posted: postedFrom([jan]) });
    expect(feb).toEqual([
      { invoiceId: 'inv-1', lineNo: 1, deferredAccountCode: '835', revenueAccountCode: '200', cents: 2800n },
      { invoiceId: 'inv-1', lineNo: 2, deferredAccountCode: '835', revenueAccountCode: '260', cents: -3100n },
    ]);
    expect(accountMovements(feb)).toEqual([
      { accountCode: '835', cents: -300n },
      { accountCode: '200', cents: -2800n },
      { accountCode: '260', cents: 3100n },
    ]);
  });

  it('recognises nothing of an invoice not on the ledger, nor before its date, then catches up', () => {
    expect(planJournal({ period: '2026-03', lines: [membership({ xeroStatus: 'DRAFT' })], posted: [] })).toEqual([]);
    expect(planJournal({ period: '2026-03', lines: [membership({ invoiceDate: '2026-04-02' })], posted: [] })).toEqual([]);
    expect(planJournal({ period: '2026-04', lines: [membership({ invoiceDate: '2026-04-02' })], posted: [] }).map((l) => l.cents)).toEqual([12000n]);
  });
});

describe('accountMovements', () => {
  it('debits deferred revenue and credits each revenue account, balancing to zero', () => {
    const plan = planJournal({
      period: '2026-01',
      lines: [membership(), membership({ invoiceId: 'inv-2', revenueAccountCode: '260', netAmount: '730.00' }), membership({ invoiceId: 'inv-3' })],
      posted: [],
    });
    const movements = accountMovements(plan);
    expect(movements).toEqual([
      { accountCode: '835', cents: 3100n * 4n },
      { accountCode: '200', cents: -6200n },
      { accountCode: '260', cents: -6200n },
    ]);
    expect(movements.reduce((n, m) => n + m.cents, 0n)).toBe(0n);
  });
});
