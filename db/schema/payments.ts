import { date, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisations } from './organisations.ts';

export const paymentSources = ['platform', 'xero'] as const;

/**
 * A payment against an invoice: a receipt taken in the platform (pushed to Xero), or a payment made in
 * Xero (recorded here once, by Xero's payment id).
 */
export const payments = pgTable(
  'payments',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    amount: numeric('amount', { precision: 18, scale: 2 }).notNull(),
    date: date('date').notNull(),
    reference: text('reference'),
    source: text('source', { enum: paymentSources }).notNull(),
    xeroPaymentId: text('xero_payment_id'),
    /** A payment deleted in Xero is reversed, not forgotten. */
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // Each Xero payment is recorded once, however many webhooks or sweeps announce it.
    uniqueIndex('payments_xero_payment_uq').on(t.orgId, t.xeroPaymentId).where(sql`${t.xeroPaymentId} is not null`),
  ],
);
