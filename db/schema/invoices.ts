import { date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/** A document line's tracking: platform dimension name → option name. */
export type LineTracking = Record<string, string>;

/** An Accounts Receivable invoice raised by the platform. Money is numeric(18,2): never floats. */
export const invoices = pgTable(
  'invoices',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    contactId: text('contact_id').notNull(),
    number: text('number').notNull(),
    reference: text('reference'),
    date: date('date').notNull(),
    dueDate: date('due_date').notNull(),
    currencyCode: text('currency_code'),
    total: numeric('total', { precision: 18, scale: 2 }),
    amountPaid: numeric('amount_paid', { precision: 18, scale: 2 }).notNull().default('0'),
    amountDue: numeric('amount_due', { precision: 18, scale: 2 }),
    /** The invoice's status as last seen in Xero (DRAFT, AUTHORISED, PAID, VOIDED...). */
    xeroStatus: text('xero_status'),
    /** Set once Xero has emailed the invoice, so a re-push never emails it twice. */
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
    /** The invoice's own branding theme (a Xero theme's name or id); null: the organisation's. */
    brandingTheme: text('branding_theme'),
    /**
     * The platform asked for this invoice to be voided (`POST .../invoices/{id}/void`): its content stays as it
     * was, and the push sends Xero a status-only change (DELETED for a draft, VOIDED once approved).
     */
    voidRequestedAt: timestamp('void_requested_at', { withTimezone: true }),
    /** Xero's link for members to view and pay the invoice, fetched once after Xero approved it. */
    onlineInvoiceUrl: text('online_invoice_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // A Xero invoice we have no id for yet is recognised by its number (our stable reference in Xero).
    index('invoices_number_idx').on(t.orgId, t.number),
  ],
);

export const invoiceLines = pgTable(
  'invoice_lines',
  {
    orgId: text('org_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    lineNo: integer('line_no').notNull(),
    serviceCode: text('service_code'),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 18, scale: 4 }).notNull(),
    unitAmount: numeric('unit_amount', { precision: 18, scale: 4 }).notNull(),
    taxCode: text('tax_code'),
    servicePeriodStart: date('service_period_start'),
    servicePeriodEnd: date('service_period_end'),
    /** Xero's line discounts (sales invoices only): a percentage, or an amount off the line; never both. */
    discountRate: numeric('discount_rate', { precision: 9, scale: 4 }),
    discountAmount: numeric('discount_amount', { precision: 18, scale: 2 }),
    /** Platform dimension → option (`{ chapter: 'Auckland' }`), sent as Xero tracking through the organisation's mapping. */
    tracking: jsonb('tracking').$type<LineTracking>(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.invoiceId, t.lineNo] })],
);
