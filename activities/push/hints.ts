/**
 * What an admin should do about a Xero validation message. Xero's validation elements carry no error
 * codes, only text, so this one table reads the text; it only ever chooses a HINT for a person.
 * Whether to retry never depends on it (that is decided by status and exception type).
 */
const HINTS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/Account code '([^']*)' is not a valid code/i, (m) => `Map the service to a valid, active Xero account (code ${m[1]} is not usable for this document) in Settings > Integrations > Xero > Mappings.`],
  [/TaxType code (\S+) does not exist or cannot be used/i, (m) => `Map the platform tax code to a Xero tax type valid for this document (${m[1]} is not) in Mappings.`],
  [/not subscribed to currency (\w{3})/i, (m) => `Enable currency ${m[1]} in Xero (Settings > Currencies), or invoice in the organisation's base currency.`],
  [/contact name .* is already assigned to another contact/i, () => 'Another Xero contact already has this name: rename one of them, or allow matching by name (contact matching "email_then_name" in the Xero settings).'],
  [/Invoice # must be unique/i, () => 'An invoice with this number already exists in Xero: it will be adopted, or give the invoice a different number.'],
  [/cannot be edited as it has a payment/i, () => 'Xero does not allow editing a paid invoice: remove the payment in Xero first, or issue a credit note.'],
  [/not of valid status for modification/i, () => 'Xero does not allow this change in the invoice\'s current status (voided, deleted or paid).'],
  [/Payment amount exceeds the amount outstanding/i, () => 'The receipt is larger than what is still due on the invoice in Xero: check for a payment already recorded there.'],
  [/Payments can only be made against Authorised documents/i, () => 'The invoice is not approved in Xero: create invoices as AUTHORISED in Settings, or approve it in Xero.'],
];

export function hintFor(message: string): string | undefined {
  for (const [pattern, hint] of HINTS) {
    const match = message.match(pattern);
    if (match) return hint(match);
  }
  return undefined;
}
