import { bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

export const syncLogOutcomes = ['ok', 'failed', 'retrying', 'skipped', 'deferred'] as const;
export type SyncLogOutcome = (typeof syncLogOutcomes)[number];

/**
 * What was tried, for which record, and how it ended, with Xero's own message (`xero_message`) beside our
 * hint (`message`). Feeds the status endpoint and the sync log endpoints (`GET .../integrations/xero/logs`).
 */
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
    outcome: text('outcome', { enum: syncLogOutcomes }).notNull(),
    message: text('message'),
    xeroMessage: text('xero_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('sync_log_org_time_idx').on(t.orgId, t.createdAt),
    // The log endpoints page an organisation's entries newest first by id, and find one record's history.
    index('sync_log_org_id_idx').on(t.orgId, t.id),
    index('sync_log_org_record_idx').on(t.orgId, t.recordId, t.id),
  ],
);
