import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/**
 * One started Xero consent (`POST .../connect`), referenced by the signed `state` the browser carries.
 *
 * Server-side so the state is single-use (a replayed callback finds `consumed_at` set) and so the PKCE
 * verifier never travels through the browser: only its S256 challenge does. The verifier is encrypted
 * like every other secret (context `code_verifier:<orgId>`).
 */
export const oauthStates = pgTable(
  'oauth_states',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    codeVerifierEnc: text('code_verifier_enc').notNull(),
    /** Sent again with the code exchange: Xero requires the exact redirect_uri of the authorisation request. */
    redirectUri: text('redirect_uri').notNull(),
    /** The Xero app the consent was started with: the code is exchanged with that app's credentials. */
    clientId: text('client_id'),
    /** Who started the consent (the JWT subject), for the audit trail. */
    requestedBy: text('requested_by'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Housekeeping deletes expired states by age.
  (t) => [index('oauth_states_expires_idx').on(t.expiresAt)],
);
