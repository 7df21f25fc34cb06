/**
 * Read-only Accounting calls made on an admin's behalf (settings checks, test connection, the settings
 * page's pickers), through the Xero client. They spend the organisation's Xero budget like any call: a
 * handful per admin action, which the organisation workflow's pacer leaves room for.
 */
import type { CataloguedBrandingTheme, CataloguedTrackingCategory } from '../db/schema/index.ts';
import { brandingCatalogue, itemSummaries, readBrandingThemes, readItems, readTrackingCategories, trackingCatalogue, type XeroItemSummary } from './catalogues.ts';
import type { AccountingCall, XeroClient } from './client.ts';
import { XeroRequestFailed } from './errors.ts';
import { SCOPE_NEEDS } from './scopes.ts';

export interface XeroAccountSummary {
  code: string;
  name: string;
  type: string;
  status: string;
  enablePaymentsToAccount: boolean;
  /** Set for Xero's system accounts (DEBTORS, GST, ...), which no invoice line may use. */
  systemAccount?: string;
  /** ASSET, EQUITY, EXPENSE, LIABILITY or REVENUE. */
  accountClass?: string;
}

export interface XeroTaxRateSummary {
  taxType: string;
  name: string;
  status: string;
  /** False for purchase-only rates, which Xero refuses on sales invoices. */
  canApplyToRevenue: boolean;
}

export interface XeroOrganisationSummary {
  name: string;
  baseCurrency?: string;
}

export interface XeroReader {
  organisation(): Promise<XeroOrganisationSummary>;
  accounts(): Promise<XeroAccountSummary[]>;
  taxRates(): Promise<XeroTaxRateSummary[]>;
  currencies(): Promise<string[]>;
  /** What this reader has read so far (no call): the base currency and the subscribed currencies, when read. */
  alreadyRead(): { baseCurrency?: string; currencies?: string[] };
  /** Active tracking categories with their active options. */
  trackingCategories(): Promise<CataloguedTrackingCategory[]>;
  brandingThemes(): Promise<CataloguedBrandingTheme[]>;
  items(): Promise<XeroItemSummary[]>;
}

/**
 * Each read happens at most once per reader (one reader per request). A refused read throws
 * `XeroRequestFailed`; every one of them needs a settings scope, so on an app without one it throws
 * `scope_missing` without calling Xero, and the caller skips the check that wanted it.
 */
export function createXeroReader({ client, orgId }: { client: XeroClient; orgId: string }): XeroReader {
  const call = async <T>(read: AccountingCall<T>): Promise<T> => {
    const answer = await client.call(orgId, read, { needs: SCOPE_NEEDS.settingsRead });
    if (!answer.ok) throw new XeroRequestFailed(answer.failure);
    return answer.body;
  };
  const once = <T>(load: () => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => (value ??= load());
  };
  const read: { baseCurrency?: string; currencies?: string[] } = {};
  return {
    alreadyRead: () => ({ ...read }),
    organisation: once(async () => {
      const body = await call((api, tenantId) => api.getOrganisations(tenantId));
      const org = body.organisations?.[0];
      read.baseCurrency = org?.baseCurrency ? String(org.baseCurrency) : undefined;
      return { name: org?.name ?? '', baseCurrency: read.baseCurrency };
    }),
    accounts: once(async () => {
      const body = await call((api, tenantId) => api.getAccounts(tenantId));
      return (body.accounts ?? [])
        .filter((a) => a.code)
        .map((a) => ({
          code: a.code!,
          name: a.name ?? '',
          type: String(a.type ?? ''),
          status: String(a.status ?? ''),
          enablePaymentsToAccount: a.enablePaymentsToAccount === true,
          systemAccount: a.systemAccount ? String(a.systemAccount) : undefined,
          accountClass: a._class ? String(a._class) : undefined,
        }));
    }),
    taxRates: once(async () => {
      const body = await call((api, tenantId) => api.getTaxRates(tenantId));
      return (body.taxRates ?? [])
        .filter((t) => t.taxType)
        .map((t) => ({ taxType: t.taxType!, name: t.name ?? '', status: String(t.status ?? ''), canApplyToRevenue: t.canApplyToRevenue !== false }));
    }),
    currencies: once(async () => {
      const body = await call((api, tenantId) => api.getCurrencies(tenantId));
      read.currencies = (body.currencies ?? []).map((c) => String(c.code ?? '')).filter(Boolean);
      return read.currencies;
    }),
    trackingCategories: once(async () => trackingCatalogue(await call(readTrackingCategories))),
    brandingThemes: once(async () => brandingCatalogue(await call(readBrandingThemes))),
    items: once(async () => itemSummaries(await call(readItems))),
  };
}
