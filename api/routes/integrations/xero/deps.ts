/**
 * What the Xero integration routes need, built once from configuration (api/build.ts, the test stack).
 */
import type { Env } from '../../../../config/env.ts';
import type { Logger } from '../../../../config/logger.ts';
import type { Db } from '../../../../db/client.ts';
import type { SettingsDefaults } from '../../../../db/queries/settings.ts';
import { createSecretBox, type SecretBox } from '../../../../lib/secret-box.ts';
import { createXeroIdentityClient, type ClientCredentials, type XeroIdentityClient } from '../../../../activities/xero/identity-client.ts';
import { createXeroTokenProvider, type XeroTokenProvider } from '../../../../activities/xero/token-provider.ts';
import { settingsDefaultsFromEnv } from '../../../../config/settings-defaults.ts';
import { createOAuthStateSigner, type OAuthStateSigner } from '../../../oauth/state.ts';
import type { TenantWorkflows } from '../../../tenant-workflow.ts';
import type { SyncLifecycleHooks } from './sync-lifecycle.ts';
import type { ReconcileSchedules } from '../../../reconcile-schedules.ts';

/** The deployment's Xero web app (auth-code grants): XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_REDIRECT_URI, XERO_SCOPES. */
export interface XeroOAuthApp extends ClientCredentials {
  redirectUri: string;
  scopes: string;
}

/** A single-organisation deployment's custom connection: XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_TENANT_ID. */
export interface EnvCustomConnection extends ClientCredentials {
  tenantId: string;
}

export interface XeroIntegrationDeps {
  identity: XeroIdentityClient;
  secrets: SecretBox;
  tokens: XeroTokenProvider;
  states: OAuthStateSigner;
  /** Accounting under `${apiUrl}/api.xro/2.0`. */
  apiUrl: string;
  loginUrl: string;
  /** Path of XERO_REDIRECT_URI: where Xero sends the admin's browser back. */
  callbackPath: string;
  oauthApp?: XeroOAuthApp;
  envCustomConnection?: EnvCustomConnection;
  /** Scopes a connection must hold for the sync to work (checked by `POST .../test`). */
  requiredScopes: string[];
  settingsDefaults: SettingsDefaults;
  /** How long a consent link stays valid (default 10 minutes). */
  stateTtlMs?: number;
  /** Issue 7: the organisation's reconciliation schedule (`xero-reconcile:{orgId}`) follows the sync's state. */
  hooks?: SyncLifecycleHooks;
}

export const DEFAULT_CALLBACK_PATH = '/auth/callback/xero';

export function xeroIntegrationFromEnv({
  env,
  db,
  logger,
  tenants,
  schedules,
}: {
  env: Env;
  db: Db;
  logger: Logger;
  tenants: TenantWorkflows;
  /** The organisations' reconciliation schedules; they follow the sync's state through the lifecycle hooks. */
  schedules?: ReconcileSchedules;
}): XeroIntegrationDeps {
  const secrets = createSecretBox(env.ENCRYPTION_KEY);
  const identity = createXeroIdentityClient({ apiUrl: env.XERO_API_URL, identityUrl: env.XERO_IDENTITY_URL, loginUrl: env.XERO_LOGIN_URL });
  const app = env.XERO_CLIENT_ID && env.XERO_CLIENT_SECRET ? { clientId: env.XERO_CLIENT_ID, clientSecret: env.XERO_CLIENT_SECRET } : undefined;
  const tokens = createXeroTokenProvider({
    db,
    identity,
    secrets,
    logger,
    appCredentials: app,
    // The API refreshes too (test connection, settings checks): when it meets a dead grant, the
    // organisation's work stops at once instead of at the workflow's next Xero call.
    onNeedsReauth: async (orgId) => {
      await tenants.pause(orgId, 'needs_reauth');
      await schedules?.pause(orgId, 'needs_reauth');
    },
  });
  return {
    identity,
    secrets,
    tokens,
    states: createOAuthStateSigner(env.ENCRYPTION_KEY),
    apiUrl: env.XERO_API_URL,
    loginUrl: env.XERO_LOGIN_URL,
    callbackPath: env.XERO_REDIRECT_URI ? new URL(env.XERO_REDIRECT_URI).pathname : DEFAULT_CALLBACK_PATH,
    oauthApp: app && env.XERO_REDIRECT_URI ? { ...app, redirectUri: env.XERO_REDIRECT_URI, scopes: env.XERO_SCOPES } : undefined,
    envCustomConnection: app && env.XERO_TENANT_ID ? { ...app, tenantId: env.XERO_TENANT_ID } : undefined,
    requiredScopes: env.XERO_SCOPES.split(/\s+/).filter((s) => s && !['offline_access', 'openid', 'profile', 'email'].includes(s)),
    settingsDefaults: settingsDefaultsFromEnv(env),
    hooks: schedules?.hooks,
  };
}
