/**
 * The set-up the connection settings tests share: a sandbox with a Xero web app, the real stack, and a
 * platform organisation connected through a custom connection whose credentials went through the settings API.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery, type OrgSyncStatus } from '../../workflows/messages.ts';
import { newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';

export function useSettingsHarness() {
  const webApp = { clientId: `WEB${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url') };
  let sandbox: Sandbox;
  let stack: TestStack;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ clients: [{ ...webApp, kind: 'web' }] });
    stack = await startTestStack({
      xeroUrl: sandbox.url,
      env: { XERO_CLIENT_ID: webApp.clientId, XERO_CLIENT_SECRET: webApp.clientSecret, XERO_REDIRECT_URI: 'http://127.0.0.1:1/auth/callback/xero' },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await sandbox?.close();
  });

  return {
    get sandbox() {
      return sandbox;
    },
    get stack() {
      return stack;
    },
    webApp,
    /** A platform organisation connected through a custom connection whose credentials went through the settings API. */
    async connectCustom(name = 'Custom Books') {
      const orgId = newOrgId();
      const tenant = sandbox.control.createOrganisation({ name: `${name} ${randomUUID().slice(0, 6)}` });
      const client = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenant.tenantId] });
      const api = integrationApi(stack, orgId);
      const saved = await api.putSettings({ clientId: client.clientId, clientSecret: client.clientSecret });
      expect(saved.status).toBe(200);
      const connected = await api.connect({ type: 'custom' });
      expect(connected.status).toBe(200);
      return { orgId, tenant, client, api, card: connected.body };
    },
    workflowStatus: (orgId: string): Promise<OrgSyncStatus> => stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery),
  };
}

export type FieldErrors = Array<{ path: string; message: string }>;
