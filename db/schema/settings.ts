import { boolean, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

export const invoiceStatuses = ['DRAFT', 'SUBMITTED', 'AUTHORISED'] as const;
export const amountTypes = ['INCLUSIVE', 'EXCLUSIVE', 'NOTAX'] as const;
/**
 * How a platform contact finds an existing Xero contact before one is created: `create_only` (never
 * adopts one), `email`, `email_then_name`. ContactNumber (our own id) always matches: such a contact is ours.
 */
export const contactMatchings = ['create_only', 'email', 'email_then_name'] as const;
export type ContactMatching = (typeof contactMatchings)[number];

/**
 * An organisation's own Xero settings. A null column means "use the deployment default from the
 * environment" (XERO_ACCOUNT_CODE, XERO_AMOUNT_TYPE, ...), so a single-organisation deployment needs no rows.
 */
export const orgSettings = pgTable('org_settings', {
  orgId: text('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  clientId: text('client_id'),
  clientSecretEnc: text('client_secret_enc'),
  defaultTaxType: text('default_tax_type'),
  autoSyncInvoices: boolean('auto_sync_invoices'),
  defaultRevenueAccountCode: text('default_revenue_account_code'),
  invoiceStatus: text('invoice_status', { enum: invoiceStatuses }),
  amountType: text('amount_type', { enum: amountTypes }),
  currencyCode: text('currency_code'),
  emailInvoices: boolean('email_invoices'),
  emailWhitelistRegex: text('email_whitelist_regex'),
  bankAccountCode: text('bank_account_code'),
  deferredRevenueAccountCode: text('deferred_revenue_account_code'),
  /** The Xero branding theme (its id) invoices and credit notes are laid out with; null: Xero's default. */
  brandingThemeId: text('branding_theme_id'),
  /** Fetch each approved invoice's online invoice link (one Xero call per invoice); null: yes. */
  onlineInvoiceLinks: boolean('online_invoice_links'),
  contactMatching: text('contact_matching', { enum: contactMatchings }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const mappingKinds = ['service_account', 'tax_type', 'tracking_category', 'service_item'] as const;
export type MappingKind = (typeof mappingKinds)[number];

/**
 * service code → Xero account code; platform tax code → Xero tax type; platform dimension → Xero tracking
 * category name; service code → Xero item code.
 */
export const orgMappings = pgTable(
  'org_mappings',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: mappingKinds }).notNull(),
    platformCode: text('platform_code').notNull(),
    xeroCode: text('xero_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.kind, t.platformCode] })],
);
