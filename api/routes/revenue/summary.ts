/**
 * Revenue recognition at a glance, for the settings page (the integration card) and the admin console (the
 * status): the same totals as `GET /api/orgs/{orgId}/revenue` as of today, the latest journal, months not in
 * Xero yet, and what an admin should know (no deferred revenue account while lines carry service periods).
 */
import type { DbOrTx } from '../../../db/client.ts';
import { countLinesWithServicePeriod } from '../../../db/queries/deferred-revenue-lines.ts';
import { loadEffectiveSettings, type SettingsDefaults } from '../../../db/queries/settings.ts';
import { loadRevenueReport, type RevenueFigures, type RevenueReport } from './report.ts';

export interface RevenueRecognitionOverview {
  deferredRevenueAccountCode: string | null;
  asOf: string;
  baseCurrency: string | null;
  totals: RevenueFigures;
  byRevenueAccount: RevenueReport['byRevenueAccount'];
  lastJournal: RevenueReport['journals'][number] | null;
  openMonths: RevenueReport['openMonths'];
  warning: string | null;
}

export function servicePeriodWarning(linesWithServicePeriod: number): string {
  return (
    `${linesWithServicePeriod} invoice line(s) have a service period but no deferred revenue account is set: they post straight to revenue ` +
    'and nothing is recognised later. Choose a liability account such as 835 Revenue Received in Advance in Settings > Integrations > Xero ' +
    '(deferredRevenueAccountCode); invoices pushed from then on are deferred and recognised monthly.'
  );
}

export async function revenueRecognitionSummary(db: DbOrTx, { orgId, defaults }: { orgId: string; defaults: SettingsDefaults }): Promise<RevenueRecognitionOverview> {
  const [settings, report, withServicePeriod] = await Promise.all([
    loadEffectiveSettings(db, { orgId, defaults }),
    loadRevenueReport(db, { orgId }),
    countLinesWithServicePeriod(db, { orgId }),
  ]);
  const refused = report.openMonths.find((m) => m.state === 'failed');
  const warning = !settings.deferredRevenueAccountCode && withServicePeriod > 0
    ? servicePeriodWarning(withServicePeriod)
    : refused
      ? `Xero refused the revenue recognition journal for ${refused.period}: ${refused.lastError ?? 'no reason given'}. Later months wait for it; the next run tries again.`
      : null;
  return {
    deferredRevenueAccountCode: settings.deferredRevenueAccountCode ?? null,
    asOf: report.asOf,
    baseCurrency: report.baseCurrency,
    totals: report.totals,
    byRevenueAccount: report.byRevenueAccount,
    lastJournal: report.journals.at(-1) ?? null,
    openMonths: report.openMonths,
    warning,
  };
}
