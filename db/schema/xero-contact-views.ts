import { boolean, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/** A field Xero holds differently from the platform: both values, as last seen. */
export interface ContactFieldDifference {
  platform: string | boolean | null;
  xero: string | boolean | null;
}

export type ContactDifferences = Partial<Record<'name' | 'email' | 'archived', ContactFieldDifference>>;

/**
 * Xero's side of each platform contact, as last read after a CONTACT webhook: what a bookkeeper changed
 * there (name, email, archived). The platform's own `contacts` row is not overwritten (unless
 * XERO_APPLY_CONTACT_EDITS is on); the main app is told (`contact.changed_in_xero`) and decides.
 * `differences` is what was last announced, so the same edit is announced once, however many events name it.
 */
export const xeroContactViews = pgTable(
  'xero_contact_views',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    contactId: text('contact_id').notNull(),
    xeroContactId: text('xero_contact_id').notNull(),
    name: text('name'),
    email: text('email'),
    archived: boolean('archived').notNull().default(false),
    /** Xero's UpdatedDateUTC for the contact. */
    xeroUpdatedAt: timestamp('xero_updated_at', { withTimezone: true }),
    differences: jsonb('differences').$type<ContactDifferences>().notNull().default({}),
    /** When Xero last started holding something the platform does not (the last announcement). */
    changedAt: timestamp('changed_at', { withTimezone: true }),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.contactId] })],
);
