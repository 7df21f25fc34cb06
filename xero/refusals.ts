/**
 * Xero refusals that change what the sync does, recognised in Xero's own words. Xero's validation
 * elements carry no codes, only text, so these few patterns are read here, once; whether a call is retried
 * never depends on them (that is decided by status and exception type, xero/errors.ts).
 */

/** `The contact name <Name> is already assigned to another contact. The contact name must be unique across all active contacts.` */
export const DUPLICATE_CONTACT_NAME = /is already assigned to another contact/i;

/**
 * The Xero plan's cap on contacts. Xero words its plan limits "You have reached the limit of invoices you
 * can approve." (xero-node#548); the contact cap is recognised in the same form, and by name.
 */
export const CONTACT_LIMIT_REACHED = /reached the (?:limit|maximum number) of contacts|contact limit (?:has been )?reached/i;

/**
 * A payment tied to a reconciled bank statement line. Xero's words for the bank-transaction form are
 * `This Bank Transaction cannot be edited as it has been reconciled with a Bank Statement.`; a payment on a
 * reconciled transaction is refused in the same terms.
 */
export const TRANSACTION_RECONCILED = /\breconciled\b/i;

/** `Organisation is not subscribed to currency <CCY>` */
export const CURRENCY_NOT_SUBSCRIBED = /not subscribed to currency (\w{3})/i;

export const anyMatches = (pattern: RegExp, messages: string[]) => messages.some((m) => pattern.test(m));
