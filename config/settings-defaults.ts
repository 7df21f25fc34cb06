import type { Env } from './env.ts';
import type { SettingsDefaults } from '../db/queries/settings.ts';

/** The deployment's defaults for organisations without their own settings (the seed's XERO_* variables). */
export function settingsDefaultsFromEnv(env: Env): SettingsDefaults {
  return {
    defaultRevenueAccountCode: env.XERO_ACCOUNT_CODE,
    amountType: env.XERO_AMOUNT_TYPE,
    currencyCode: env.XERO_CURRENCY_CODE,
    emailInvoices: env.XERO_EMAIL_INVOICES,
    emailWhitelistRegex: env.AMS_BILLING_EMAIL_WHITELIST_REGEX,
    contactMatchOrder: env.XERO_CONTACT_MATCH,
  };
}
