/**
 * The OAuth2 callback (`XERO_REDIRECT_URI`'s path, e.g. `/auth/callback/xero`). A browser redirect, so
 * there is no bearer token: the signed, expiring, single-use state is what authorises it, and it names the
 * organisation. Exchanges the code (with the PKCE verifier), reads `/connections`, and either links the
 * one Xero organisation of this consent or keeps the grant until the admin picks one.
 */
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { XeroIdentityError, type TokenSet } from '../../../../xero/identity-client.ts';
import { storeGrantAwaitingTenant } from '../../../../db/queries/connections.ts';
import { consumeOAuthState } from '../../../../db/queries/oauth-states.ts';
import { getIntegrationsPlan } from '../../../../db/queries/org-plan.ts';
import { OAuthStateError } from '../../../oauth/state.ts';
import { answerCallback, type CallbackOutcome } from './callback-page.ts';
import { loadCard } from './card.ts';
import type { IntegrationContext } from './context.ts';
import { PLAN_REQUIRED_MESSAGE } from './guards.ts';
import { consentAppCredentials } from './oauth-app.ts';
import { asLinkedTenant, authEventIdOf, consentedOrganisations, encryptGrant, linkTenantOrConflict } from './link-tenant.ts';
import { xeroProblem } from './xero-problem.ts';

const WHERE = 'Settings > Integrations > Xero';
const START_AGAIN = `Start again from ${WHERE}.`;

// Loose on purpose: Xero adds parameters of its own (scope, session_state).
export const callbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/** Expected endings of a consent, each with what to do next. */
const refused = (status: number, code: string, title: string, message: string): CallbackOutcome => ({ status, code, title, message });

export function xeroOAuthCallback(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    let outcome: CallbackOutcome;
    try {
      outcome = await finishConsent(ctx, req);
    } catch (err) {
      const problem = xeroProblem(err);
      if (!problem || problem.status >= 500) ctx.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'Xero consent could not be finished');
      outcome = problem
        ? refused(problem.status, problem.code, 'Xero was not connected', problem.message)
        : refused(500, 'internal_error', 'Xero was not connected', `Something went wrong on our side; it has been logged. ${START_AGAIN}`);
    }
    ctx.logger.info({ outcome: outcome.code, status: outcome.status }, 'Xero consent callback');
    if (!(await ctx.returnToPage?.(req, res, outcome))) answerCallback(req, res, outcome);
  };
}

async function finishConsent(ctx: IntegrationContext, req: Request): Promise<CallbackOutcome> {
  const { db, xero } = ctx;
  const query = callbackQuery.safeParse(req.query);
  if (!query.success || !query.data.state) {
    return refused(400, 'invalid_state', 'This link is not a Xero consent', `The link is incomplete or was altered. ${START_AGAIN}`);
  }
  const { code, state, error } = query.data;

  let orgId: string;
  let stateId: string;
  try {
    ({ orgId, stateId } = await xero.states.verify(state));
  } catch (err) {
    if (err instanceof OAuthStateError && err.problem === 'expired') return expired();
    return refused(400, 'invalid_state', 'This link is not a Xero consent', `The link is incomplete or was altered. ${START_AGAIN}`);
  }

  if (!(await getIntegrationsPlan(db, { orgId }))) return refused(403, 'plan_required', 'Xero was not connected', PLAN_REQUIRED_MESSAGE);

  // Single use, before anything else: a denied, failed or replayed callback can never be finished later.
  const consumed = await consumeOAuthState(db, { orgId, stateId });
  if (consumed.outcome !== 'ok') {
    if (consumed.outcome === 'expired') return expired();
    if (consumed.outcome === 'used') {
      return refused(409, 'state_used', 'This consent link was already used', `Each Xero consent can be finished once. If Xero is not connected yet, start again from ${WHERE}.`);
    }
    return refused(400, 'invalid_state', 'This link is not a Xero consent', `We have no record of this consent. ${START_AGAIN}`);
  }

  if (error === 'access_denied') {
    return refused(400, 'consent_denied', 'Xero was not connected', `Access was declined on Xero's consent page, so nothing was connected. To connect, start again from ${WHERE} and choose "Allow access".`);
  }
  if (error || !code) {
    return refused(400, 'consent_failed', 'Xero was not connected', `Xero ended the consent with "${error ?? 'no authorisation code'}". ${START_AGAIN}`);
  }
  const app = await consentAppCredentials(ctx, orgId, consumed.clientId);

  let tokens: TokenSet;
  try {
    tokens = await xero.identity.exchangeCode({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      code,
      redirectUri: consumed.redirectUri,
      codeVerifier: xero.secrets.decrypt(consumed.codeVerifierEnc, `code_verifier:${orgId}`),
    });
  } catch (err) {
    if (err instanceof XeroIdentityError && err.error === 'invalid_grant') {
      return refused(400, 'code_rejected', 'Xero was not connected', `Xero refused the authorisation code: it was already used or has expired. ${START_AGAIN}`);
    }
    throw err;
  }

  const authEventId = authEventIdOf(tokens.accessToken);
  const organisations = consentedOrganisations(await xero.identity.listConnections(tokens.accessToken), authEventId);
  const grant = encryptGrant(xero.secrets, orgId, tokens, { authEventId: authEventId ?? organisations[0]?.authEventId ?? null, appClientId: app.clientId });

  if (organisations.length === 0) {
    return refused(422, 'no_organisation', 'Xero was not connected', `The consent did not include any Xero organisation. ${START_AGAIN} and select an organisation on Xero's page.`);
  }
  if (organisations.length > 1) {
    await storeGrantAwaitingTenant(db, { orgId, grant });
    const names = organisations.map((o) => o.tenantName ?? o.tenantId);
    return {
      status: 200,
      code: 'awaiting_tenant',
      title: 'Choose a Xero organisation',
      message: `Your consent covers ${names.length} Xero organisations (${names.join(', ')}). Choose the one to sync with in Settings > Integrations > Xero.`,
      data: { tenants: organisations.map((o) => ({ tenantId: o.tenantId, tenantName: o.tenantName ?? null })) },
    };
  }

  const [only] = organisations;
  await linkTenantOrConflict(db, { orgId, authType: 'oauth', tenant: asLinkedTenant(only!), grant });
  await ctx.lifecycle.resume(orgId);
  const card = await loadCard(db, orgId);
  return {
    status: 200,
    code: 'connected',
    title: 'Xero connected',
    message: `Connected to the Xero organisation '${card.xeroOrganisationName ?? only!.tenantId}'. Pending records will now sync.`,
    data: { card },
  };
}

function expired(): CallbackOutcome {
  return refused(400, 'state_expired', 'This consent link has expired', `Consent links are valid for a few minutes and this one ran out before Xero sent you back. ${START_AGAIN}`);
}
