/**
 * Codes an admin types (account codes, tax types, currency) checked against the connected Xero
 * organisation, so a typo is refused now, with the valid choices listed, instead of failing every invoice
 * later with "Account code '<code>' is not a valid code for this document".
 */
import type { XeroAccountSummary, XeroReader, XeroTaxRateSummary } from '../../../../xero/reads.ts';

const MAX_CHOICES = 40;

function listChoices(choices: string[]): string {
  if (choices.length === 0) return 'none found in Xero';
  const shown = choices.slice(0, MAX_CHOICES).join(', ');
  return choices.length > MAX_CHOICES ? `${shown} and ${choices.length - MAX_CHOICES} more` : shown;
}

const describeAccount = (a: XeroAccountSummary) => (a.name ? `${a.code} (${a.name})` : a.code);

/** Invoice lines: any active account but bank and system accounts (Xero refuses those on sales invoices). */
export const usableOnLines = (a: XeroAccountSummary) => a.status === 'ACTIVE' && a.type !== 'BANK' && !a.systemAccount;
/** Payments: an active bank account, or one with "enable payments to this account" ticked. */
export const usableForPayments = (a: XeroAccountSummary) => a.status === 'ACTIVE' && (a.type === 'BANK' || a.enablePaymentsToAccount);
/** Sales invoices: an active rate that applies to revenue. */
export const usableOnSales = (t: XeroTaxRateSummary) => t.status === 'ACTIVE' && t.canApplyToRevenue;

export async function checkLineAccount(reader: XeroReader, code: string): Promise<string | undefined> {
  const usable = (await reader.accounts()).filter(usableOnLines);
  if (usable.some((a) => a.code === code)) return undefined;
  return `Account code '${code}' is not an active account that invoice lines can use in the connected Xero organisation. Valid codes: ${listChoices(usable.map(describeAccount))}`;
}

/** Liability account types, for Xeros that leave out an account's Class. */
const LIABILITY_TYPES = new Set(['CURRLIAB', 'LIABILITY', 'TERMLIAB']);

/**
 * The deferred revenue account: a liability (such as 835 Revenue Received in Advance) that invoice lines
 * can use. Revenue received in advance is owed to the member until it is earned; a revenue account here
 * would recognise everything at once, and recognition would move money from revenue to revenue.
 */
export async function checkDeferredRevenueAccount(reader: XeroReader, code: string): Promise<string | undefined> {
  const lineProblem = await checkLineAccount(reader, code);
  if (lineProblem) return lineProblem;
  const usable = (await reader.accounts()).filter(usableOnLines);
  const liabilities = usable.filter((a) => (a.accountClass ? a.accountClass === 'LIABILITY' : LIABILITY_TYPES.has(a.type)));
  if (liabilities.some((a) => a.code === code)) return undefined;
  return `Account code '${code}' is not a liability account: deferred revenue must go to one (such as Revenue Received in Advance) until it is earned. Valid codes: ${listChoices(liabilities.map(describeAccount))}`;
}

export function bankAccountProblem(accounts: XeroAccountSummary[], code: string): string | undefined {
  const usable = accounts.filter(usableForPayments);
  if (usable.some((a) => a.code === code)) return undefined;
  return `Account code '${code}' cannot receive payments in the connected Xero organisation (it must be an active bank account, or have payments enabled). Valid codes: ${listChoices(usable.map(describeAccount))}`;
}

export async function checkBankAccount(reader: XeroReader, code: string): Promise<string | undefined> {
  return bankAccountProblem(await reader.accounts(), code);
}

/** "The TaxType code X does not exist or cannot be used for this type of transaction", caught before Xero says it. */
export function taxTypeProblem(taxRates: XeroTaxRateSummary[], taxType: string): string | undefined {
  const usable = taxRates.filter(usableOnSales);
  if (usable.some((t) => t.taxType === taxType)) return undefined;
  return `Tax type '${taxType}' is not an active sales tax rate in the connected Xero organisation. Valid tax types: ${listChoices(usable.map((t) => (t.name ? `${t.taxType} (${t.name})` : t.taxType)))}`;
}

export async function checkTaxType(reader: XeroReader, taxType: string): Promise<string | undefined> {
  return taxTypeProblem(await reader.taxRates(), taxType);
}

/** The base currency is always usable; others must be enabled in Xero (Settings > Currencies). */
export async function checkCurrency(reader: XeroReader, currency: string): Promise<string | undefined> {
  const [organisation, currencies] = await Promise.all([reader.organisation(), reader.currencies()]);
  const enabled = [...new Set([organisation.baseCurrency, ...currencies].filter((c): c is string => !!c))];
  if (enabled.includes(currency)) return undefined;
  return `Organisation is not subscribed to currency ${currency}: add it in Xero (Settings > Currencies) or choose one of: ${listChoices(enabled)}`;
}
