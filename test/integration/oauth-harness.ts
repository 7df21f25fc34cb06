/**
 * The set-up both OAuth2 test files share: a sandbox with a Xero "Web app", the real stack with that app
 * configured, every log line captured (no redaction: the code must never hand a secret to the logger), and
 * helpers that remember every secret a test handles, so it can look for them where they must never be.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { oauthStates, xeroConnections } from '../../db/schema/index.ts';
import { createSecretBox } from '../../lib/secret-box.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery, type OrgSyncStatus } from '../../workflows/messages.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

export interface OAuthHarness {
  readonly sandbox: Sandbox;
  readonly stack: TestStack;
  webApp: { clientId: string; clientSecret: string };
  /** Every log line of the file's run. */
  logLines: string[];
  connectionRow(orgId: string): Promise<typeof xeroConnections.$inferSelect | undefined>;
  /** Decrypts what is stored now for the organisation into `seen`, and returns the connection row. */
  rememberSecrets(orgId: string, seen: Set<string>): Promise<typeof xeroConnections.$inferSelect | undefined>;
  rememberCode(callbackUrl: string, seen: Set<string>): void;
  decrypt(value: string, context: string): string;
  newTenant(name: string): { tenantId: string; name: string };
  workflowStatus(orgId: string): Promise<OrgSyncStatus>;
}

export function useOAuthHarness(): OAuthHarness {
  const webApp = { clientId: `WEB${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url') };
  const logLines: string[] = [];
  let sandbox: Sandbox;
  let stack: TestStack;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ clients: [{ ...webApp, kind: 'web' }] });
    const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
    stack = await startTestStack({
      xeroUrl: sandbox.url,
      logger,
      env: { XERO_CLIENT_ID: webApp.clientId, XERO_CLIENT_SECRET: webApp.clientSecret, XERO_REDIRECT_URI: 'http://127.0.0.1:1/auth/callback/xero' },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await sandbox?.close();
  });

  const decrypt = (value: string, context: string) => createSecretBox(stack.env.ENCRYPTION_KEY).decrypt(value, context);
  const connectionRow = async (orgId: string) => {
    const [row] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
    return row;
  };
  return {
    get sandbox() {
      return sandbox;
    },
    get stack() {
      return stack;
    },
    webApp,
    logLines,
    connectionRow,
    decrypt,
    async rememberSecrets(orgId, seen) {
      const row = await connectionRow(orgId);
      if (row?.accessTokenEnc) seen.add(decrypt(row.accessTokenEnc, `access_token:${orgId}`));
      if (row?.refreshTokenEnc) seen.add(decrypt(row.refreshTokenEnc, `refresh_token:${orgId}`));
      for (const state of await stack.database.db.select().from(oauthStates).where(eq(oauthStates.orgId, orgId))) {
        seen.add(decrypt(state.codeVerifierEnc, `code_verifier:${orgId}`));
      }
      return row;
    },
    rememberCode(callbackUrl, seen) {
      const code = new URL(callbackUrl).searchParams.get('code');
      if (code) seen.add(code);
    },
    newTenant: (name) => sandbox.control.createOrganisation({ name: `${name} ${randomUUID().slice(0, 6)}` }),
    workflowStatus: (orgId) => stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery),
  };
}
