/**
 * Access tokens for every organisation, refreshed ahead of expiry and on a 401, serialised across
 * every worker process: a row lock, a re-read (someone else may have refreshed), then ONE refresh, and
 * the rotated refresh token stored in the same transaction. Two processes refreshing the same token set
 * is exactly how Xero's `invalid_grant` is earned.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { organisations, xeroConnections } from '../../db/schema/index.ts';
import { getConnectionSecrets, markConnectionNeedsReauth, storeRefreshedTokens } from '../../db/queries/connections.ts';
import type { Logger } from '../../config/logger.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import { REAUTH_MESSAGE, XeroConnectionUnavailable, type XeroAccess, type XeroAccessProvider } from './access.ts';
import { XeroIdentityError, type ClientCredentials, type XeroIdentityClient } from './identity-client.ts';

/** Refresh this long before expiry, so a token never expires between our check and Xero's. */
const REFRESH_AHEAD_MS = 5 * 60_000;

export interface TokenProviderDeps {
  db: Db;
  identity: XeroIdentityClient;
  secrets: SecretBox;
  logger: Logger;
  /** The platform's Xero app (auth-code grants) and the single-organisation custom connection. */
  appCredentials?: ClientCredentials;
  /** Called when a connection needs a person (the workflow pauses itself; this is for the outbox etc.). */
  onNeedsReauth?: (orgId: string) => Promise<void>;
}

export function createXeroTokenProvider(deps: TokenProviderDeps): XeroAccessProvider {
  const { db, secrets } = deps;

  const usable = (row: Awaited<ReturnType<typeof getConnectionSecrets>>, now = Date.now()): XeroAccess | undefined => {
    if (!row?.accessTokenEnc || !row.tokenExpiresAt || !row.xeroTenantId) return undefined;
    if (row.tokenExpiresAt.getTime() - now <= REFRESH_AHEAD_MS) return undefined;
    return { accessToken: secrets.decrypt(row.accessTokenEnc, `access_token:${row.orgId}`), tenantId: row.xeroTenantId };
  };

  const assertConnected = async (tx: DbOrTx, orgId: string, row: Awaited<ReturnType<typeof getConnectionSecrets>>) => {
    const [org] = await tx.select({ plan: organisations.planIncludesIntegrations }).from(organisations).where(eq(organisations.id, orgId));
    if (org && !org.plan) throw new XeroConnectionUnavailable('plan_required', "This organisation's plan does not include integrations.");
    if (!row) throw new XeroConnectionUnavailable('not_connected', 'No Xero connection: connect Xero in Settings > Integrations > Xero.');
    if (row.status === 'needs_reauth') throw new XeroConnectionUnavailable('needs_reauth', REAUTH_MESSAGE);
    if (row.status === 'disconnected') throw new XeroConnectionUnavailable('disconnected', 'Xero is disconnected: connect it again in Settings > Integrations > Xero.');
  };

  /** The one place a token is refreshed. `rejectedToken` forces a refresh unless it was already replaced. */
  const refreshUnderLock = (orgId: string, rejectedToken?: string): Promise<XeroAccess> =>
    db
      .transaction(async (tx) => {
        // Serialise on the connection row: every other refresher for this organisation waits here.
        await tx.execute(sql`select 1 from ${xeroConnections} where ${xeroConnections.orgId} = ${orgId} for update`);
        const row = await getConnectionSecrets(tx, { orgId });
        await assertConnected(tx, orgId, row);
        const current = usable(row);
        if (current && current.accessToken !== rejectedToken) return current; // someone else refreshed meanwhile

        const credentials = credentialsFor(row!);
        try {
          const tokens =
            row!.authType === 'custom'
              ? await deps.identity.clientCredentials(credentials)
              : await deps.identity.refresh({ ...credentials, refreshToken: secrets.decrypt(row!.refreshTokenEnc ?? '', `refresh_token:${orgId}`) });
          await storeRefreshedTokens(tx, {
            orgId,
            accessTokenEnc: secrets.encrypt(tokens.accessToken, `access_token:${orgId}`),
            // Xero rotates the refresh token on every refresh: the new one is stored in this same transaction.
            refreshTokenEnc: tokens.refreshToken ? secrets.encrypt(tokens.refreshToken, `refresh_token:${orgId}`) : row!.refreshTokenEnc,
            tokenExpiresAt: tokens.expiresAt,
          });
          deps.logger.info({ orgId, authType: row!.authType, expiresAt: tokens.expiresAt }, 'Xero access token refreshed');
          return { accessToken: tokens.accessToken, tenantId: row!.xeroTenantId! };
        } catch (err) {
          if (err instanceof XeroIdentityError && err.needsReauthorisation) {
            await markConnectionNeedsReauth(tx, { orgId, message: REAUTH_MESSAGE });
            return new XeroConnectionUnavailable('needs_reauth', REAUTH_MESSAGE);
          }
          throw err;
        }
      })
      .then(async (result) => {
        // Committed before throwing, so the needs_reauth status survives the failure.
        if (result instanceof XeroConnectionUnavailable) {
          deps.logger.warn({ orgId }, 'Xero connection needs re-authorisation');
          await deps.onNeedsReauth?.(orgId).catch((err) => deps.logger.error({ orgId, err }, 'needs_reauth hook failed'));
          throw result;
        }
        return result;
      });

  const credentialsFor = (row: NonNullable<Awaited<ReturnType<typeof getConnectionSecrets>>>): ClientCredentials => {
    if (row.clientId && row.clientSecretEnc) {
      return { clientId: row.clientId, clientSecret: secrets.decrypt(row.clientSecretEnc, `client_secret:${row.orgId}`) };
    }
    if (deps.appCredentials) return deps.appCredentials;
    throw new XeroConnectionUnavailable('needs_reauth', 'No Xero client id and secret: set them in Settings > Integrations > Xero (or XERO_CLIENT_ID / XERO_CLIENT_SECRET).');
  };

  return {
    async forOrg(orgId) {
      const row = await getConnectionSecrets(db, { orgId });
      await assertConnected(db, orgId, row);
      return usable(row) ?? refreshUnderLock(orgId);
    },
    afterUnauthorized: (orgId, rejectedToken) => refreshUnderLock(orgId, rejectedToken),
  };
}
