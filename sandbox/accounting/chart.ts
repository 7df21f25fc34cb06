/**
 * The chart of accounts, tax rates and currencies a new sandbox organisation starts with: a realistic
 * NZ / AU / UK style set, deliberately including archived accounts, bank accounts, system accounts and
 * non-bank accounts with payments enabled, so that a wrong mapping fails here as it would in Xero.
 */

export type AccountType =
  | 'BANK' | 'CURRENT' | 'CURRLIAB' | 'DEPRECIATN' | 'DIRECTCOSTS' | 'EQUITY' | 'EXPENSE' | 'FIXED' | 'INVENTORY'
  | 'LIABILITY' | 'NONCURRENT' | 'OTHERINCOME' | 'OVERHEADS' | 'PREPAYMENT' | 'REVENUE' | 'SALES' | 'TERMLIAB';
export type AccountClass = 'ASSET' | 'EQUITY' | 'EXPENSE' | 'LIABILITY' | 'REVENUE';

export interface AccountSeed {
  Code: string;
  Name: string;
  Type: AccountType;
  TaxType: string;
  Status?: 'ACTIVE' | 'ARCHIVED';
  SystemAccount?: string;
  EnablePaymentsToAccount?: boolean;
  BankAccountNumber?: string;
  CurrencyCode?: string;
  Description?: string;
}

export interface TaxRateSeed {
  TaxType: string;
  Name: string;
  Rate: number;
  ReportTaxType: string;
  /** Which documents may use it: sales (ACCREC), purchases (ACCPAY) or both. */
  Use: 'sales' | 'purchases' | 'both';
  Status?: 'ACTIVE' | 'ARCHIVED' | 'DELETED';
  CanApplyToAssets?: boolean;
  CanApplyToEquity?: boolean;
  CanApplyToExpenses?: boolean;
  CanApplyToLiabilities?: boolean;
  CanApplyToRevenue?: boolean;
}

export const ACCOUNT_CLASS: Record<AccountType, AccountClass> = {
  BANK: 'ASSET', CURRENT: 'ASSET', FIXED: 'ASSET', INVENTORY: 'ASSET', NONCURRENT: 'ASSET', PREPAYMENT: 'ASSET',
  CURRLIAB: 'LIABILITY', LIABILITY: 'LIABILITY', TERMLIAB: 'LIABILITY',
  EQUITY: 'EQUITY',
  DEPRECIATN: 'EXPENSE', DIRECTCOSTS: 'EXPENSE', EXPENSE: 'EXPENSE', OVERHEADS: 'EXPENSE',
  OTHERINCOME: 'REVENUE', REVENUE: 'REVENUE', SALES: 'REVENUE',
};

type Country = 'NZ' | 'AU' | 'UK';

function taxNames(country: Country) {
  switch (country) {
    case 'AU':
      return { sales: 'OUTPUT', purchases: 'INPUT', rate: 10, salesName: 'GST on Income', purchasesName: 'GST on Expenses', none: 'BASEXCLUDED', noneName: 'BAS Excluded' };
    case 'UK':
      return { sales: 'OUTPUT2', purchases: 'INPUT2', rate: 20, salesName: '20% (VAT on Income)', purchasesName: '20% (VAT on Expenses)', none: 'NONE', noneName: 'No VAT' };
    default:
      return { sales: 'OUTPUT2', purchases: 'INPUT2', rate: 15, salesName: '15% GST on Income', purchasesName: '15% GST on Expenses', none: 'NONE', noneName: 'No GST' };
  }
}

/** The everyday sales, purchases and no-tax tax types of a country's seeded rates. */
export function everydayTaxTypes(countryCode: string): { sales: string; purchases: string; none: string } {
  const { sales, purchases, none } = taxNames(countryOf(countryCode));
  return { sales, purchases, none };
}

export function countryOf(countryCode: string): Country {
  if (countryCode === 'AU') return 'AU';
  if (countryCode === 'GB' || countryCode === 'UK') return 'UK';
  return 'NZ';
}

export function defaultTaxRates(countryCode: string): TaxRateSeed[] {
  const country = countryOf(countryCode);
  const t = taxNames(country);
  const everywhere = { CanApplyToAssets: true, CanApplyToEquity: true, CanApplyToExpenses: true, CanApplyToLiabilities: true, CanApplyToRevenue: true };
  const rates: TaxRateSeed[] = [
    { TaxType: t.sales, Name: t.salesName, Rate: t.rate, ReportTaxType: 'OUTPUT', Use: 'sales', ...everywhere, CanApplyToExpenses: false },
    { TaxType: t.purchases, Name: t.purchasesName, Rate: t.rate, ReportTaxType: 'INPUT', Use: 'purchases', ...everywhere, CanApplyToRevenue: false },
    { TaxType: t.none, Name: t.noneName, Rate: 0, ReportTaxType: t.none === 'NONE' ? 'NONE' : 'BASEXCLUDED', Use: 'both', ...everywhere },
    { TaxType: 'EXEMPTOUTPUT', Name: country === 'AU' ? 'GST Free Income' : 'Exempt Income', Rate: 0, ReportTaxType: 'EXEMPTOUTPUT', Use: 'sales', ...everywhere, CanApplyToExpenses: false },
    { TaxType: 'EXEMPTINPUT', Name: country === 'AU' ? 'GST Free Expenses' : 'Exempt Expenses', Rate: 0, ReportTaxType: 'EXEMPTINPUT', Use: 'purchases', ...everywhere, CanApplyToRevenue: false },
    { TaxType: 'ZERORATEDOUTPUT', Name: 'Zero Rated Income', Rate: 0, ReportTaxType: 'OUTPUT', Use: 'sales', ...everywhere, CanApplyToExpenses: false },
    { TaxType: 'GSTONIMPORTS', Name: country === 'UK' ? 'VAT on Imports' : 'GST on Imports', Rate: 0, ReportTaxType: 'GSTONIMPORTS', Use: 'purchases', ...everywhere, CanApplyToRevenue: false },
    // A rate retired after a rate change: still listed, no longer usable.
    { TaxType: 'OUTPUT', Name: 'GST on Income (old rate)', Rate: 12.5, ReportTaxType: 'OUTPUT', Use: 'sales', Status: 'ARCHIVED', ...everywhere },
  ];
  // AU uses OUTPUT as its live rate: drop the archived look-alike there.
  return country === 'AU' ? rates.filter((r) => !(r.TaxType === 'OUTPUT' && r.Status === 'ARCHIVED')) : rates;
}

export function defaultAccounts(countryCode: string, baseCurrency: string): AccountSeed[] {
  const t = taxNames(countryOf(countryCode));
  const gst = countryOf(countryCode) === 'UK' ? 'VAT' : 'GST';
  return [
    { Code: '090', Name: 'Business Bank Account', Type: 'BANK', TaxType: t.none, BankAccountNumber: '0102030405060', CurrencyCode: baseCurrency },
    { Code: '091', Name: 'Business Savings Account', Type: 'BANK', TaxType: t.none, BankAccountNumber: '0102030405061', CurrencyCode: baseCurrency },
    { Code: '092', Name: 'Old Cheque Account', Type: 'BANK', TaxType: t.none, BankAccountNumber: '0102030405062', CurrencyCode: baseCurrency, Status: 'ARCHIVED' },
    { Code: '200', Name: 'Sales', Type: 'REVENUE', TaxType: t.sales },
    { Code: '260', Name: 'Other Revenue', Type: 'REVENUE', TaxType: t.sales },
    { Code: '270', Name: 'Interest Income', Type: 'REVENUE', TaxType: t.none },
    { Code: '280', Name: 'Membership Fees (old)', Type: 'REVENUE', TaxType: t.sales, Status: 'ARCHIVED' },
    { Code: '310', Name: 'Cost of Goods Sold', Type: 'DIRECTCOSTS', TaxType: t.purchases },
    { Code: '400', Name: 'Advertising', Type: 'OVERHEADS', TaxType: t.purchases },
    { Code: '404', Name: 'Bank Fees', Type: 'OVERHEADS', TaxType: t.none },
    { Code: '429', Name: 'General Expenses', Type: 'OVERHEADS', TaxType: t.purchases },
    { Code: '461', Name: 'Printing & Stationery', Type: 'OVERHEADS', TaxType: t.purchases },
    { Code: '610', Name: 'Accounts Receivable', Type: 'CURRENT', TaxType: t.none, SystemAccount: 'DEBTORS' },
    { Code: '620', Name: 'Prepayments', Type: 'CURRENT', TaxType: t.none },
    { Code: '630', Name: 'Payment Processor Clearing', Type: 'CURRENT', TaxType: t.none, EnablePaymentsToAccount: true },
    { Code: '710', Name: 'Office Equipment', Type: 'FIXED', TaxType: t.purchases },
    { Code: '800', Name: 'Accounts Payable', Type: 'CURRLIAB', TaxType: t.none, SystemAccount: 'CREDITORS' },
    { Code: '820', Name: gst, Type: 'CURRLIAB', TaxType: t.none, SystemAccount: 'GST' },
    { Code: '835', Name: 'Revenue Received in Advance', Type: 'CURRLIAB', TaxType: t.sales },
    { Code: '840', Name: 'Historical Adjustment', Type: 'CURRLIAB', TaxType: t.none, SystemAccount: 'HISTORICAL' },
    { Code: '860', Name: 'Rounding', Type: 'CURRLIAB', TaxType: t.none, SystemAccount: 'ROUNDING' },
    { Code: '877', Name: 'Tracking Transfers', Type: 'CURRLIAB', TaxType: t.none, SystemAccount: 'TRACKINGTRANSFERS' },
    { Code: '960', Name: 'Retained Earnings', Type: 'EQUITY', TaxType: t.none, SystemAccount: 'RETAINEDEARNINGS' },
    { Code: '970', Name: 'Owner A Funds Introduced', Type: 'EQUITY', TaxType: t.none },
  ];
}

/** Currency names for the Currencies endpoint. */
export const CURRENCY_NAMES: Record<string, string> = {
  NZD: 'New Zealand Dollar', AUD: 'Australian Dollar', GBP: 'British Pound', USD: 'United States Dollar',
  EUR: 'Euro', CAD: 'Canadian Dollar', SGD: 'Singapore Dollar', ZAR: 'South African Rand', JPY: 'Japanese Yen',
  CHF: 'Swiss Franc', HKD: 'Hong Kong Dollar', FJD: 'Fiji Dollar', INR: 'Indian Rupee',
};

/** Fixed "XE.com day rates" against one unit of base currency, so foreign documents get a CurrencyRate. */
export const USD_PER_UNIT: Record<string, number> = {
  USD: 1, NZD: 0.6, AUD: 0.66, GBP: 1.27, EUR: 1.08, CAD: 0.74, SGD: 0.74, ZAR: 0.055, JPY: 0.0067, CHF: 1.12,
  HKD: 0.128, FJD: 0.44, INR: 0.012,
};

export function currencyRate(base: string, foreign: string): number {
  if (base === foreign) return 1;
  const b = USD_PER_UNIT[base] ?? 1;
  const f = USD_PER_UNIT[foreign] ?? 1;
  // Xero's CurrencyRate is units of foreign currency per one unit of base currency.
  return Math.round((b / f) * 1e6) / 1e6;
}
