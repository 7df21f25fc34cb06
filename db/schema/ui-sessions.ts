import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/** Who may hold a browser session: an organisation's admin (settings page) or a platform admin (console). */
export const uiRoles = ['client_admin', 'platform_admin'] as const;
export type UiRole = (typeof uiRoles)[number];

/**
 * A sign-in link the main app asked for on a person's behalf (`POST .../ui-sessions`): short-lived and
 * single-use. Only the SHA-256 of its random token is stored, so a database reader cannot sign in with it.
 */
export const uiSignInLinks = pgTable(
  'ui_sign_in_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The organisation a client admin may see; null for a platform admin. */
    orgId: text('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: uiRoles }).notNull(),
    /** The main app's id for the person, and a name to greet them with. */
    subject: text('subject').notNull(),
    name: text('name'),
    /** Where the browser goes once signed in (one of our pages). */
    returnTo: text('return_to').notNull(),
    /** Who asked for the link (the bearer token's subject), for the audit trail. */
    requestedBy: text('requested_by'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Housekeeping deletes expired links by age.
  (t) => [index('ui_sign_in_links_expires_idx').on(t.expiresAt)],
);

/** What a page shows once after a redirect (the end of a Xero consent): a code and the message for the person. */
export interface UiFlash {
  code: string;
  status: number;
  title: string;
  message: string;
}

/**
 * A signed-in browser. The cookie carries a random token; only its SHA-256 is stored. The CSRF token is
 * handed to the page and sent back on every change, which a cross-site form cannot do.
 */
export const uiSessions = pgTable(
  'ui_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    csrfToken: text('csrf_token').notNull(),
    orgId: text('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: uiRoles }).notNull(),
    subject: text('subject').notNull(),
    name: text('name'),
    flash: jsonb('flash').$type<UiFlash>(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    signedOutAt: timestamp('signed_out_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ui_sessions_expires_idx').on(t.expiresAt)],
);
