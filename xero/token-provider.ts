/**
 * Access tokens for every organisation, refreshed ahead of expiry and on a 401, serialised across
 * every worker process: a row lock, a re-read (someone else may have refreshed), then ONE refresh, and
 * the rotated refresh token stored in the same transaction. Two processes refreshing the same token set
 * is exactly how Xero's `invalid_grant` is earned.
 *
 * Within one process, concurrent callers for the same organisation share one trip to the lock, so a
 * burst of activities at expiry costs one database transaction per process, not one per caller.
 */
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { xeroConnections } from '../db/schema/index.ts';
import { getConnectionSecrets, markConnectionNeedsReauth, storeRefreshedTokens, type ConnectionSecrets } from '../db/queries/connections.ts';
import type { Logger } from '../config/logger.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { REAUTH_MESSAGE, XeroConnectionUnavailable, type XeroAccess, type XeroAccessProvider } from './access.ts';
import { XeroIdentityError, type ClientCredentials, type XeroIdentityClient } from './identity-client.ts';
import { parseScopes } from './scopes.ts';

/** Refresh this long before expiry, so a token never expires between our check and Xero's. */
const REFRESH_AHEAD_MS = 5 * 60_000;

export const CUSTOM_CREDENTIALS_MESSAGE =
  'Xero refused the custom connection\'s client id or secret: update them in Settings > Integrations > Xero, then reconnect';

export interface TokenProviderDeps {
  db: Db;
  identity: XeroIdentityClient;
  secrets: SecretBox;
  logger: Logger;
  /**
   * The deployment's Xero app from XERO_CLIENT_ID / XERO_CLIENT_SECRET: the web app every auth-code
   * grant was issued to, and the custom connection of a single-organisation deployment.
   */
  appCredentials?: ClientCredentials;
  /** Called when a connection needs a person (the workflow pauses itself; this is for the outbox etc.). */
  onNeedsReauth?: (orgId: string) => Promise<void>;
  /** How long before expiry a token is replaced (default 5 minutes). */
  refreshAheadMs?: number;
}

/** The activities' interface plus what the connections API needs before a tenant is picked. */
export interface XeroTokenProvider extends XeroAccessProvider {
  /**
   * A valid access token for the organisation's grant, also while no tenant is linked yet
   * (`awaiting_tenant`): for `/connections` calls, which are not made on behalf of one tenant.
   */
  grantAccessToken(orgId: string): Promise<string>;
  /** The credentials of the Xero app the organisation's grant was issued to (to revoke it). */
  grantCredentials(orgId: string): Promise<ClientCredentials>;
}

/** A token and the tenant of the row it was read from (both from one read, so they belong together). */
interface Granted {
  accessToken: string;
  tenantId?: string;
  scopes?: string[];
}
const granted = (row: ConnectionSecrets, accessToken: string, scope?: string | null): Granted => ({
  accessToken,
  tenantId: row.xeroTenantId ?? undefined,
  scopes: parseScopes(scope ?? row.scopes),
});

interface Wanted {
  /** Accounting calls need the tenant; `/connections` calls do not. */
  needsTenant: boolean;
  /** Xero answered 401 to this token: refresh unless it was already replaced. */
  rejectedToken?: string;
}

export function createXeroTokenProvider(deps: TokenProviderDeps): XeroTokenProvider {
  const { db, secrets } = deps;
  const refreshAheadMs = deps.refreshAheadMs ?? REFRESH_AHEAD_MS;

  // The last token decrypted per organisation: every call reads the sealed token, few calls see a new one.
  const opened = new Map<string, { sealed: string; token: string }>();
  const freshToken = (row: ConnectionSecrets | undefined, now = Date.now()): string | undefined => {
    if (!row?.accessTokenEnc || !row.tokenExpiresAt) return undefined;
    if (row.tokenExpiresAt.getTime() - now <= refreshAheadMs) return undefined;
    const last = opened.get(row.orgId);
    if (last?.sealed === row.accessTokenEnc) return last.token;
    const token = secrets.decrypt(row.accessTokenEnc, `access_token:${row.orgId}`);
    opened.set(row.orgId, { sealed: row.accessTokenEnc, token });
    return token;
  };

  /** The organisation's connection, read with its plan in one statement; throws when it cannot be used. */
  const usableConnection = async (tx: DbOrTx, orgId: string, wanted: Wanted): Promise<ConnectionSecrets> => {
    const { planIncludesIntegrations, connection: row } = await getConnectionSecrets(tx, { orgId });
    if (planIncludesIntegrations === false) throw new XeroConnectionUnavailable('plan_required', "This organisation's plan does not include integrations.");
    if (!row) throw new XeroConnectionUnavailable('not_connected', 'No Xero connection: connect Xero in Settings > Integrations > Xero.');
    if (row.status === 'needs_reauth') throw new XeroConnectionUnavailable('needs_reauth', REAUTH_MESSAGE);
    if (row.status === 'disconnected') throw new XeroConnectionUnavailable('disconnected', 'Xero is disconnected: connect it again in Settings > Integrations > Xero.');
    if (wanted.needsTenant && (row.status !== 'connected' || !row.xeroTenantId)) {
      throw new XeroConnectionUnavailable('not_connected', 'No Xero organisation chosen yet: pick one in Settings > Integrations > Xero.');
    }
    return row;
  };

  const credentialsFor = (row: ConnectionSecrets): ClientCredentials => {
    const own = row.clientId && row.clientSecretEnc
      ? { clientId: row.clientId, clientSecret: secrets.decrypt(row.clientSecretEnc, `client_secret:${row.orgId}`) }
      : undefined;
    // A grant belongs to the app it was issued to: refreshing it with another client id is refused as
    // invalid_client. The connection records that app, so later settings changes cannot pick the wrong one.
    if (row.appClientId) {
      if (own?.clientId === row.appClientId) return own; // the organisation's own app (a rotated secret is fine)
      if (deps.appCredentials?.clientId === row.appClientId) return deps.appCredentials;
      throw new XeroConnectionUnavailable(
        'needs_reauth',
        `This Xero connection was made with the Xero app ${row.appClientId}, whose client secret is no longer configured: restore it in Settings > Integrations > Xero, or connect again.`,
      );
    }
    // Connections stored before the app was recorded: a custom connection may use the organisation's own
    // app; an auth-code grant belongs to the deployment's web app.
    if (row.authType === 'custom' && own) return own;
    if (deps.appCredentials) return deps.appCredentials;
    throw new XeroConnectionUnavailable(
      'needs_reauth',
      'No Xero client id and secret: set them in Settings > Integrations > Xero (or XERO_CLIENT_ID / XERO_CLIENT_SECRET).',
    );
  };

  const fetchTokens = (row: ConnectionSecrets, credentials: ClientCredentials) =>
    row.authType === 'custom'
      ? deps.identity.clientCredentials(credentials) // no refresh token: just ask for a new access token
      : deps.identity.refresh({ ...credentials, refreshToken: secrets.decrypt(row.refreshTokenEnc ?? '', `refresh_token:${row.orgId}`) });

  /** The one place a token is refreshed. */
  const refreshUnderLock = (orgId: string, wanted: Wanted): Promise<Granted> =>
    db
      .transaction(async (tx) => {
        // Serialise on the connection row: every other refresher for this organisation, in any process, waits here.
        await tx.execute(sql`select 1 from ${xeroConnections} where ${xeroConnections.orgId} = ${orgId} for update`);
        const row = await usableConnection(tx, orgId, wanted);
        const current = freshToken(row);
        if (current && current !== wanted.rejectedToken) return granted(row, current); // someone else refreshed meanwhile

        // No refresh token (consent without offline_access, or wiped): only a new consent helps.
        if (row.authType === 'oauth' && !row.refreshTokenEnc) {
          await markConnectionNeedsReauth(tx, { orgId, message: REAUTH_MESSAGE });
          return new XeroConnectionUnavailable('needs_reauth', REAUTH_MESSAGE);
        }
        try {
          const tokens = await fetchTokens(row, credentialsFor(row));
          await storeRefreshedTokens(tx, {
            orgId,
            accessTokenEnc: secrets.encrypt(tokens.accessToken, `access_token:${orgId}`),
            // Xero rotates the refresh token on every refresh: the new one is stored in this same transaction.
            refreshTokenEnc: tokens.refreshToken ? secrets.encrypt(tokens.refreshToken, `refresh_token:${orgId}`) : row.refreshTokenEnc,
            tokenExpiresAt: tokens.expiresAt,
            // What Xero granted this time (a custom connection's scopes change in the developer portal).
            scopes: tokens.scope,
          });
          deps.logger.info({ orgId, authType: row.authType, expiresAt: tokens.expiresAt }, 'Xero access token refreshed');
          return granted(row, tokens.accessToken, tokens.scope);
        } catch (err) {
          if (err instanceof XeroIdentityError && err.needsReauthorisation) {
            const message = row.authType === 'custom' && err.error === 'invalid_client' ? CUSTOM_CREDENTIALS_MESSAGE : REAUTH_MESSAGE;
            await markConnectionNeedsReauth(tx, { orgId, message });
            return new XeroConnectionUnavailable('needs_reauth', message);
          }
          throw err;
        }
      })
      .then(async (result) => {
        // Committed before throwing, so the needs_reauth status survives the failure.
        if (result instanceof XeroConnectionUnavailable) {
          deps.logger.warn({ orgId, problem: result.message }, 'Xero connection needs re-authorisation');
          await deps.onNeedsReauth?.(orgId).catch((err: unknown) => deps.logger.error({ orgId, err }, 'needs_reauth hook failed'));
          throw result;
        }
        return result;
      });

  // Callers in this process that want the same refresh share one promise.
  const inFlight = new Map<string, Promise<Granted>>();
  const refreshOnce = (orgId: string, wanted: Wanted): Promise<Granted> => {
    const key = `${orgId}\u0000${wanted.needsTenant}\u0000${wanted.rejectedToken ?? ''}`;
    const running = inFlight.get(key);
    if (running) return running;
    const started = refreshUnderLock(orgId, wanted).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };

  const accessToken = async (orgId: string, wanted: Wanted): Promise<Granted> => {
    if (!wanted.rejectedToken) {
      const row = await usableConnection(db, orgId, wanted);
      const current = freshToken(row);
      if (current) return granted(row, current);
    }
    return refreshOnce(orgId, wanted);
  };

  const forTenant = ({ accessToken, tenantId, scopes }: Granted): XeroAccess => {
    // usableConnection already refused a connection without a tenant when one is needed.
    if (!tenantId) throw new XeroConnectionUnavailable('not_connected', 'No Xero organisation chosen yet: pick one in Settings > Integrations > Xero.');
    return { accessToken, tenantId, scopes };
  };

  return {
    forOrg: async (orgId) => forTenant(await accessToken(orgId, { needsTenant: true })),
    afterUnauthorized: async (orgId, rejectedToken) => forTenant(await accessToken(orgId, { needsTenant: true, rejectedToken })),
    grantAccessToken: async (orgId) => (await accessToken(orgId, { needsTenant: false })).accessToken,
    grantCredentials: async (orgId) => {
      const { connection: row } = await getConnectionSecrets(db, { orgId });
      if (!row) throw new XeroConnectionUnavailable('not_connected', 'No Xero connection: connect Xero in Settings > Integrations > Xero.');
      return credentialsFor(row);
    },
  };
}
