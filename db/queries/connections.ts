import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { orgSettings, xeroConnections } from '../schema/index.ts';

export type XeroConnectionRow = typeof xeroConnections.$inferSelect;

export async function getConnection(db: DbOrTx, { orgId }: { orgId: string }): Promise<XeroConnectionRow | undefined> {
  const [row] = await db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
  return row;
}

/** The connection with the organisation's own client credentials (custom connections), still encrypted. */
export async function getConnectionSecrets(db: DbOrTx, { orgId }: { orgId: string }) {
  const [row] = await db
    .select({
      orgId: xeroConnections.orgId,
      authType: xeroConnections.authType,
      status: xeroConnections.status,
      xeroTenantId: xeroConnections.xeroTenantId,
      accessTokenEnc: xeroConnections.accessTokenEnc,
      refreshTokenEnc: xeroConnections.refreshTokenEnc,
      tokenExpiresAt: xeroConnections.tokenExpiresAt,
      clientId: orgSettings.clientId,
      clientSecretEnc: orgSettings.clientSecretEnc,
    })
    .from(xeroConnections)
    .leftJoin(orgSettings, eq(orgSettings.orgId, xeroConnections.orgId))
    .where(eq(xeroConnections.orgId, orgId));
  return row;
}

export async function storeRefreshedTokens(
  db: DbOrTx,
  args: { orgId: string; accessTokenEnc: string; refreshTokenEnc: string | null; tokenExpiresAt: Date },
): Promise<void> {
  await db
    .update(xeroConnections)
    .set({
      accessTokenEnc: args.accessTokenEnc,
      refreshTokenEnc: args.refreshTokenEnc,
      tokenExpiresAt: args.tokenExpiresAt,
      lastError: null,
      updatedAt: sql`now()`,
    })
    .where(eq(xeroConnections.orgId, args.orgId));
}

export async function markConnectionNeedsReauth(db: DbOrTx, { orgId, message }: { orgId: string; message: string }): Promise<void> {
  await db
    .update(xeroConnections)
    .set({ status: 'needs_reauth', lastError: message, updatedAt: sql`now()` })
    .where(eq(xeroConnections.orgId, orgId));
}
