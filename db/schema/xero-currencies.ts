import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/**
 * The currencies the organisation's Xero is subscribed to (GET /Currencies, base currency included), as
 * last read: by an admin's settings check or test connection, or by the workflow (at most daily, paced)
 * before it pushes an invoice in a currency not known to be enabled. No row: nothing known, invoices are
 * sent and Xero answers.
 */
export const xeroCurrencies = pgTable('xero_currencies', {
  orgId: text('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  baseCurrency: text('base_currency'),
  currencies: text('currencies').array().notNull(),
  readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
});
