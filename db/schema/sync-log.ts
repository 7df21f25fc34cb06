import { bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/** What was tried, for which record, and how it ended, with Xero's own message. Feeds the admin status. */
export const syncLog = pgTable(
  'sync_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    recordType: text('record_type'),
    recordId: text('record_id'),
    action: text('action').notNull(),
    outcome: text('outcome', { enum: ['ok', 'failed', 'retrying', 'skipped', 'deferred'] }).notNull(),
    message: text('message'),
    xeroMessage: text('xero_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sync_log_org_time_idx').on(t.orgId, t.createdAt)],
);
