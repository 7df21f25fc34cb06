/**
 * How a single-organisation deployment's custom connection is linked when the API starts: Xero not ready
 * yet does not stop the API (one log line, then another try), several processes starting at once link it
 * once, and a connection an admin disconnected stays disconnected across restarts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { Sandbox } from '../../sandbox/index.ts';
import { createEnvConnectionLinker } from '../../api/env-connection-linker.ts';
import { createSyncLifecycle } from '../../api/sync-lifecycle.ts';
import { xeroIntegrationFromEnv } from '../../api/routes/integrations/xero/deps.ts';
import { createDatabase } from '../../db/client.ts';
import { syncState, xeroConnections } from '../../db/schema/index.ts';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { xeroServicesFromEnv } from '../../xero/from-env.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { testLogger } from '../support/secret-audit.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

/** A deployment whose custom connection Xero does not know yet (its authorisation, Step 3, is not finished). */
async function deploymentNotYetAuthorised(logLines: string[]) {
  const { tenantId } = sandbox.control.createOrganisation({ name: `AMS ${randomUUID().slice(0, 6)}` });
  const credentials = { clientId: randomBytes(16).toString('hex').toUpperCase(), clientSecret: randomBytes(24).toString('base64url') };
  const orgId = newOrgId();
  const stack = await startTestStack({
    xeroUrl: sandbox.url,
    logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
    env: { XERO_CLIENT_ID: credentials.clientId, XERO_CLIENT_SECRET: credentials.clientSecret, XERO_TENANT_ID: tenantId, XERO_PLATFORM_ORG_ID: orgId },
  });
  return { stack, orgId, tenantId, credentials };
}

describe('at start-up', () => {
  let stack: TestStack | undefined;
  afterAll(async () => {
    await stack?.close();
  });

  it('does not stop the API when Xero refuses the connection yet: one clear line, records are accepted, and it links on a later try', async () => {
    const logLines: string[] = [];
    const deployment = await deploymentNotYetAuthorised(logLines);
    stack = deployment.stack;
    const { orgId, tenantId, credentials } = deployment;
    stack.envConnection.start();

    const warning = await eventually(async () => logLines.map((l) => JSON.parse(l) as { msg: string; level: number }).find((l) => /not linked to organisation/.test(l.msg)));
    expect(warning.level).toBe(40); // warn
    expect(warning.msg).toMatch(new RegExp(`Xero custom connection from the environment not linked to organisation '${orgId}' yet \\(.*XERO_CLIENT_ID / XERO_CLIENT_SECRET.*\\); trying again in 5 s`));
    expect(warning.msg).not.toContain(credentials.clientSecret);
    expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);

    // The main app carries on meanwhile: accepted, kept pending.
    const main = apiClient(stack, orgId, 'service');
    expect((await main.putContact('member-7', { name: 'Mary Somerville', email: 'mary@example.org' })).status).toBe(200);

    // Step 3 finished in Xero: the next try links it and the pending member reaches Xero.
    sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId], scopes: ['accounting.contacts', 'accounting.transactions'], ...credentials });
    const synced = await eventually(async () => {
      const [row] = await stack!.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
      return row?.state === 'synced' ? row : undefined;
    }, { timeoutMs: 30_000 });
    expect(sandbox.control.records(tenantId).contacts).toEqual([expect.objectContaining({ ContactID: synced.xeroId, ContactNumber: 'member-7' })]);
    expect(logLines.filter((l) => /not linked to organisation/.test(l))).toHaveLength(1);
    expect(logLines.filter((l) => /linked to organisation '.*' \(XERO_PLATFORM_ORG_ID\)/.test(l))).toHaveLength(1);
  }, 60_000);
});

describe('several API processes starting at once', () => {
  it('link the connection once, and never link it again after an admin disconnected it', async () => {
    const { tenantId } = sandbox.control.createOrganisation({ name: `AMS ${randomUUID().slice(0, 6)}` });
    const app = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId] });
    const orgId = newOrgId();
    const stack = await startTestStack({
      xeroUrl: sandbox.url,
      env: { XERO_CLIENT_ID: app.clientId, XERO_CLIENT_SECRET: app.clientSecret, XERO_TENANT_ID: tenantId, XERO_PLATFORM_ORG_ID: orgId },
    });
    const logger = testLogger();
    // Three processes' worth: a database pool, Xero services and a Temporal client each.
    const processes = [1, 2, 3].map(() => {
      const database = createDatabase(stack.env.DATABASE_URL, { max: 2 });
      const xero = xeroIntegrationFromEnv({ env: stack.env, xero: xeroServicesFromEnv({ env: stack.env, db: database.db, logger }) });
      const lifecycle = createSyncLifecycle({ db: database.db, workflows: createOrgWorkflows(stack.temporal, stack.taskQueue), logger });
      return { database, linker: createEnvConnectionLinker({ db: database.db, logger, xero, lifecycle }) };
    });
    try {
      const outcomes = await Promise.all(processes.map((p) => p.linker.linkOnce()));
      expect(outcomes.sort()).toEqual(['already_linked', 'already_linked', 'linked']);
      const rows = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
      expect(rows).toEqual([expect.objectContaining({ status: 'connected', authType: 'custom', xeroTenantId: tenantId, appClientId: app.clientId })]);

      // Its workflow was started through the lifecycle: a member goes straight through.
      await apiClient(stack, orgId, 'service').putContact('m-1', { name: 'Caroline Herschel' });
      await eventually(async () => (sandbox.control.records(tenantId).contacts as unknown[]).length === 1);

      // An admin disconnects; the next start-up leaves it so.
      expect((await integrationApi(stack, orgId).disconnect()).status).toBe(200);
      expect(await processes[0]!.linker.linkOnce()).toBe('already_linked');
      const [after] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
      expect(after!.status).toBe('disconnected');
    } finally {
      await Promise.all(processes.map((p) => p.database.close()));
      await stack.close();
    }
  });
});
