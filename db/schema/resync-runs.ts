import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';
import { recordTypes } from './sync-state.ts';

/**
 * A platform admin's resync of one organisation (`POST /api/admin/integrations/xero/{id}/resync`).
 *
 * The records themselves are not listed: the resync re-queues them in the same transaction that inserts
 * this row, so each re-queued `sync_state.updated_at` equals `started_at` (Postgres' `now()` is the
 * transaction's start). Progress is then `total` minus the rows of these types still pending and last
 * changed no later than `started_at` (and, with `since`, whose record changed since then): no per-record
 * bookkeeping, and records the main app sends after the resync began are not counted as its work.
 */
export const resyncRuns = pgTable(
  'resync_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    recordTypes: text('record_types', { enum: recordTypes }).array().notNull(),
    /** Only records the platform changed at or after this time; null: every record of those types. */
    since: timestamp('since', { withTimezone: true }),
    /** Records this resync is pushing (re-queued, plus those of its scope that were already pending). */
    total: integer('total').notNull(),
    /** Who asked (the JWT subject), for the audit trail. */
    requestedBy: text('requested_by'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The status endpoint reads an organisation's latest resync.
  (t) => [index('resync_runs_org_started_idx').on(t.orgId, t.startedAt)],
);
