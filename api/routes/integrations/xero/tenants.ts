/**
 * When one consent covers several Xero organisations, the admin picks one:
 * `GET .../tenants` lists the consent's organisations (marking those linked to another platform
 * organisation), `POST .../tenant {tenantId}` links the chosen one.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { XeroTenantConnection } from '../../../../xero/identity-client.ts';
import { getConnection, isTenantLinkedElsewhere, type XeroConnectionRow } from '../../../../db/queries/connections.ts';
import { HttpError, validationError } from '../../../errors.ts';
import { loadCard } from './card.ts';
import type { IntegrationContext } from './context.ts';
import { orgIdOf } from '../../params.ts';
import { asLinkedTenant, chooseTenantOrConflict, consentedOrganisations } from './link-tenant.ts';
import { throwAsXeroProblem } from './xero-problem.ts';

export const pickBody = z.strictObject({ tenantId: z.string().trim().min(1).max(100) });

/** Only an OAuth grant that is usable can be asked for its organisations. */
async function pickableGrant({ db }: IntegrationContext, orgId: string): Promise<XeroConnectionRow> {
  const row = await getConnection(db, { orgId });
  if (!row || row.authType !== 'oauth' || (row.status !== 'awaiting_tenant' && row.status !== 'connected')) {
    throw new HttpError(409, 'no_consent_to_pick_from', 'There is no Xero consent to choose an organisation from: connect Xero first ("type":"oauth").');
  }
  return row;
}

async function consentOrganisations(ctx: IntegrationContext, orgId: string, row: XeroConnectionRow): Promise<XeroTenantConnection[]> {
  try {
    const accessToken = await ctx.xero.tokens.grantAccessToken(orgId);
    return consentedOrganisations(await ctx.xero.identity.listConnections(accessToken), row.authEventId);
  } catch (err) {
    throwAsXeroProblem(err);
  }
}

export function getTenants(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const row = await pickableGrant(ctx, orgId);
    const organisations = await consentOrganisations(ctx, orgId, row);
    const tenants = await Promise.all(
      organisations.map(async (o) => ({
        tenantId: o.tenantId,
        tenantName: o.tenantName ?? null,
        current: row.status === 'connected' && row.xeroTenantId === o.tenantId,
        linkedElsewhere: await isTenantLinkedElsewhere(ctx.db, { orgId, tenantId: o.tenantId }),
      })),
    );
    res.json({ status: row.status, tenants });
  };
}

export function postTenant(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const body = pickBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);
    const row = await pickableGrant(ctx, orgId);
    const organisations = await consentOrganisations(ctx, orgId, row);
    const chosen = organisations.find((o) => o.tenantId === body.data.tenantId);
    if (!chosen) {
      const choices = organisations.map((o) => `${o.tenantId} (${o.tenantName ?? 'unnamed'})`).join(', ');
      throw new HttpError(422, 'validation_failed', `Xero organisation ${body.data.tenantId} is not part of this consent. Choose one of: ${choices}`, [
        { path: 'body.tenantId', message: `not part of this consent; choose one of: ${choices}` },
      ]);
    }
    if (!(await chooseTenantOrConflict(ctx.db, { orgId, tenant: asLinkedTenant(chosen) }))) {
      throw new HttpError(409, 'no_consent_to_pick_from', 'The Xero connection changed meanwhile: reload and try again.');
    }
    await releaseUnchosen(ctx, orgId, organisations.filter((o) => o.tenantId !== chosen.tenantId));
    await ctx.lifecycle.resume(orgId);
    res.json(await loadCard(ctx.db, orgId));
  };
}

/**
 * The consent's other organisations would stay connected to our app at Xero, unused, counting against the
 * app's connection tier: remove them, unless another platform organisation syncs with one. Best effort.
 */
async function releaseUnchosen(ctx: IntegrationContext, orgId: string, unchosen: XeroTenantConnection[]): Promise<void> {
  if (unchosen.length === 0) return;
  try {
    const accessToken = await ctx.xero.tokens.grantAccessToken(orgId);
    for (const connection of unchosen) {
      if (await isTenantLinkedElsewhere(ctx.db, { orgId, tenantId: connection.tenantId })) continue;
      await ctx.xero.identity.deleteConnection(accessToken, connection.id);
    }
  } catch (err) {
    ctx.logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, 'could not remove the unchosen Xero connections');
  }
}
