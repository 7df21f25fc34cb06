/**
 * A platform organisation connected to a fresh sandbox Xero organisation through a custom connection
 * (client credentials), stored exactly as the connections module stores one: client secret encrypted in
 * org_settings, a `connected` row in xero_connections. The token provider fetches the first token itself.
 */
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../../sandbox/index.ts';
import { createSecretBox } from '../../lib/secret-box.ts';
import { orgMappings, orgSettings, organisations, xeroConnections } from '../../db/schema/index.ts';
import type { TestStack } from './stack.ts';

export interface ConnectedOrg {
  orgId: string;
  tenantId: string;
  clientId: string;
  /** The custom connection's client secret (a secret: never in a log, an answer or a column in plain text). */
  clientSecret: string;
}

export interface ConnectOptions {
  orgId?: string;
  organisation?: Parameters<Sandbox['control']['createOrganisation']>[0];
  settings?: Partial<typeof orgSettings.$inferInsert>;
  serviceAccounts?: Record<string, string>;
  taxTypes?: Record<string, string>;
  /** The custom connection's scopes in Xero (default: every Accounting scope). */
  scopes?: string[];
}

export async function connectSandboxOrg(stack: TestStack, sandbox: Sandbox, options: ConnectOptions = {}): Promise<ConnectedOrg> {
  const orgId = options.orgId ?? `org-${randomUUID()}`;
  const { tenantId, name } = sandbox.control.createOrganisation(options.organisation ?? { name: `Sandbox ${orgId.slice(4, 12)}` });
  const client = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId], scopes: options.scopes });
  const secrets = createSecretBox(stack.env.ENCRYPTION_KEY);
  const db = stack.database.db;
  await db.insert(organisations).values({ id: orgId }).onConflictDoNothing();
  await db.insert(orgSettings).values({
    orgId,
    clientId: client.clientId,
    clientSecretEnc: secrets.encrypt(client.clientSecret, `client_secret:${orgId}`),
    bankAccountCode: '090',
    ...options.settings,
  });
  const mappings = [
    ...Object.entries(options.serviceAccounts ?? {}).map(([platformCode, xeroCode]) => ({ orgId, kind: 'service_account' as const, platformCode, xeroCode })),
    ...Object.entries(options.taxTypes ?? {}).map(([platformCode, xeroCode]) => ({ orgId, kind: 'tax_type' as const, platformCode, xeroCode })),
  ];
  if (mappings.length > 0) await db.insert(orgMappings).values(mappings);
  await db.insert(xeroConnections).values({ orgId, authType: 'custom', status: 'connected', xeroTenantId: tenantId, xeroTenantName: name, connectedAt: new Date() });
  return { orgId, tenantId, clientId: client.clientId, clientSecret: client.clientSecret };
}
