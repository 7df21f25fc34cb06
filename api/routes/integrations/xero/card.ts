/**
 * `GET /api/orgs/{orgId}/integrations/xero`: the integration card on the settings page. Status, which
 * Xero organisation, token expiry, when connected, last sync, and what to do next; revenue recognition's
 * totals. Never a token.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { DbOrTx } from '../../../../db/client.ts';
import { connectionAuthTypes, connectionStatuses } from '../../../../db/schema/index.ts';
import { getConnection, getLastSyncAt, type XeroConnectionRow } from '../../../../db/queries/connections.ts';
import type { IntegrationContext } from './context.ts';
import { orgIdOf } from '../../params.ts';
import { revenueRecognitionSummary } from '../../revenue/summary.ts';

const instant = z.iso.datetime({ offset: true }).nullable();

/** The card's shape: the handler's type and the OpenAPI document's schema (api/openapi). */
export const integrationCardSchema = z.object({
  orgId: z.string(),
  status: z.enum([...connectionStatuses, 'not_connected']),
  authType: z.enum(connectionAuthTypes).nullable(),
  xeroTenantId: z.string().nullable(),
  xeroOrganisationName: z.string().nullable(),
  tokenExpiresAt: instant,
  connectedAt: instant,
  lastSyncAt: instant,
  scopes: z.array(z.string()),
  message: z.string().nullable().meta({ description: 'What the admin should do next, when anything.' }),
});
export type IntegrationCard = z.infer<typeof integrationCardSchema>;

const nextStep: Record<IntegrationCard['status'], string | null> = {
  not_connected: 'Not connected: connect Xero in Settings > Integrations > Xero.',
  awaiting_tenant: 'Your Xero login covers several organisations: choose the one to sync with.',
  needs_reauth: null, // the stored lastError says exactly why
  disconnected: 'Disconnected: nothing syncs until Xero is connected again. Records already synced stay as they are.',
  connected: null,
};

export function presentCard(orgId: string, row: XeroConnectionRow | undefined, lastSyncAt: Date | null): IntegrationCard {
  const status = row?.status ?? 'not_connected';
  return {
    orgId,
    status,
    authType: row?.authType ?? null,
    xeroTenantId: row?.xeroTenantId ?? null,
    xeroOrganisationName: row?.xeroTenantName ?? null,
    tokenExpiresAt: row?.tokenExpiresAt?.toISOString() ?? null,
    connectedAt: row?.connectedAt?.toISOString() ?? null,
    lastSyncAt: lastSyncAt?.toISOString() ?? null,
    scopes: row?.scopes ? row.scopes.split(/\s+/).filter(Boolean) : [],
    message: row?.lastError ?? nextStep[status],
  };
}

export async function loadCard(db: DbOrTx, orgId: string): Promise<IntegrationCard> {
  const [row, lastSyncAt] = await Promise.all([getConnection(db, { orgId }), getLastSyncAt(db, { orgId })]);
  return presentCard(orgId, row, lastSyncAt);
}

/** The card, and on the settings page's own read, the revenue recognition totals (as `GET .../revenue` has them today). */
export function getCard({ db, xero }: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const [card, revenueRecognition] = await Promise.all([loadCard(db, orgId), revenueRecognitionSummary(db, { orgId, defaults: xero.settingsDefaults })]);
    res.json({ ...card, revenueRecognition });
  };
}
