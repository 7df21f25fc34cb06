/** Builds the activities' dependencies from configuration: the one wiring for production, dev and tests. */
import type { Env } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import { settingsDefaultsFromEnv } from '../config/settings-defaults.ts';
import { createSecretBox } from '../lib/secret-box.ts';
import type { ActivityDeps } from '../activities/deps.ts';
import { createXeroIdentityClient } from '../activities/xero/identity-client.ts';
import { createXeroTokenProvider } from '../activities/xero/token-provider.ts';

export function buildActivityDeps({ env, db, logger }: { env: Env; db: Db; logger: Logger }): ActivityDeps {
  const identity = createXeroIdentityClient({ apiUrl: env.XERO_API_URL, identityUrl: env.XERO_IDENTITY_URL, loginUrl: env.XERO_LOGIN_URL });
  const xeroAccess = createXeroTokenProvider({
    db,
    identity,
    secrets: createSecretBox(env.ENCRYPTION_KEY),
    logger,
    refreshAheadMs: env.XERO_TOKEN_REFRESH_AHEAD_MS,
    appCredentials: env.XERO_CLIENT_ID && env.XERO_CLIENT_SECRET ? { clientId: env.XERO_CLIENT_ID, clientSecret: env.XERO_CLIENT_SECRET } : undefined,
  });
  return {
    db,
    logger,
    xeroApiUrl: env.XERO_API_URL,
    xeroAccess,
    settingsDefaults: settingsDefaultsFromEnv(env),
    pacing: {
      perMinute: env.XERO_MINUTE_LIMIT,
      perDay: env.XERO_DAY_LIMIT,
      windowMs: env.XERO_RATE_WINDOW_MS,
      concurrency: env.XERO_CONCURRENCY,
      minuteReserve: 1,
      dayReserve: 50,
      callTimeoutMs: env.XERO_CALL_TIMEOUT_MS,
    },
    contactMatchOrder: env.XERO_CONTACT_MATCH,
    applyXeroContactEdits: env.XERO_APPLY_CONTACT_EDITS,
  };
}

// Kept for callers that imported it from here before it moved to config/.
export { settingsDefaultsFromEnv } from '../config/settings-defaults.ts';
