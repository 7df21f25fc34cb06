/** Organisation, Accounts, TaxRates and Currencies as Xero shows them. */
import { round } from '../money.ts';
import { msDate } from '../xero-dates.ts';
import { CURRENCY_NAMES, countryOf } from './chart.ts';
import { compact } from './fields.ts';
import type { Account, Books, TaxRate } from './records.ts';
import type { FieldMap } from './where.ts';

export function renderOrganisation(books: Books): Record<string, unknown> {
  const org = books.org;
  const country = countryOf(org.CountryCode);
  return compact({
    OrganisationID: org.OrganisationID,
    APIKey: '',
    Name: org.Name,
    LegalName: org.LegalName,
    PaysTax: true,
    Version: country === 'UK' ? 'UK' : country,
    OrganisationType: org.OrganisationType,
    BaseCurrency: org.BaseCurrency,
    CountryCode: org.CountryCode,
    IsDemoCompany: org.IsDemoCompany,
    OrganisationStatus: 'ACTIVE',
    FinancialYearEndDay: 31,
    FinancialYearEndMonth: 3,
    SalesTaxBasis: 'ACCRUALS',
    SalesTaxPeriod: 'TWOMONTHS',
    DefaultSalesTax: 'Tax Exclusive',
    DefaultPurchasesTax: 'Tax Exclusive',
    CreatedDateUTC: msDate(org.createdAt),
    OrganisationEntityType: org.OrganisationType,
    Timezone: org.Timezone,
    ShortCode: org.ShortCode,
    Class: org.Class,
    Edition: 'BUSINESS',
    LineOfBusiness: 'Membership organisation',
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  });
}

export function renderAccount(a: Account): Record<string, unknown> {
  return compact({
    AccountID: a.AccountID,
    Code: a.Code,
    Name: a.Name,
    Status: a.Status,
    Type: a.Type,
    TaxType: a.TaxType,
    Class: a.Class,
    SystemAccount: a.SystemAccount,
    EnablePaymentsToAccount: a.EnablePaymentsToAccount,
    ShowInExpenseClaims: a.Class === 'EXPENSE',
    BankAccountNumber: a.BankAccountNumber,
    BankAccountType: a.Type === 'BANK' ? 'BANK' : undefined,
    CurrencyCode: a.CurrencyCode,
    Description: a.Description,
    ReportingCode: a.Class === 'REVENUE' ? 'REV' : undefined,
    HasAttachments: false,
    UpdatedDateUTC: msDate(a.updatedAt),
    AddToWatchlist: false,
  });
}

export const ACCOUNT_FIELDS: FieldMap<Account> = {
  accountid: (a) => a.AccountID,
  code: (a) => a.Code,
  name: (a) => a.Name,
  type: (a) => a.Type,
  class: (a) => a.Class,
  status: (a) => a.Status,
  taxtype: (a) => a.TaxType,
  systemaccount: (a) => a.SystemAccount,
  enablepaymentstoaccount: (a) => a.EnablePaymentsToAccount,
  bankaccountnumber: (a) => a.BankAccountNumber,
  currencycode: (a) => a.CurrencyCode,
  updateddateutc: (a) => a.updatedAt,
};

export function renderTaxRate(t: TaxRate): Record<string, unknown> {
  return {
    Name: t.Name,
    TaxType: t.TaxType,
    ReportTaxType: t.ReportTaxType,
    CanApplyToAssets: t.CanApplyToAssets,
    CanApplyToEquity: t.CanApplyToEquity,
    CanApplyToExpenses: t.CanApplyToExpenses,
    CanApplyToLiabilities: t.CanApplyToLiabilities,
    CanApplyToRevenue: t.CanApplyToRevenue,
    DisplayTaxRate: round(t.Rate, 4),
    EffectiveRate: round(t.Rate, 4),
    Status: t.Status,
    TaxComponents: [{ Name: t.Name.includes('VAT') ? 'VAT' : 'GST', Rate: round(t.Rate, 4), IsCompound: false, IsNonRecoverable: false }],
  };
}

export const TAX_RATE_FIELDS: FieldMap<TaxRate> = {
  taxtype: (t) => t.TaxType,
  name: (t) => t.Name,
  status: (t) => t.Status,
  reporttaxtype: (t) => t.ReportTaxType,
  canapplytorevenue: (t) => t.CanApplyToRevenue,
  canapplytoexpenses: (t) => t.CanApplyToExpenses,
  canapplytoliabilities: (t) => t.CanApplyToLiabilities,
  canapplytoassets: (t) => t.CanApplyToAssets,
  canapplytoequity: (t) => t.CanApplyToEquity,
  effectiverate: (t) => t.Rate,
};

export function renderCurrencies(books: Books): Array<Record<string, unknown>> {
  return books.org.currencies.map((code) => ({ Code: code, Description: CURRENCY_NAMES[code] ?? code }));
}
