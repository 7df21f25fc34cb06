/**
 * Starting an OAuth2 consent: PKCE, a stored single-use consent row, a signed expiring state bound to
 * the organisation, and Xero's consent URL for the admin's browser.
 */
import { consentUrl } from '../../../../xero/identity-client.ts';
import { createOAuthState, deleteStaleOAuthStates } from '../../../../db/queries/oauth-states.ts';
import { ensureOrganisation } from '../../../../db/queries/organisations.ts';
import { createPkce } from '../../../oauth/pkce.ts';
import type { IntegrationContext } from './context.ts';
import { consentAppFor } from './oauth-app.ts';

const DEFAULT_STATE_TTL_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface StartedConsent {
  type: 'oauth';
  /** Whose Xero app the consent is for: the organisation's own (from its settings) or the deployment's. */
  app: 'organisation' | 'deployment';
  consentUrl: string;
  expiresAt: string;
}

export async function startConsent(ctx: IntegrationContext, { orgId, requestedBy }: { orgId: string; requestedBy: string }): Promise<StartedConsent> {
  const { db, xero } = ctx;
  const app = await consentAppFor(ctx, orgId);
  const pkce = createPkce();
  const expiresAt = new Date(Date.now() + (xero.stateTtlMs ?? DEFAULT_STATE_TTL_MS));
  await ensureOrganisation(db, { orgId });
  const { id: stateId } = await createOAuthState(db, {
    orgId,
    codeVerifierEnc: xero.secrets.encrypt(pkce.verifier, `code_verifier:${orgId}`),
    redirectUri: app.redirectUri,
    clientId: app.clientId,
    requestedBy,
    expiresAt,
  });
  await deleteStaleOAuthStates(db, { before: new Date(Date.now() - DAY_MS) });
  const state = await xero.states.sign({ orgId, stateId }, expiresAt);
  return {
    type: 'oauth',
    app: app.source,
    consentUrl: consentUrl(xero.loginUrl, { clientId: app.clientId, redirectUri: app.redirectUri, scope: app.scopes, state, codeChallenge: pkce.challenge }),
    expiresAt: expiresAt.toISOString(),
  };
}
