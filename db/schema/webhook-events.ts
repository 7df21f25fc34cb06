import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Xero webhook events, stored before the 200 goes out. Xero delivers at least once, so the natural key
 * (tenant, resource, category, type, event time) deduplicates. `orgId` is null for a tenant no
 * organisation owns: such events are kept and reported, not errors.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: text('tenant_id').notNull(),
    orgId: text('org_id'),
    resourceId: text('resource_id').notNull(),
    eventCategory: text('event_category').notNull(),
    eventType: text('event_type').notNull(),
    eventDateUtc: timestamp('event_date_utc', { withTimezone: true }).notNull(),
    resourceUrl: text('resource_url'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set once the owning organisation's workflow has been signalled; the relay re-signals rows left null. */
    signalledAt: timestamp('signalled_at', { withTimezone: true }),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    raw: jsonb('raw'),
  },
  (t) => [
    uniqueIndex('webhook_events_dedupe_uq').on(t.tenantId, t.resourceId, t.eventCategory, t.eventType, t.eventDateUtc),
    index('webhook_events_unsignalled_idx').on(t.receivedAt).where(sql`${t.signalledAt} is null`),
    index('webhook_events_org_unprocessed_idx').on(t.orgId).where(sql`${t.processedAt} is null`),
  ],
);
