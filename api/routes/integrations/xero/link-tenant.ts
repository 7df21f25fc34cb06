/**
 * Storing a grant against one Xero organisation, shared by the OAuth callback, the tenant pick and the
 * custom connection. Tokens are encrypted here, with the contexts the token provider reads them with.
 */
import { decodeJwt } from 'jose';
import type { TokenSet, XeroTenantConnection } from '../../../../xero/identity-client.ts';
import type { ConnectionAuthType } from '../../../../db/schema/index.ts';
import {
  chooseXeroTenant,
  isTenantLinkedElsewhere,
  isTenantTakenError,
  linkXeroTenant,
  type EncryptedGrant,
  type LinkedTenant,
} from '../../../../db/queries/connections.ts';
import type { DbOrTx } from '../../../../db/client.ts';
import type { SecretBox } from '../../../../lib/secret-box.ts';
import { HttpError } from '../../../errors.ts';

export function encryptGrant(
  secrets: SecretBox,
  orgId: string,
  tokens: TokenSet,
  { authEventId, appClientId }: { authEventId: string | null; appClientId: string },
): EncryptedGrant {
  return {
    appClientId,
    accessTokenEnc: secrets.encrypt(tokens.accessToken, `access_token:${orgId}`),
    refreshTokenEnc: tokens.refreshToken ? secrets.encrypt(tokens.refreshToken, `refresh_token:${orgId}`) : null,
    tokenExpiresAt: tokens.expiresAt,
    // What Xero granted, not what was asked for (a custom connection's scopes are set in Xero's portal).
    scopes: tokens.scope ?? null,
    authEventId,
  };
}

/**
 * Xero's access tokens are JWTs naming the consent (`authentication_event_id`); `/connections` rows carry
 * the same id, so the organisations of THIS consent can be told from older ones of the same user.
 * Read without verification: the token came straight from the identity service over TLS.
 */
export function authEventIdOf(accessToken: string): string | null {
  try {
    const claim = decodeJwt(accessToken).authentication_event_id;
    return typeof claim === 'string' && claim ? claim : null;
  } catch {
    return null; // not a JWT (some Xero-compatible servers): every listed connection counts
  }
}

/** Organisations (not practices) this consent covers. */
export function consentedOrganisations(connections: XeroTenantConnection[], authEventId: string | null): XeroTenantConnection[] {
  const organisations = connections.filter((c) => c.tenantType === 'ORGANISATION');
  const ofThisConsent = authEventId ? organisations.filter((c) => c.authEventId === authEventId) : [];
  return ofThisConsent.length > 0 ? ofThisConsent : organisations;
}

export const asLinkedTenant = (c: XeroTenantConnection): LinkedTenant => ({ tenantId: c.tenantId, tenantName: c.tenantName ?? null, connectionId: c.id });

export function tenantTaken(tenantName: string | null): HttpError {
  const which = tenantName ? `The Xero organisation '${tenantName}'` : 'This Xero organisation';
  return new HttpError(
    409,
    'tenant_linked_elsewhere',
    `${which} is already linked to another organisation on this platform: disconnect it there first, or choose another Xero organisation.`,
  );
}

/** Links the tenant, or answers 409 when another platform organisation holds it (checked, and enforced by the unique index). */
export async function linkTenantOrConflict(
  db: DbOrTx,
  args: { orgId: string; authType: ConnectionAuthType; tenant: LinkedTenant; grant: EncryptedGrant },
): Promise<void> {
  if (await isTenantLinkedElsewhere(db, { orgId: args.orgId, tenantId: args.tenant.tenantId })) throw tenantTaken(args.tenant.tenantName);
  try {
    await linkXeroTenant(db, args);
  } catch (err) {
    if (isTenantTakenError(err)) throw tenantTaken(args.tenant.tenantName);
    throw err;
  }
}

export async function chooseTenantOrConflict(db: DbOrTx, { orgId, tenant }: { orgId: string; tenant: LinkedTenant }): Promise<boolean> {
  if (await isTenantLinkedElsewhere(db, { orgId, tenantId: tenant.tenantId })) throw tenantTaken(tenant.tenantName);
  try {
    return await chooseXeroTenant(db, { orgId, tenant });
  } catch (err) {
    if (isTenantTakenError(err)) throw tenantTaken(tenant.tenantName);
    throw err;
  }
}
