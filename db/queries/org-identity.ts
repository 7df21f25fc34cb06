import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { organisations, xeroConnections, type ConnectionStatus } from '../schema/index.ts';

/** What names and links an organisation in the Temporal Web UI: its name, its connection's status and Xero organisation. */
export interface OrgIdentityRow {
  organisationName: string | null;
  connectionStatus: ConnectionStatus | null;
  xeroTenantId: string | null;
  xeroTenantName: string | null;
}

/** One indexed read; an organisation we have never heard of reads as all nulls. */
export async function getOrgIdentity(db: DbOrTx, { orgId }: { orgId: string }): Promise<OrgIdentityRow> {
  const [row] = await db
    .select({
      organisationName: organisations.name,
      connectionStatus: xeroConnections.status,
      xeroTenantId: xeroConnections.xeroTenantId,
      xeroTenantName: xeroConnections.xeroTenantName,
    })
    .from(organisations)
    .leftJoin(xeroConnections, eq(xeroConnections.orgId, organisations.id))
    .where(eq(organisations.id, orgId));
  return row ?? { organisationName: null, connectionStatus: null, xeroTenantId: null, xeroTenantName: null };
}
