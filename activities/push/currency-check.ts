/**
 * "Confirm currency is enabled in Xero": a document in a currency the organisation's Xero is known not to
 * be subscribed to is refused before any call, in Xero's own words, instead of spending a call for Xero to
 * say the same. Nothing known yet (never read): it is sent, and Xero answers.
 */
export function currencyProblem(currency: string | null | undefined, enabled: string[] | undefined, what: string): { error: string } | undefined {
  if (!currency || !enabled || enabled.length === 0 || enabled.includes(currency.toUpperCase())) return undefined;
  return { error: `Organisation is not subscribed to currency ${currency} (${what} not sent; enabled in Xero: ${enabled.join(', ')}).` };
}
