/** Creating a sandbox organisation ("tenant") with its chart of accounts, tax rates and currencies. */
import { randomUUID } from 'node:crypto';
import { ACCOUNT_CLASS, defaultAccounts, defaultTaxRates, type AccountSeed, type TaxRateSeed } from './accounting/chart.ts';
import { defaultBrandingThemes, seedBrandingThemes, type BrandingThemeSeed } from './accounting/branding-themes.ts';
import { seedCurrencyRates } from './accounting/currency-rates.ts';
import { defaultItems, seedItems, type ItemSeed } from './accounting/items.ts';
import { ORGANISATION_TYPES, TIMEZONES, defaultTimezone } from './accounting/organisation-enums.ts';
import { defaultTrackingCategories, seedTrackingCategories, type TrackingCategorySeed } from './accounting/tracking.ts';
import { checkContactLimit } from './accounting/contact-limit.ts';
import { contactMap, creditNoteMap, invoiceMap, paymentMap } from './accounting/book-maps.ts';
import type { Books, Organisation } from './accounting/records.ts';
import type { SandboxStore } from './store.ts';

export interface OrganisationInput {
  /** Defaults to a fresh UUID. In Xero the tenant id is the organisation id. */
  tenantId?: string;
  name: string;
  legalName?: string;
  /** NZ (default), AU, GB/UK, or another ISO code (gets the NZ-style chart). */
  countryCode?: string;
  baseCurrency?: string;
  /** Enabled currencies besides the base currency. */
  currencies?: string[];
  /** CurrencyRate per enabled foreign currency (units of it per unit of base currency); default fixed day rates. */
  currencyRates?: Record<string, number>;
  /** Xero's TimeZone enum value; default by country (NEWZEALANDSTANDARDTIME, AUSEASTERNSTANDARDTIME, GMTSTANDARDTIME...). */
  timezone?: string;
  /** Xero's OrganisationType enum value; default COMPANY. */
  organisationType?: string;
  isDemoCompany?: boolean;
  orgClass?: Organisation['Class'];
  /** Invoice emails per day; default 1,000 (20 for TRIAL, 0 for a demo company). */
  emailDailyLimit?: number;
  /** Active contacts the plan allows; default no cap (accounting/contact-limit.ts). */
  contactLimit?: number;
  /** Replace the seeded chart of accounts. */
  accounts?: AccountSeed[];
  /** Add to (or override by code) the seeded chart of accounts. */
  extraAccounts?: AccountSeed[];
  /** Replace the seeded tax rates. */
  taxRates?: TaxRateSeed[];
  /** Replace the seeded tracking categories (Region, Chapter, and an archived Campaign 2025); at most two ACTIVE. */
  trackingCategories?: TrackingCategorySeed[];
  /** Replace the seeded branding themes (Standard, Special projects); the lowest SortOrder is the default. */
  brandingThemes?: BrandingThemeSeed[];
  /** Replace the seeded items (MEMBER-FULL, MEMBER-JUNIOR, EVENT-ENTRY sold; NEWSLETTER purchased). */
  items?: ItemSeed[];
}

const BASE_CURRENCY: Record<string, string> = { NZ: 'NZD', AU: 'AUD', GB: 'GBP', UK: 'GBP', US: 'USD', CA: 'CAD', SG: 'SGD', ZA: 'ZAR' };

export function createOrganisation(store: SandboxStore, input: OrganisationInput): Books {
  if (!input || typeof input.name !== 'string' || input.name.trim() === '') throw new Error('organisation name is required');
  const tenantId = (input.tenantId ?? randomUUID()).toLowerCase();
  if (store.books.has(tenantId)) throw new Error(`organisation ${tenantId} already exists`);
  const countryCode = (input.countryCode ?? 'NZ').toUpperCase();
  const baseCurrency = (input.baseCurrency ?? BASE_CURRENCY[countryCode] ?? 'NZD').toUpperCase();
  const currencies = [...new Set([baseCurrency, ...(input.currencies ?? []).map((c) => c.toUpperCase())])];
  const demo = input.isDemoCompany ?? false;
  const orgClass = input.orgClass ?? (demo ? 'DEMO' : 'STANDARD');
  const timezone = (input.timezone ?? defaultTimezone(countryCode)).toUpperCase();
  if (!TIMEZONES.has(timezone)) throw new Error(`timezone ${input.timezone} is not one of Xero's TimeZone values (e.g. NEWZEALANDSTANDARDTIME)`);
  const organisationType = (input.organisationType ?? 'COMPANY').toUpperCase();
  if (!ORGANISATION_TYPES.has(organisationType)) throw new Error(`organisationType ${input.organisationType} is not one of Xero's OrganisationType values (e.g. CLUB_OR_SOCIETY)`);
  const now = store.clock.now();
  const org: Organisation = {
    OrganisationID: tenantId,
    Name: input.name,
    LegalName: input.legalName ?? input.name,
    BaseCurrency: baseCurrency,
    currencies,
    CountryCode: countryCode === 'UK' ? 'GB' : countryCode,
    IsDemoCompany: demo,
    Class: orgClass,
    ShortCode: `!${tenantId.slice(0, 5)}`,
    createdAt: now,
    emailDailyLimit: input.emailDailyLimit ?? (demo ? 0 : orgClass === 'TRIAL' ? 20 : 1000),
    Timezone: timezone,
    OrganisationType: organisationType,
    currencyRates: seedCurrencyRates(baseCurrency, currencies, input.currencyRates),
    contactLimit: checkContactLimit(input.contactLimit),
  };
  let seeds = input.accounts ?? defaultAccounts(countryCode, baseCurrency);
  for (const extra of input.extraAccounts ?? []) seeds = [...seeds.filter((a) => a.Code !== extra.Code), extra];
  const books: Books = {
    org,
    accounts: seeds.map((a) => ({
      AccountID: randomUUID(),
      Code: a.Code,
      Name: a.Name,
      Type: a.Type,
      Class: ACCOUNT_CLASS[a.Type],
      TaxType: a.TaxType,
      Status: a.Status ?? 'ACTIVE',
      SystemAccount: a.SystemAccount,
      EnablePaymentsToAccount: a.EnablePaymentsToAccount ?? false,
      BankAccountNumber: a.BankAccountNumber,
      CurrencyCode: a.CurrencyCode,
      Description: a.Description,
      updatedAt: now,
    })),
    taxRates: (input.taxRates ?? defaultTaxRates(countryCode)).map((t) => ({
      TaxType: t.TaxType,
      Name: t.Name,
      Rate: t.Rate,
      ReportTaxType: t.ReportTaxType,
      Use: t.Use,
      Status: t.Status ?? 'ACTIVE',
      CanApplyToAssets: t.CanApplyToAssets ?? true,
      CanApplyToEquity: t.CanApplyToEquity ?? true,
      CanApplyToExpenses: t.CanApplyToExpenses ?? true,
      CanApplyToLiabilities: t.CanApplyToLiabilities ?? true,
      CanApplyToRevenue: t.CanApplyToRevenue ?? true,
    })),
    trackingCategories: seedTrackingCategories(input.trackingCategories ?? defaultTrackingCategories()),
    brandingThemes: seedBrandingThemes(input.brandingThemes ?? defaultBrandingThemes(), now),
    items: seedItems(input.items ?? defaultItems(countryCode), now),
    contacts: contactMap(),
    invoices: invoiceMap(),
    payments: paymentMap(),
    creditNotes: creditNoteMap(),
    manualJournals: new Map(),
    nextInvoiceNumber: 1,
    nextCreditNoteNumber: 1,
    emails: { day: '', sentToday: 0, total: 0 },
  };
  store.books.set(tenantId, books);
  return books;
}
