/**
 * What an admin should do about a Xero validation message. Xero's validation elements carry no error
 * codes, only text, so this one table reads the text; it only ever chooses a HINT for a person.
 * Whether to retry never depends on it (that is decided by status and exception type).
 */
import { CONTACT_LIMIT_REACHED, TRANSACTION_RECONCILED } from '../../xero/refusals.ts';

/** Xero will not delete or change a payment on a reconciled bank transaction until a person unreconciles it. */
export const RECONCILED_HINT = 'Transaction already reconciled: unreconcile it in Xero (Bank accounts > Reconcile) first, then retry.';

/** New contacts wait (pending) while the organisation's Xero plan refuses more; updates still go. */
export const CONTACT_LIMIT_HINT =
  "Xero contact limit reached: the organisation's Xero plan allows no more contacts. This new contact waits and is created once the limit is lifted (upgrade the Xero plan or archive unused contacts, then retry contacts); the sync also tries again daily. Updates of contacts already in Xero still sync.";

const HINTS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [TRANSACTION_RECONCILED, () => RECONCILED_HINT],
  [CONTACT_LIMIT_REACHED, () => CONTACT_LIMIT_HINT],
  [/Account code '([^']*)' is not a valid code/i, (m) => `Map the service to a valid, active Xero account (code ${m[1]} is not usable for this document) in Settings > Integrations > Xero > Mappings.`],
  [/TaxType code (\S+) does not exist or cannot be used/i, (m) => `Map the platform tax code to a Xero tax type valid for this document (${m[1]} is not) in Mappings.`],
  [/not subscribed to currency (\w{3})/i, (m) => `Enable currency ${m[1]} in Xero (Settings > Currencies), or invoice in the organisation's base currency.`],
  [/contact name .* is already assigned to another contact/i, () => 'Another Xero contact already has this name: rename one of them, or allow matching by name (contact matching "email_then_name" in the Xero settings).'],
  [/Invoice # must be unique/i, () => 'An invoice with this number already exists in Xero: it will be adopted, or give the invoice a different number.'],
  [/cannot be edited as it has a payment/i, () => 'Xero does not allow editing a paid invoice: remove the payment in Xero first, or issue a credit note.'],
  [/not of valid status for modification/i, () => 'Xero does not allow this change in the invoice\'s current status (voided, deleted or paid).'],
  [/Payment amount exceeds the amount outstanding/i, () => 'The receipt is larger than what is still due on the invoice in Xero: check for a payment already recorded there.'],
  [/Payments can only be made against Authorised documents/i, () => 'The invoice is not approved in Xero: create invoices as AUTHORISED in Settings, or approve it in Xero.'],
  [/cannot be applied to the invoice because it has payments or credit notes allocated/i, () => 'Xero holds payments or credit on this invoice, so it cannot be voided: credit it instead (PUT /api/orgs/{orgId}/credit-notes/{id}).'],
  [/Credit Note cannot be allocated as amount is greater than amount outstanding/i, () => 'The allocation is more than the invoice still has due (or than the credit left) in Xero, perhaps after a payment there: allocate less, and refund the rest.'],
  [/invoice you are trying to allocate to has already been paid off/i, () => 'The invoice is paid in full in Xero: refund the credit instead (refund in the credit note).'],
  [/Credit Note # must be unique/i, () => 'A credit note with this number already exists in Xero: it will be adopted, or give the credit note a different number.'],
  [/Item code '([^']*)' is not valid/i, (m) => `Xero has no item ${m[1]} any more: map the service to an existing sold item (serviceItems in Settings > Integrations > Xero > Mappings).`],
  [/BrandingThemeID provided is not valid/i, () => "The organisation's branding theme is gone from Xero: choose another in Settings > Integrations > Xero."],
];

export function hintFor(message: string): string | undefined {
  for (const [pattern, hint] of HINTS) {
    const match = message.match(pattern);
    if (match) return hint(match);
  }
  return undefined;
}
