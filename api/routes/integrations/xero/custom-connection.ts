/**
 * A Custom Connection (client credentials, bound to one Xero organisation): the organisation's own client
 * id and secret from its settings, or, for a single-organisation deployment, XERO_CLIENT_ID /
 * XERO_CLIENT_SECRET / XERO_TENANT_ID. No consent page and no refresh token: a new access token is simply
 * requested before the old one expires (the token provider does that).
 */
import { XeroIdentityError, type ClientCredentials } from '../../../../xero/identity-client.ts';
import { getOrgSettings } from '../../../../db/queries/settings.ts';
import { ensureOrganisation } from '../../../../db/queries/organisations.ts';
import { getConnection, lockOrganisationLink } from '../../../../db/queries/connections.ts';
import { HttpError } from '../../../errors.ts';
import type { IntegrationContext } from './context.ts';
import { asLinkedTenant, encryptGrant, linkTenantOrConflict } from './link-tenant.ts';

export interface CustomCredentials extends ClientCredentials {
  source: 'settings' | 'environment';
  /** Environment only: the Xero organisation the deployment is configured for. */
  expectedTenantId?: string;
}

async function credentialsFor(ctx: IntegrationContext, orgId: string): Promise<CustomCredentials> {
  const { db, xero } = ctx;
  const settings = await getOrgSettings(db, { orgId });
  if (settings?.clientId && settings.clientSecretEnc) {
    return { source: 'settings', clientId: settings.clientId, clientSecret: xero.secrets.decrypt(settings.clientSecretEnc, `client_secret:${orgId}`) };
  }
  if (settings?.clientId) {
    throw new HttpError(422, 'custom_connection_incomplete', 'A client id is set but no client secret: add the secret in the Xero settings, then connect again.', [
      { path: 'settings.clientSecret', message: 'required for a custom connection' },
    ]);
  }
  const environment = environmentCredentials(ctx);
  if (environment) return environment;
  throw new HttpError(
    422,
    'custom_connection_not_configured',
    "No custom connection credentials: set the custom connection's client id and secret in the Xero settings first.",
    [{ path: 'settings.clientId', message: 'required for a custom connection' }],
  );
}

export async function connectCustom(ctx: IntegrationContext, { orgId }: { orgId: string }): Promise<void> {
  const credentials = await credentialsFor(ctx, orgId);
  await linkCustomConnection(ctx, { orgId, credentials });
}

/** The environment's custom connection (XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_TENANT_ID), whatever the settings say. */
export function environmentCredentials({ xero }: IntegrationContext): CustomCredentials | undefined {
  if (!xero.envCustomConnection) return undefined;
  const { clientId, clientSecret, tenantId } = xero.envCustomConnection;
  return { source: 'environment', clientId, clientSecret, expectedTenantId: tenantId };
}

/**
 * Client credentials → the one organisation they act on (checked against XERO_TENANT_ID when from the
 * environment) → linked. With `onlyIfUnlinked`, nothing happens (`false`) when the organisation already has
 * a connection row of any status, decided under a lock so that several processes starting at once link it
 * once: a connection an admin disconnected stays disconnected.
 */
export async function linkCustomConnection(
  ctx: IntegrationContext,
  { orgId, credentials, onlyIfUnlinked = false }: { orgId: string; credentials: CustomCredentials; onlyIfUnlinked?: boolean },
): Promise<boolean> {
  const { db, xero, logger } = ctx;
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
  const grant = encryptGrant(xero.secrets, orgId, tokens, { authEventId: null, appClientId: credentials.clientId });
  const linked = await db.transaction(async (tx) => {
    await ensureOrganisation(tx, { orgId });
    if (onlyIfUnlinked) {
      await lockOrganisationLink(tx, { orgId });
      if (await getConnection(tx, { orgId })) return false;
    }
    await linkTenantOrConflict(tx, { orgId, authType: 'custom', tenant: asLinkedTenant(tenant), grant });
    return true;
  });
  if (linked) logger.info({ orgId, tenantId: tenant.tenantId, source: credentials.source }, 'Xero custom connection linked');
  return linked;
}
