import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/**
 * `awaiting_tenant`: a consent covered several Xero organisations and the admin has not picked one yet
 * (the grant is stored, no tenant is linked, nothing syncs).
 */
export const connectionStatuses = ['connected', 'needs_reauth', 'disconnected', 'awaiting_tenant'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

export const connectionAuthTypes = ['oauth', 'custom'] as const;
export type ConnectionAuthType = (typeof connectionAuthTypes)[number];

/**
 * One organisation's link to one Xero organisation ("tenant"). Tokens are stored encrypted
 * (AES-256-GCM envelopes, see activities/crypto); the plaintext never touches a column.
 */
export const xeroConnections = pgTable(
  'xero_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    authType: text('auth_type', { enum: connectionAuthTypes }).notNull(),
    status: text('status', { enum: connectionStatuses }).notNull(),
    xeroTenantId: text('xero_tenant_id'),
    xeroTenantName: text('xero_tenant_name'),
    /** Xero's connection id (for DELETE /connections/{id}), not the tenant id. */
    xeroConnectionId: text('xero_connection_id'),
    authEventId: text('auth_event_id'),
    accessTokenEnc: text('access_token_enc'),
    refreshTokenEnc: text('refresh_token_enc'),
    tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
    /** What Xero granted, from its token answer (space-separated), not what was asked for. */
    scopes: text('scopes'),
    /**
     * The Xero app (client id) the grant was issued to: the deployment's (XERO_CLIENT_ID) or the
     * organisation's own (its settings). Refreshes and revocation use that app's credentials, whatever the
     * settings say later. Null on rows stored before it was recorded.
     */
    appClientId: text('app_client_id'),
    lastError: text('last_error'),
    connectedAt: timestamp('connected_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live connection per organisation.
    uniqueIndex('xero_connections_org_uq').on(t.orgId),
    // A Xero organisation is never linked to two platform organisations at once.
    uniqueIndex('xero_connections_live_tenant_uq')
      .on(t.xeroTenantId)
      .where(sql`${t.status} <> 'disconnected' and ${t.xeroTenantId} is not null`),
  ],
);
