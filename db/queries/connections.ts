import { and, eq, inArray, max, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncState, xeroConnections, type ConnectionAuthType } from '../schema/index.ts';

export type XeroConnectionRow = typeof xeroConnections.$inferSelect;

export async function getConnection(db: DbOrTx, { orgId }: { orgId: string }): Promise<XeroConnectionRow | undefined> {
  const [row] = await db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
  return row;
}

export interface ConnectionSecrets {
  orgId: string;
  authType: XeroConnectionRow['authType'];
  status: XeroConnectionRow['status'];
  xeroTenantId: string | null;
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  tokenExpiresAt: Date | null;
  /** What Xero last said the grant covers (space-separated), null when it never said. */
  scopes: string | null;
  /** The Xero app the grant was issued to (its refreshes and revocation use that app). */
  appClientId: string | null;
  clientId: string | null;
  clientSecretEnc: string | null;
}

/**
 * What every Xero call needs to know first, in ONE statement (it runs before each call): whether the
 * organisation's plan includes integrations (undefined: no such organisation), and its connection with the
 * organisation's own client credentials (custom connections), still encrypted (undefined: none).
 */
export async function getConnectionSecrets(
  db: DbOrTx,
  { orgId }: { orgId: string },
): Promise<{ planIncludesIntegrations?: boolean; connection?: ConnectionSecrets }> {
  const [row] = await db.execute<{
    plan: boolean;
    org_id: string | null;
    auth_type: ConnectionSecrets['authType'];
    status: ConnectionSecrets['status'];
    xero_tenant_id: string | null;
    access_token_enc: string | null;
    refresh_token_enc: string | null;
    token_expires_at: string | null;
    scopes: string | null;
    app_client_id: string | null;
    client_id: string | null;
    client_secret_enc: string | null;
  }>(sql`
    select o.plan_includes_integrations as plan, c.org_id, c.auth_type, c.status, c.xero_tenant_id, c.access_token_enc, c.refresh_token_enc,
      c.token_expires_at, c.scopes, c.app_client_id, s.client_id, s.client_secret_enc
    from organisations o
    left join xero_connections c on c.org_id = o.id
    left join org_settings s on s.org_id = o.id
    where o.id = ${orgId}`);
  if (!row) return {};
  const connection: ConnectionSecrets | undefined = row.org_id
    ? {
        orgId: row.org_id,
        authType: row.auth_type,
        status: row.status,
        xeroTenantId: row.xero_tenant_id,
        accessTokenEnc: row.access_token_enc,
        refreshTokenEnc: row.refresh_token_enc,
        // The driver hands timestamps over as text (drizzle's selects parse them per column).
        tokenExpiresAt: row.token_expires_at === null ? null : new Date(row.token_expires_at),
        scopes: row.scopes,
        appClientId: row.app_client_id,
        clientId: row.client_id,
        clientSecretEnc: row.client_secret_enc,
      }
    : undefined;
  return { planIncludesIntegrations: row.plan, connection };
}

export async function storeRefreshedTokens(
  db: DbOrTx,
  args: { orgId: string; accessTokenEnc: string; refreshTokenEnc: string | null; tokenExpiresAt: Date; scopes?: string },
): Promise<void> {
  await db
    .update(xeroConnections)
    .set({
      accessTokenEnc: args.accessTokenEnc,
      refreshTokenEnc: args.refreshTokenEnc,
      tokenExpiresAt: args.tokenExpiresAt,
      // Only when Xero said: an answer without `scope` leaves what was recorded.
      ...(args.scopes ? { scopes: args.scopes } : {}),
      lastError: null,
      updatedAt: sql`now()`,
    })
    .where(eq(xeroConnections.orgId, args.orgId));
}

/**
 * The connection needs a person to reconnect. The first time (not on every refused call after), the main
 * app is told (`connection.needs_reauth`), in the same statement, so the event exists if and only if the
 * status changed.
 */
export async function markConnectionNeedsReauth(db: DbOrTx, { orgId, message }: { orgId: string; message: string }): Promise<void> {
  await db.execute(sql`
    with previous as (
      select org_id, status from xero_connections where org_id = ${orgId} for update
    ), marked as (
      update xero_connections c set status = 'needs_reauth', last_error = ${message}, updated_at = now()
      from previous p
      where c.org_id = p.org_id
      returning c.org_id, c.xero_tenant_id, c.xero_tenant_name, p.status as previous_status
    )
    insert into outbound_events (org_id, type, record_key, payload)
    select org_id, 'connection.needs_reauth', 'connection',
      jsonb_build_object('reason', 'needs_reauth', 'message', ${message}::text, 'xeroTenantId', xero_tenant_id, 'xeroTenantName', xero_tenant_name)
    from marked
    where previous_status <> 'needs_reauth'`);
}

/** Encrypted tokens as they go into a row (the caller encrypts; plaintext never reaches a query). */
export interface EncryptedGrant {
  /** The Xero app (client id) the grant was issued to: its refreshes and revocation use that app. */
  appClientId: string;
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  tokenExpiresAt: Date;
  scopes: string | null;
  authEventId: string | null;
}

export interface LinkedTenant {
  tenantId: string;
  tenantName: string | null;
  /** Xero's connection id, for DELETE /connections/{id}. */
  connectionId: string | null;
}

/**
 * The organisation's one connection row becomes `connected` to `tenant` with this grant (a first
 * connection and a reconnect alike). Throws the unique violation of `xero_connections_live_tenant_uq`
 * when the tenant is live elsewhere: see isTenantTakenError.
 */
export async function linkXeroTenant(
  db: DbOrTx,
  args: { orgId: string; authType: ConnectionAuthType; tenant: LinkedTenant; grant: EncryptedGrant },
): Promise<void> {
  const values = {
    authType: args.authType,
    status: 'connected' as const,
    xeroTenantId: args.tenant.tenantId,
    xeroTenantName: args.tenant.tenantName,
    xeroConnectionId: args.tenant.connectionId,
    ...args.grant,
    lastError: null,
    connectedAt: sql`now()`,
    updatedAt: sql`now()`,
  };
  await db
    .insert(xeroConnections)
    .values({ orgId: args.orgId, ...values })
    .onConflictDoUpdate({ target: xeroConnections.orgId, set: values });
}

/** A consent covering several Xero organisations: the grant is kept, no tenant is linked until the admin picks. */
export async function storeGrantAwaitingTenant(db: DbOrTx, args: { orgId: string; grant: EncryptedGrant }): Promise<void> {
  const values = {
    authType: 'oauth' as const,
    status: 'awaiting_tenant' as const,
    xeroTenantId: null,
    xeroTenantName: null,
    xeroConnectionId: null,
    ...args.grant,
    lastError: null,
    updatedAt: sql`now()`,
  };
  await db
    .insert(xeroConnections)
    .values({ orgId: args.orgId, ...values })
    .onConflictDoUpdate({ target: xeroConnections.orgId, set: values });
}

/** The admin's pick: the stored grant now acts on `tenant`. Same unique-violation contract as linkXeroTenant. */
export async function chooseXeroTenant(db: DbOrTx, { orgId, tenant }: { orgId: string; tenant: LinkedTenant }): Promise<boolean> {
  const rows = await db
    .update(xeroConnections)
    .set({
      status: 'connected',
      xeroTenantId: tenant.tenantId,
      xeroTenantName: tenant.tenantName,
      xeroConnectionId: tenant.connectionId,
      lastError: null,
      connectedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(xeroConnections.orgId, orgId), eq(xeroConnections.authType, 'oauth'), inArray(xeroConnections.status, ['awaiting_tenant', 'connected'])))
    .returning({ orgId: xeroConnections.orgId });
  return rows.length > 0;
}

/**
 * Disconnected: tokens wiped, the tenant kept for the record (records on both sides stay, and the card
 * still says which Xero organisation it was). The live-tenant index ignores disconnected rows.
 */
export async function markConnectionDisconnected(db: DbOrTx, { orgId }: { orgId: string }): Promise<void> {
  await db
    .update(xeroConnections)
    .set({ status: 'disconnected', accessTokenEnc: null, refreshTokenEnc: null, tokenExpiresAt: null, lastError: null, updatedAt: sql`now()` })
    .where(eq(xeroConnections.orgId, orgId));
}

export async function updateXeroTenantName(db: DbOrTx, { orgId, tenantName }: { orgId: string; tenantName: string }): Promise<void> {
  await db.update(xeroConnections).set({ xeroTenantName: tenantName, updatedAt: sql`now()` }).where(eq(xeroConnections.orgId, orgId));
}

/** Whether another platform organisation holds a live link to this Xero organisation. */
export async function isTenantLinkedElsewhere(db: DbOrTx, { orgId, tenantId }: { orgId: string; tenantId: string }): Promise<boolean> {
  const [row] = await db
    .select({ orgId: xeroConnections.orgId })
    .from(xeroConnections)
    .where(and(eq(xeroConnections.xeroTenantId, tenantId), ne(xeroConnections.status, 'disconnected'), ne(xeroConnections.orgId, orgId)));
  return !!row;
}

/** The tenant race lost at commit time (two organisations linking one Xero organisation at once). */
export function isTenantTakenError(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint_name?: string };
    if (pg.code === '23505' && pg.constraint_name === 'xero_connections_live_tenant_uq') return true;
  }
  return false;
}

/** When a record last reached Xero, for the integration card. */
export async function getLastSyncAt(db: DbOrTx, { orgId }: { orgId: string }): Promise<Date | null> {
  const [row] = await db.select({ at: max(syncState.syncedAt) }).from(syncState).where(eq(syncState.orgId, orgId));
  return row?.at ?? null;
}

/** Serialises linking one organisation across processes, until the caller's transaction ends. */
export async function lockOrganisationLink(tx: DbOrTx, { orgId }: { orgId: string }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`xero-link:${orgId}`}, 0))`);
}
