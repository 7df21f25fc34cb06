/** Looking up accounts and tax rates, and the rules about which may be used where. */
import type { Account, Books, TaxRate } from './records.ts';

export const ACCOUNT_NOT_VALID = (code: string) => `Account code '${code}' is not a valid code for this document.`;
export const TAX_TYPE_NOT_VALID = (taxType: string) =>
  `The TaxType code ${taxType} does not exist or cannot be used for this type of transaction.`;

/** System accounts Xero keeps for itself: nothing may be coded to them on an invoice or credit note. */
const SYSTEM_ONLY = new Set(['DEBTORS', 'CREDITORS', 'GST', 'GSTONIMPORTS', 'HISTORICAL', 'RETAINEDEARNINGS', 'ROUNDING', 'TRACKINGTRANSFERS', 'UNPAIDEXPCLM', 'WAGEPAYABLES']);

export function accountByCode(books: Books, code: string): Account | undefined {
  return books.accounts.find((a) => a.Code.toLowerCase() === code.toLowerCase());
}

export function accountById(books: Books, id: string): Account | undefined {
  return books.accounts.find((a) => a.AccountID === id.toLowerCase());
}

/**
 * May a line of an invoice or credit note be coded to this account? Xero allows most account types on
 * sales and purchase documents (a sales invoice may go to a liability such as Revenue Received in Advance),
 * but never a bank account, a system account, or an archived one.
 */
export function usableOnDocument(account: Account): boolean {
  return account.Status === 'ACTIVE' && account.Type !== 'BANK' && !(account.SystemAccount && SYSTEM_ONLY.has(account.SystemAccount));
}

/** Manual journals may use any active account except the control accounts Xero maintains itself. */
export function usableOnJournal(account: Account): boolean {
  return account.Status === 'ACTIVE' && !(account.SystemAccount && ['DEBTORS', 'CREDITORS', 'RETAINEDEARNINGS', 'HISTORICAL', 'TRACKINGTRANSFERS'].includes(account.SystemAccount));
}

/** Payments go to a bank account, or to an account with "enable payments to this account" ticked. */
export function usableForPayments(account: Account): boolean {
  return account.Status === 'ACTIVE' && (account.Type === 'BANK' || account.EnablePaymentsToAccount);
}

export function taxRate(books: Books, taxType: string): TaxRate | undefined {
  return books.taxRates.find((t) => t.TaxType === taxType);
}

/**
 * May this tax rate be used on this side (sales / purchases) against this account? Xero refuses archived
 * rates, purchase rates on sales documents and vice versa, and rates that cannot apply to the account's class.
 */
export function taxUsable(rate: TaxRate | undefined, side: 'sales' | 'purchases' | 'journal', account: Account | undefined): boolean {
  if (!rate || rate.Status !== 'ACTIVE') return false;
  if (side !== 'journal' && rate.Use !== 'both' && rate.Use !== side) return false;
  if (!account) return true;
  switch (account.Class) {
    case 'ASSET': return rate.CanApplyToAssets;
    case 'EQUITY': return rate.CanApplyToEquity;
    case 'EXPENSE': return rate.CanApplyToExpenses;
    case 'LIABILITY': return rate.CanApplyToLiabilities;
    case 'REVENUE': return rate.CanApplyToRevenue;
  }
}
