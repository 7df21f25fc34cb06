/**
 * Who Xero may email: the deployment's AMS_BILLING_EMAIL_WHITELIST_REGEX always applies; an organisation's
 * own whitelist may only narrow it, never widen it (a test deployment must never email real members).
 */
import { describe, expect, it } from 'vitest';
import { emailAllowed } from '../../activities/push/email-policy.ts';
import type { EffectiveSettings } from '../../db/queries/settings.ts';

const base: EffectiveSettings = {
  defaultRevenueAccountCode: '200',
  invoiceStatus: 'AUTHORISED',
  amountType: 'EXCLUSIVE',
  autoSyncInvoices: true,
  emailInvoices: true,
  contactMatchOrder: ['contact_number', 'email', 'name'],
  serviceAccounts: {},
  taxTypes: {},
  trackingCategories: {},
  serviceItems: {},
  onlineInvoiceLinks: true,
};
const deployment = '@example\\.org$';

describe('email whitelists', () => {
  it("an organisation's regex cannot widen the deployment's", () => {
    const settings = { ...base, deploymentEmailWhitelistRegex: deployment, emailWhitelistRegex: '.*' };
    expect(emailAllowed(settings, 'AUTHORISED', 'member@real-inbox.com')).toBe(false);
    expect(emailAllowed(settings, 'AUTHORISED', 'ada@example.org')).toBe(true);
  });

  it("an organisation's regex narrows the deployment's", () => {
    const settings = { ...base, deploymentEmailWhitelistRegex: deployment, emailWhitelistRegex: '^katherine@' };
    expect(emailAllowed(settings, 'AUTHORISED', 'katherine@example.org')).toBe(true);
    expect(emailAllowed(settings, 'AUTHORISED', 'ada@example.org')).toBe(false);
    expect(emailAllowed(settings, 'AUTHORISED', 'katherine@real-inbox.com')).toBe(false);
  });

  it('without a deployment whitelist, the organisation decides; without either, anyone may be emailed', () => {
    expect(emailAllowed({ ...base, emailWhitelistRegex: '@example\\.org$' }, 'AUTHORISED', 'member@real-inbox.com')).toBe(false);
    expect(emailAllowed(base, 'AUTHORISED', 'member@real-inbox.com')).toBe(true);
  });

  it('never emails drafts, nor when emailing is off', () => {
    expect(emailAllowed(base, 'DRAFT', 'ada@example.org')).toBe(false);
    expect(emailAllowed({ ...base, emailInvoices: false }, 'AUTHORISED', 'ada@example.org')).toBe(false);
  });
});
