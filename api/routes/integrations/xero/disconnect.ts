/**
 * `POST /api/orgs/{orgId}/integrations/xero/disconnect`: removes the connection at Xero
 * (`DELETE /connections/{id}`, and revokes the grant when that was its last connection), wipes the tokens,
 * marks the connection `disconnected` and pauses the organisation's sync. Records on both sides stay, and
 * their sync state too: reconnecting carries on without pushing again what was already synced.
 *
 * The admin wants the sync to stop, so a Xero that cannot be reached does not block the local disconnect:
 * the answer says what could not be removed at Xero and how to finish it there.
 */
import type { RequestHandler } from 'express';
import { getConnection, markConnectionDisconnected, type XeroConnectionRow } from '../../../../db/queries/connections.ts';
import { HttpError } from '../../../errors.ts';
import { loadCard } from './card.ts';
import type { IntegrationContext } from './context.ts';
import { orgIdOf } from '../../params.ts';
import { xeroProblem } from './xero-problem.ts';

export interface RemovalAtXero {
  connectionRemoved: boolean;
  grantRevoked: boolean;
  message: string;
}

export function postDisconnect(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const row = await getConnection(ctx.db, { orgId });
    if (!row) throw new HttpError(409, 'not_connected', 'Xero was never connected for this organisation.');
    if (row.status === 'disconnected') {
      res.json({ ...(await loadCard(ctx.db, orgId)), xero: { connectionRemoved: false, grantRevoked: false, message: 'Already disconnected.' } });
      return;
    }
    const xero = await removeAtXero(ctx, orgId, row);
    await markConnectionDisconnected(ctx.db, { orgId });
    await ctx.lifecycle.pause(orgId, 'disconnected');
    ctx.logger.info({ orgId, ...xero }, 'Xero disconnected');
    res.json({ ...(await loadCard(ctx.db, orgId)), xero });
  };
}

async function removeAtXero(ctx: IntegrationContext, orgId: string, row: XeroConnectionRow): Promise<RemovalAtXero> {
  const inXero = 'remove the app in Xero (Settings > Connected apps) to finish';
  if (row.authType === 'custom') {
    // A custom connection is bought in Xero and stays authorised there; only Xero can end it.
    return { connectionRemoved: false, grantRevoked: false, message: `Stopped using the custom connection. It stays authorised in Xero: ${inXero}.` };
  }
  let connectionRemoved = false;
  try {
    const accessToken = await ctx.xero.tokens.grantAccessToken(orgId);
    if (row.xeroConnectionId) {
      await ctx.xero.identity.deleteConnection(accessToken, row.xeroConnectionId);
      connectionRemoved = true;
    }
    // Revocation ends every connection of the grant: only when nothing else of this consent is left.
    const left = (await ctx.xero.identity.listConnections(accessToken)).filter((c) => !row.authEventId || c.authEventId === row.authEventId);
    if (left.length > 0) {
      return { connectionRemoved, grantRevoked: false, message: `Disconnected. The consent still covers ${left.length} other Xero organisation(s), so it was not revoked.` };
    }
    const refreshTokenEnc = (await getConnection(ctx.db, { orgId }))?.refreshTokenEnc;
    if (refreshTokenEnc) {
      // With the app the grant was issued to (the organisation's own, or the deployment's).
      await ctx.xero.identity.revoke({ ...(await ctx.xero.tokens.grantCredentials(orgId)), refreshToken: ctx.xero.secrets.decrypt(refreshTokenEnc, `refresh_token:${orgId}`) });
    }
    return { connectionRemoved, grantRevoked: !!refreshTokenEnc, message: 'Disconnected and removed at Xero.' };
  } catch (err) {
    const problem = xeroProblem(err);
    if (!problem) throw err;
    ctx.logger.warn({ orgId, code: problem.code }, 'could not remove the connection at Xero');
    return { connectionRemoved, grantRevoked: false, message: `Disconnected here, but Xero could not be told (${problem.message}): ${inXero}.` };
  }
}
