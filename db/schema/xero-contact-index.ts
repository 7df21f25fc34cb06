import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/**
 * What contacts already exist in each organisation's Xero, kept fresh with `If-Modified-Since`.
 * Matching a new member against it (ContactNumber, then email, then exact name) adopts an existing
 * Xero contact instead of creating a duplicate, without spending a lookup call per batch: a full
 * resync of 10,000 members costs one read of Xero's contact list, not 200.
 */
export const xeroContactIndex = pgTable(
  'xero_contact_index',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    xeroContactId: text('xero_contact_id').notNull(),
    contactNumber: text('contact_number'),
    /** Lower-cased: Xero compares emails and names case-insensitively. */
    emailLower: text('email_lower'),
    nameLower: text('name_lower').notNull(),
    status: text('status').notNull(),
    xeroUpdatedAt: timestamp('xero_updated_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.xeroContactId] }),
    index('xero_contact_index_number_idx').on(t.orgId, t.contactNumber),
    index('xero_contact_index_email_idx').on(t.orgId, t.emailLower),
    index('xero_contact_index_name_idx').on(t.orgId, t.nameLower),
  ],
);
