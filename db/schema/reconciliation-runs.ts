import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';
import type { DriftReport } from '../../lib/reconciliation-drift.ts';

/**
 * One reconciliation sweep of an organisation (scheduled, or triggered from the Temporal UI): what it read
 * from Xero and the drift it found and repaired. The admin status shows the latest.
 */
export const reconciliationRuns = pgTable(
  'reconciliation_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Who asked: `schedule` (the organisation's Temporal Schedule) or another caller's word. */
    trigger: text('trigger').notNull(),
    /** Workflow time when the sweep began. */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
    /** Xero calls the sweep made. */
    xeroCalls: integer('xero_calls').notNull(),
    paymentsSeen: integer('payments_seen').notNull(),
    invoicesSeen: integer('invoices_seen').notNull(),
    drift: jsonb('drift').$type<DriftReport>().notNull(),
    /** Set when the sweep stopped early (connection lost, page cap reached); it carries on next time. */
    note: text('note'),
  },
  // The status endpoint reads an organisation's latest run.
  (t) => [index('reconciliation_runs_org_finished_idx').on(t.orgId, t.finishedAt)],
);
