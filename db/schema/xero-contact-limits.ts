import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/**
 * An organisation whose Xero plan refused to create more contacts ("contact limit reached"). While
 * `retry_at` is ahead, new contacts are not sent (they wait, pending, with a hint); updates of contacts Xero
 * already holds still go. The row goes when a create succeeds again or an admin retries contacts; at
 * `retry_at` (a day later) the waiting contacts are tried once more, and a refusal sets another day.
 */
export const xeroContactLimits = pgTable('xero_contact_limits', {
  orgId: text('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  /** Xero's own words when it refused. */
  xeroMessage: text('xero_message').notNull(),
  reachedAt: timestamp('reached_at', { withTimezone: true }).notNull().defaultNow(),
  retryAt: timestamp('retry_at', { withTimezone: true }).notNull(),
});
