import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/**
 * How far each organisation's Xero data has been read (`If-Modified-Since` watermarks), per feed:
 * `contacts` (the contact index), `invoices` and `payments` (reconciliation).
 */
export const xeroWatermarks = pgTable(
  'xero_watermarks',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    feed: text('feed').notNull(),
    modifiedSince: timestamp('modified_since', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.feed] })],
);
