import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A customer organisation of the platform. `id` is the platform's own organisation id. */
export const organisations = pgTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name'),
  /** The main app can sell plans without integrations: then every integration route answers 403 and sync pauses. */
  planIncludesIntegrations: boolean('plan_includes_integrations').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
