import type { EffectiveSettings } from '../../db/queries/settings.ts';

/**
 * Whether Xero should email this invoice: only when the organisation asked for it, only for invoices
 * Xero will email (not drafts), and only to recipients matching the whitelist when one is set
 * (AMS_BILLING_EMAIL_WHITELIST_REGEX: test environments must never email real members).
 */
export function emailAllowed(settings: EffectiveSettings, xeroStatus: string, email: string | null | undefined): boolean {
  if (!settings.emailInvoices || !email) return false;
  if (!['SUBMITTED', 'AUTHORISED', 'PAID'].includes(xeroStatus)) return false;
  if (settings.emailWhitelistRegex && !new RegExp(settings.emailWhitelistRegex, 'i').test(email)) return false;
  return true;
}
