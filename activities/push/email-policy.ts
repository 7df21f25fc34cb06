import type { EffectiveSettings } from '../../db/queries/settings.ts';

/**
 * Whether Xero should email this invoice: only when the organisation asked for it, only for invoices
 * Xero will email (not drafts), and only to recipients matching the whitelist when one is set
 * (AMS_BILLING_EMAIL_WHITELIST_REGEX: test environments must never email real members). The deployment's
 * whitelist always applies; an organisation's own can only narrow it.
 */
export function emailAllowed(settings: EffectiveSettings, xeroStatus: string, email: string | null | undefined): boolean {
  if (!settings.emailInvoices || !email) return false;
  if (!['SUBMITTED', 'AUTHORISED', 'PAID'].includes(xeroStatus)) return false;
  const whitelists = [settings.deploymentEmailWhitelistRegex, settings.emailWhitelistRegex].filter((r): r is string => !!r);
  return whitelists.every((regex) => new RegExp(regex, 'i').test(email));
}
