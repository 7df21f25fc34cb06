/**
 * What the Xero integration routes need, built once from configuration (api/build.ts, the test stack).
 */
import type { Env } from '../../../../config/env.ts';
import type { SettingsDefaults } from '../../../../db/queries/settings.ts';
import type { SecretBox } from '../../../../lib/secret-box.ts';
import type { XeroClient } from '../../../../xero/client.ts';
import type { XeroServices } from '../../../../xero/from-env.ts';
import type { ClientCredentials, XeroIdentityClient } from '../../../../xero/identity-client.ts';
import type { XeroTokenProvider } from '../../../../xero/token-provider.ts';
import { settingsDefaultsFromEnv } from '../../../../config/settings-defaults.ts';
import { createOAuthStateSigner, type OAuthStateSigner } from '../../../oauth/state.ts';

/** The deployment's Xero web app (auth-code grants): XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_REDIRECT_URI, XERO_SCOPES. */
export interface XeroOAuthApp extends ClientCredentials {
  redirectUri: string;
  scopes: string;
}

/** A single-organisation deployment's custom connection: XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_TENANT_ID. */
export interface EnvCustomConnection extends ClientCredentials {
  tenantId: string;
  /** XERO_PLATFORM_ORG_ID: the platform organisation it is linked to at start-up. */
  platformOrgId: string;
}

export interface XeroIntegrationDeps {
  identity: XeroIdentityClient;
  secrets: SecretBox;
  tokens: XeroTokenProvider;
  /** Accounting calls on an admin's behalf (test connection, settings checks). */
  client: XeroClient;
  states: OAuthStateSigner;
  loginUrl: string;
  /** Path of XERO_REDIRECT_URI: where Xero sends the admin's browser back. */
  callbackPath: string;
  oauthApp?: XeroOAuthApp;
  /** XERO_REDIRECT_URI, also for organisations that bring their own Xero app. */
  redirectUri?: string;
  /** XERO_SCOPES: what a consent asks for. */
  scopes: string;
  envCustomConnection?: EnvCustomConnection;
  settingsDefaults: SettingsDefaults;
  /** How long a consent link stays valid (default 10 minutes). */
  stateTtlMs?: number;
  /** What the settings page's prerequisites show about the deployment (names, never secret values). */
  deployment?: DeploymentSetup;
}

import { deploymentSetupFromEnv, type DeploymentSetup } from './setup.ts';

export const DEFAULT_CALLBACK_PATH = '/auth/callback/xero';

export function xeroIntegrationFromEnv({ env, xero }: { env: Env; xero: XeroServices }): XeroIntegrationDeps {
  const app = xero.appCredentials;
  return {
    identity: xero.identity,
    secrets: xero.secrets,
    tokens: xero.tokens,
    client: xero.client,
    states: createOAuthStateSigner(env.ENCRYPTION_KEY),
    loginUrl: env.XERO_LOGIN_URL,
    callbackPath: env.XERO_REDIRECT_URI ? new URL(env.XERO_REDIRECT_URI).pathname : DEFAULT_CALLBACK_PATH,
    oauthApp: app && env.XERO_REDIRECT_URI ? { ...app, redirectUri: env.XERO_REDIRECT_URI, scopes: env.XERO_SCOPES } : undefined,
    redirectUri: env.XERO_REDIRECT_URI,
    scopes: env.XERO_SCOPES,
    envCustomConnection: app && env.XERO_TENANT_ID ? { ...app, tenantId: env.XERO_TENANT_ID, platformOrgId: env.XERO_PLATFORM_ORG_ID } : undefined,
    settingsDefaults: settingsDefaultsFromEnv(env),
    deployment: deploymentSetupFromEnv(env),
  };
}
