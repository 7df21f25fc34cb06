/**
 * The custom search attributes of every workflow and schedule xero-sync starts, defined once: the Temporal Web
 * UI finds an organisation by them (`OrgId = 'org-1'`, `SyncPhase = 'paused'`, `XeroTenantId = '...'`), and the
 * worker refuses to start on a namespace that lacks one (upserting an unregistered attribute fails the
 * workflow task). All Keyword: exact-match filters. The same names are registered by `npm run dev` and the
 * test server (scripts/temporal-dev-server.ts) and by docker-compose (docker/temporal/register-namespace.sh).
 *
 * No imports but the SDK's: safe in the workflow bundle and in Node alike.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The platform's organisation id. */
export const OrgIdAttribute = defineSearchAttributeKey('OrgId', SearchAttributeType.KEYWORD);
/** The Xero organisation ("tenant") it syncs with; kept after a disconnect, so its history stays findable. */
export const XeroTenantIdAttribute = defineSearchAttributeKey('XeroTenantId', SearchAttributeType.KEYWORD);
/** `connected`, `needs_reauth`, `disconnected`, `awaiting_tenant` (the connection's status) or `not_connected`. */
export const ConnectionStateAttribute = defineSearchAttributeKey('ConnectionState', SearchAttributeType.KEYWORD);
/** The organisation workflow's phase, as its `status` query says it: idle, pushing, reading_back, reconciling, paused. */
export const SyncPhaseAttribute = defineSearchAttributeKey('SyncPhase', SearchAttributeType.KEYWORD);

export const orgSearchAttributes = [OrgIdAttribute, XeroTenantIdAttribute, ConnectionStateAttribute, SyncPhaseAttribute] as const;

/** The connection states `ConnectionState` takes: the connection row's status, or none at all. */
export const connectionStates = ['not_connected', 'connected', 'needs_reauth', 'disconnected', 'awaiting_tenant'] as const;
export type ConnectionState = (typeof connectionStates)[number];

/**
 * What the Web UI shows of an organisation beside its id: its connection's state and Xero organisation (search
 * attributes) and both organisations' names (memo). Small values, read from the database by whoever sends them.
 */
export interface OrgConnectionFacts {
  state: ConnectionState;
  xeroTenantId: string | null;
  xeroOrganisationName: string | null;
  organisationName: string | null;
}

/** The memo of the organisation's workflow and schedule: names for a person, never searched. */
export type OrgMemo = {
  organisationName?: string | null;
  xeroOrganisationName?: string | null;
};

export function orgMemo(facts: Pick<OrgConnectionFacts, 'organisationName' | 'xeroOrganisationName'>): OrgMemo {
  return { organisationName: facts.organisationName, xeroOrganisationName: facts.xeroOrganisationName };
}

/** The facts from the database's row (db/queries/org-identity.ts): no connection row reads as `not_connected`. */
export function connectionFactsOf(row: {
  organisationName: string | null;
  connectionStatus: Exclude<ConnectionState, 'not_connected'> | null;
  xeroTenantId: string | null;
  xeroTenantName: string | null;
}): OrgConnectionFacts {
  return {
    state: row.connectionStatus ?? 'not_connected',
    xeroTenantId: row.xeroTenantId,
    xeroOrganisationName: row.xeroTenantName,
    organisationName: row.organisationName,
  };
}
