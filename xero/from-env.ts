/**
 * The Xero client's parts wired from configuration, once for every process (worker, API, dev, tests), so
 * that both sides follow one refresh policy (XERO_TOKEN_REFRESH_AHEAD_MS) and one app (XERO_CLIENT_ID).
 */
import type { Env } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import { createSecretBox, type SecretBox } from '../lib/secret-box.ts';
import { createXeroClient, type XeroCallObserver, type XeroClient } from './client.ts';
import { createXeroIdentityClient, type ClientCredentials, type XeroIdentityClient } from './identity-client.ts';
import { createXeroTokenProvider, type XeroTokenProvider } from './token-provider.ts';

export interface XeroServices {
  identity: XeroIdentityClient;
  tokens: XeroTokenProvider;
  client: XeroClient;
  secrets: SecretBox;
  /** The deployment's own Xero app (XERO_CLIENT_ID / XERO_CLIENT_SECRET), when configured. */
  appCredentials?: ClientCredentials;
}

export function xeroServicesFromEnv({
  env,
  db,
  logger,
  onNeedsReauth,
  onXeroCall,
}: {
  env: Env;
  db: Db;
  logger: Logger;
  /** Called once a connection is found to need re-authorisation (pause the organisation, its schedule...). */
  onNeedsReauth?: (orgId: string) => Promise<void>;
  /** Told of every Accounting request (the process's metrics count them). */
  onXeroCall?: XeroCallObserver;
}): XeroServices {
  const secrets = createSecretBox(env.ENCRYPTION_KEY);
  const identity = createXeroIdentityClient({ apiUrl: env.XERO_API_URL, identityUrl: env.XERO_IDENTITY_URL, loginUrl: env.XERO_LOGIN_URL });
  const appCredentials = env.XERO_CLIENT_ID && env.XERO_CLIENT_SECRET ? { clientId: env.XERO_CLIENT_ID, clientSecret: env.XERO_CLIENT_SECRET } : undefined;
  const tokens = createXeroTokenProvider({ db, identity, secrets, logger, appCredentials, onNeedsReauth, refreshAheadMs: env.XERO_TOKEN_REFRESH_AHEAD_MS });
  return { identity, tokens, secrets, appCredentials, client: createXeroClient({ apiUrl: env.XERO_API_URL, access: tokens, timeoutMs: env.XERO_CALL_TIMEOUT_MS, onCall: onXeroCall }) };
}
