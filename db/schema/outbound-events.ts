import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisations } from './organisations.ts';

/**
 * The outbox of signed events for the main app ("invoice 123 was paid in Xero"). Written in the same
 * transaction as the change it announces; delivered at least once, in order per record (`seq`).
 */
export const outboundEvents = pgTable(
  'outbound_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().defaultRandom().unique(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    /** e.g. `invoice:123`: delivery order is kept per record key. */
    recordKey: text('record_key').notNull(),
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outbound_events_due_idx').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null`),
    // The dispatcher's "is an earlier event for this record still undelivered?" check (order per record).
    index('outbound_events_record_order_idx').on(t.orgId, t.recordKey, t.seq).where(sql`${t.deliveredAt} is null`),
  ],
);
