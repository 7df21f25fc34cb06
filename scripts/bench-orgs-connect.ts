/**
 * Many organisations connected to one Xero web app, each through its own OAuth consent (one grant each, as
 * a platform's customers connect their own Xero), stored as the OAuth callback stores a connection: the
 * tokens encrypted, the connection `connected` to its one tenant.
 */
import { randomUUID } from 'node:crypto';
import type { Env } from '../config/env.ts';
import type { Db } from '../db/client.ts';
import { linkXeroTenant } from '../db/queries/connections.ts';
import { ensureOrganisation } from '../db/queries/organisations.ts';
import { orgSettings } from '../db/schema/index.ts';
import { createSecretBox } from '../lib/secret-box.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { encryptGrant } from '../api/routes/integrations/xero/link-tenant.ts';
import { createXeroIdentityClient } from '../xero/identity-client.ts';

export async function connectOrgsToWebApp({
  env,
  db,
  sandbox,
  webApp,
  count,
}: {
  env: Env;
  db: Db;
  sandbox: Sandbox;
  webApp: { clientId: string; clientSecret: string; redirectUri: string };
  count: number;
}): Promise<Array<{ orgId: string; tenantId: string }>> {
  const identity = createXeroIdentityClient({ apiUrl: env.XERO_API_URL, identityUrl: env.XERO_IDENTITY_URL, loginUrl: env.XERO_LOGIN_URL });
  const secrets = createSecretBox(env.ENCRYPTION_KEY);
  const orgs: Array<{ orgId: string; tenantId: string }> = [];
  for (let i = 0; i < count; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
        const orgId = `bench-org-${String(i + j).padStart(5, '0')}-${randomUUID().slice(0, 8)}`;
        const { tenantId, name } = sandbox.control.createOrganisation({ name: `Bench Association ${i + j}` });
        const { code } = sandbox.control.authorize({ clientId: webApp.clientId, redirectUri: webApp.redirectUri, scope: env.XERO_SCOPES, state: orgId, tenantIds: [tenantId] });
        const tokens = await identity.exchangeCode({ clientId: webApp.clientId, clientSecret: webApp.clientSecret, code: code!, redirectUri: webApp.redirectUri });
        await ensureOrganisation(db, { orgId });
        // Online invoice links off: each is one more call per invoice, and this benchmark is about the cap and fairness.
        await db.insert(orgSettings).values({ orgId, bankAccountCode: '090', onlineInvoiceLinks: false });
        await linkXeroTenant(db, { orgId, authType: 'oauth', tenant: { tenantId, tenantName: name, connectionId: null }, grant: encryptGrant(secrets, orgId, tokens, { authEventId: null, appClientId: webApp.clientId }) });
        return { orgId, tenantId };
      }),
    );
    orgs.push(...batch);
  }
  return orgs;
}
