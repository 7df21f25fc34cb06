/**
 * Which Xero web app an organisation's OAuth consent uses. An organisation may bring its own (the CRM
 * guide: "Copy Client ID and Client Secret and paste it on this screen, then select Save, then click
 * Connect"): with a client id and secret in its settings, its consent, code exchange, refreshes and
 * revocation use that app; otherwise the deployment's (XERO_CLIENT_ID / XERO_CLIENT_SECRET). Either way
 * Xero sends the browser back to XERO_REDIRECT_URI, which the admin registers as their app's redirect URI.
 */
import type { ClientCredentials } from '../../../../xero/identity-client.ts';
import { getOrgSettings } from '../../../../db/queries/settings.ts';
import { HttpError } from '../../../errors.ts';
import type { IntegrationContext } from './context.ts';

export interface ConsentApp extends ClientCredentials {
  source: 'organisation' | 'deployment';
  redirectUri: string;
  scopes: string;
}

export async function consentAppFor({ db, xero }: IntegrationContext, orgId: string): Promise<ConsentApp> {
  const settings = await getOrgSettings(db, { orgId });
  if (settings?.clientId && settings.clientSecretEnc) {
    if (!xero.redirectUri) {
      throw new HttpError(
        409,
        'redirect_uri_not_configured',
        "This deployment has no XERO_REDIRECT_URI: set it to the callback URL (e.g. https://sync.example.com/auth/callback/xero) and register the same URL as your Xero app's redirect URI.",
      );
    }
    const clientSecret = xero.secrets.decrypt(settings.clientSecretEnc, `client_secret:${orgId}`);
    return { source: 'organisation', clientId: settings.clientId, clientSecret, redirectUri: xero.redirectUri, scopes: xero.scopes };
  }
  if (settings?.clientId) {
    throw new HttpError(422, 'xero_app_incomplete', 'A client id is set but no client secret: add the secret in the Xero settings, then connect again.', [
      { path: 'settings.clientSecret', message: "required to connect with your own Xero app" },
    ]);
  }
  if (xero.oauthApp) return { source: 'deployment', ...xero.oauthApp };
  throw new HttpError(
    409,
    'xero_app_not_configured',
    'This deployment has no Xero web app: set XERO_CLIENT_ID, XERO_CLIENT_SECRET and XERO_REDIRECT_URI, enter your own Xero app\'s client id and secret in the settings, or use a custom connection ({"type":"custom"}).',
  );
}

/**
 * The credentials of the app a consent was started with (`clientId` from its stored state), for its code
 * exchange. The settings may have changed while the admin was on Xero's page: then the code belongs to an
 * app we no longer hold the secret of, and the admin starts again.
 */
export async function consentAppCredentials({ db, xero }: IntegrationContext, orgId: string, clientId: string | null): Promise<ClientCredentials> {
  if (xero.oauthApp && (clientId === null || clientId === xero.oauthApp.clientId)) return xero.oauthApp;
  const settings = await getOrgSettings(db, { orgId });
  if (clientId && settings?.clientId === clientId && settings.clientSecretEnc) {
    return { clientId, clientSecret: xero.secrets.decrypt(settings.clientSecretEnc, `client_secret:${orgId}`) };
  }
  throw new HttpError(409, 'xero_app_changed', 'The Xero app in the settings changed while the consent was open, so this consent cannot be finished. Start again from Settings > Integrations > Xero.');
}
