/**
 * A Custom Connection (client credentials, bound to one Xero organisation): the organisation's own client
 * id and secret from its settings, or, for a single-organisation deployment, XERO_CLIENT_ID /
 * XERO_CLIENT_SECRET / XERO_TENANT_ID. No consent page and no refresh token: a new access token is simply
 * requested before the old one expires (the token provider does that).
 */
import { XeroIdentityError, type ClientCredentials } from '../../../../xero/identity-client.ts';
import { getOrgSettings } from '../../../../db/queries/settings.ts';
import { ensureOrganisation } from '../../../../db/queries/organisations.ts';
import { HttpError } from '../../../errors.ts';
import type { IntegrationContext } from './context.ts';
import { asLinkedTenant, encryptGrant, linkTenantOrConflict } from './link-tenant.ts';

interface CustomCredentials extends ClientCredentials {
  source: 'settings' | 'environment';
  /** Environment only: the Xero organisation the deployment is configured for. */
  expectedTenantId?: string;
}

async function credentialsFor({ db, xero }: IntegrationContext, orgId: string): Promise<CustomCredentials> {
  const settings = await getOrgSettings(db, { orgId });
  if (settings?.clientId && settings.clientSecretEnc) {
    return { source: 'settings', clientId: settings.clientId, clientSecret: xero.secrets.decrypt(settings.clientSecretEnc, `client_secret:${orgId}`) };
  }
  if (settings?.clientId) {
    throw new HttpError(422, 'custom_connection_incomplete', 'A client id is set but no client secret: add the secret in the Xero settings, then connect again.', [
      { path: 'settings.clientSecret', message: 'required for a custom connection' },
    ]);
  }
  if (xero.envCustomConnection) {
    const { clientId, clientSecret, tenantId } = xero.envCustomConnection;
    return { source: 'environment', clientId, clientSecret, expectedTenantId: tenantId };
  }
  throw new HttpError(
    422,
    'custom_connection_not_configured',
    "No custom connection credentials: set the custom connection's client id and secret in the Xero settings first.",
    [{ path: 'settings.clientId', message: 'required for a custom connection' }],
  );
}

export async function connectCustom(ctx: IntegrationContext, { orgId }: { orgId: string }): Promise<void> {
  const { db, xero, logger } = ctx;
  const credentials = await credentialsFor(ctx, orgId);
  let tokens;
  try {
    tokens = await xero.identity.clientCredentials(credentials);
  } catch (err) {
    if (err instanceof XeroIdentityError && err.needsReauthorisation) {
      const where = credentials.source === 'settings' ? 'the Xero settings' : 'XERO_CLIENT_ID / XERO_CLIENT_SECRET';
      throw new HttpError(
        422,
        'xero_credentials_refused',
        `Xero refused the custom connection's client id or secret (${err.error}): check them in ${where}; they must belong to a Custom Connection app, not a Web app.`,
      );
    }
    throw err;
  }
  // A custom connection's token sees exactly the one organisation it was set up for.
  const [tenant] = (await xero.identity.listConnections(tokens.accessToken)).filter((c) => c.tenantType === 'ORGANISATION');
  if (!tenant) {
    throw new HttpError(422, 'custom_connection_without_organisation', 'Xero says this custom connection is not authorised for any organisation yet: finish its setup in Xero, then connect again.');
  }
  if (credentials.expectedTenantId && tenant.tenantId !== credentials.expectedTenantId) {
    throw new HttpError(
      409,
      'tenant_mismatch',
      `XERO_TENANT_ID is ${credentials.expectedTenantId} but these credentials act on Xero organisation ${tenant.tenantName ?? tenant.tenantId} (${tenant.tenantId}): fix the environment.`,
    );
  }
  await ensureOrganisation(db, { orgId });
  await linkTenantOrConflict(db, {
    orgId,
    authType: 'custom',
    tenant: asLinkedTenant(tenant),
    grant: encryptGrant(xero.secrets, orgId, tokens, null),
  });
  logger.info({ orgId, tenantId: tenant.tenantId, source: credentials.source }, 'Xero custom connection linked');
}
