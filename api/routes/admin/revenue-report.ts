/** Revenue recognition's totals (those of `GET /api/orgs/{orgId}/revenue` today) in the status page's snake_case. */
import type { RevenueRecognitionOverview } from '../revenue/summary.ts';

export function presentRevenueRecognition(r: RevenueRecognitionOverview) {
  const figures = (f: { totalNet: string; earned: string; unearned: string }) => ({ total_net: f.totalNet, earned: f.earned, unearned: f.unearned });
  return {
    deferred_revenue_account_code: r.deferredRevenueAccountCode,
    as_of: r.asOf,
    base_currency: r.baseCurrency,
    ...figures(r.totals),
    by_revenue_account: r.byRevenueAccount.map((a) => ({ account_code: a.accountCode, ...figures(a) })),
    last_journal: r.lastJournal ? { period: r.lastJournal.period, xero_journal_id: r.lastJournal.xeroJournalId, date: r.lastJournal.date, total: r.lastJournal.total } : null,
    open_months: r.openMonths.map((m) => ({ period: m.period, state: m.state, last_error: m.lastError })),
    warning: r.warning,
  };
}
