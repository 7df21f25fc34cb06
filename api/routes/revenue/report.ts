/**
 * Earned and unearned revenue as of a day, from the same figures the journals were posted from, so that
 * every number is what Xero's own records add up to:
 *
 *   total net  = what the invoice line holds on deferred revenue in Xero on that day: its net amount in base
 *                currency when the invoice is approved and dated by then (none once voided; the uncredited
 *                share once credited);
 *   earned     = what the recognition journals dated by then moved from deferred revenue to revenue for it;
 *   unearned   = total net - earned: the line's balance on the deferred revenue account.
 *
 * Per line and pair of accounts (a line whose accounts changed shows its old pair until a journal undoes it),
 * then per revenue account, per deferred account and overall; and the journals posted, with their Xero ids.
 * Shared by `GET /api/orgs/{orgId}/revenue`, the integration card and the admin status.
 */
import type { DbOrTx } from '../../../db/client.ts';
import { creditedSharesOfInvoices } from '../../../db/queries/revenue-credits.ts';
import { deferredLinesWithInvoices, listRevenueJournals, movedSoFar } from '../../../db/queries/revenue-journals.ts';
import { getXeroOrganisationProfile } from '../../../db/queries/xero-organisation-profiles.ts';
import { localDate, periodOf } from '../../../lib/revenue-periods.ts';
import { fromCents, roundDiv, toBaseCents, toCents } from '../../../lib/revenue-schedule.ts';
import { FALLBACK_ZONE } from '../../../lib/xero-timezones.ts';
import { recognisableShare } from '../../../activities/revenue/journal-plan.ts';

export interface RevenueFigures {
  totalNet: string;
  earned: string;
  unearned: string;
}

export interface RevenueLineReport extends RevenueFigures {
  invoiceId: string;
  invoiceNumber: string | null;
  lineNo: number;
  revenueAccountCode: string;
  deferredAccountCode: string;
  servicePeriod: { start: string; end: string } | null;
  /** The invoice's status in Xero as last seen. */
  xeroStatus: string | null;
  currencyCode: string | null;
  currencyRate: string | null;
  /** The line's net amount in its invoice's currency, and in base currency, as invoiced. */
  invoicedNet: string | null;
  invoicedNetInBaseCurrency: string | null;
}

export interface RevenueReport {
  orgId: string;
  asOf: string;
  baseCurrency: string | null;
  timeZone: string;
  lines: RevenueLineReport[];
  byRevenueAccount: Array<RevenueFigures & { accountCode: string }>;
  byDeferredAccount: Array<RevenueFigures & { accountCode: string }>;
  totals: RevenueFigures;
  journals: Array<{ period: string; xeroJournalId: string; date: string; total: string; adopted: boolean }>;
  /** Months worked out but not in Xero yet (being sent, or refused: Xero's words in lastError). */
  openMonths: Array<{ period: string; state: string; lastError: string | null }>;
}

interface Sums {
  totalNet: bigint;
  earned: bigint;
}

const figures = ({ totalNet, earned }: Sums): RevenueFigures => ({ totalNet: fromCents(totalNet), earned: fromCents(earned), unearned: fromCents(totalNet - earned) });
const pairKey = (l: { invoiceId: string; lineNo: number; deferredAccountCode: string; revenueAccountCode: string }) =>
  JSON.stringify([l.invoiceId, l.lineNo, l.deferredAccountCode, l.revenueAccountCode]);


export async function loadRevenueReport(db: DbOrTx, { orgId, asOf }: { orgId: string; asOf?: string }): Promise<RevenueReport> {
  const profile = await getXeroOrganisationProfile(db, { orgId });
  const timeZone = profile?.timeZone ?? FALLBACK_ZONE;
  const day = asOf ?? localDate(new Date(), timeZone);
  const [rows, moved, journals] = await Promise.all([
    deferredLinesWithInvoices(db, { orgId }),
    movedSoFar(db, { orgId, throughDate: day, states: ['posted', 'empty'] }),
    listRevenueJournals(db, { orgId }),
  ]);
  const credited = await creditedSharesOfInvoices(db, { orgId, invoiceIds: [...new Set(rows.map((r) => r.invoiceId))] });
  const earnedByPair = new Map(moved.map((m) => [pairKey(m), toCents(m.amount)]));

  const lines: RevenueLineReport[] = [];
  const sums = new Map<string, Sums & { row: RevenueLineReport }>();
  for (const r of rows) {
    const base = toBaseCents(toCents(r.netAmount), r.currencyRate);
    const share = recognisableShare({ ...r, credited: credited.get(r.invoiceId) }, periodOf(day));
    const held = r.invoiceDate > day ? 0n : share.kept >= share.of ? base : roundDiv(base * share.kept, share.of);
    const line: RevenueLineReport = {
      invoiceId: r.invoiceId,
      invoiceNumber: r.invoiceNumber,
      lineNo: r.lineNo,
      revenueAccountCode: r.revenueAccountCode,
      deferredAccountCode: r.deferredAccountCode,
      servicePeriod: { start: r.serviceStart, end: r.serviceEnd },
      xeroStatus: r.xeroStatus,
      currencyCode: r.currencyCode,
      currencyRate: r.currencyRate,
      invoicedNet: r.netAmount,
      invoicedNetInBaseCurrency: fromCents(base),
      ...figures({ totalNet: held, earned: 0n }),
    };
    sums.set(pairKey(r), { totalNet: held, earned: 0n, row: line });
  }
  // Pairs that journals moved money between but the line no longer uses (edited, or removed from its invoice).
  for (const m of moved) {
    if (sums.has(pairKey(m))) continue;
    const row: RevenueLineReport = {
      ...m,
      invoiceNumber: null,
      servicePeriod: null,
      xeroStatus: null,
      currencyCode: null,
      currencyRate: null,
      invoicedNet: null,
      invoicedNetInBaseCurrency: null,
      ...figures({ totalNet: 0n, earned: 0n }),
    };
    sums.set(pairKey(m), { totalNet: 0n, earned: 0n, row });
  }
  for (const [key, entry] of sums) {
    entry.earned = earnedByPair.get(key) ?? 0n;
    Object.assign(entry.row, figures(entry));
    lines.push(entry.row);
  }
  lines.sort((a, b) => (a.invoiceId === b.invoiceId ? a.lineNo - b.lineNo : a.invoiceId < b.invoiceId ? -1 : 1));

  const group = (account: (l: RevenueLineReport) => string) => {
    const groups = new Map<string, Sums>();
    for (const entry of sums.values()) {
      const g = groups.get(account(entry.row)) ?? { totalNet: 0n, earned: 0n };
      g.totalNet += entry.totalNet;
      g.earned += entry.earned;
      groups.set(account(entry.row), g);
    }
    return [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([accountCode, s]) => ({ accountCode, ...figures(s) }));
  };
  const all = [...sums.values()].reduce((t, e) => ({ totalNet: t.totalNet + e.totalNet, earned: t.earned + e.earned }), { totalNet: 0n, earned: 0n });

  return {
    orgId,
    asOf: day,
    baseCurrency: profile?.baseCurrency ?? null,
    timeZone,
    lines,
    byRevenueAccount: group((l) => l.revenueAccountCode),
    byDeferredAccount: group((l) => l.deferredAccountCode),
    totals: figures(all),
    journals: journals
      .filter((j) => j.state === 'posted' && j.xeroJournalId && j.journalDate <= day)
      .map((j) => ({ period: j.period, xeroJournalId: j.xeroJournalId!, date: j.journalDate, total: j.total, adopted: j.adoptedAt !== null })),
    openMonths: journals.filter((j) => j.state === 'sending' || j.state === 'failed').map((j) => ({ period: j.period, state: j.state, lastError: j.lastError })),
  };
}
