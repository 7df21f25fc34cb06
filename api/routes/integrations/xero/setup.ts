/**
 * `GET /api/orgs/{orgId}/integrations/xero/setup`: what to prepare before connecting, and which of it is
 * done: a Xero app (the deployment's, or the organisation's own client id and secret), the redirect URI to
 * paste into it, the webhook URL and where its signing key goes. The environment the deployment runs
 * with is listed by name: values for plain settings, only "set" / "not set" for secrets.
 */
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { Env } from '../../../../config/env.ts';
import { getConnection } from '../../../../db/queries/connections.ts';
import { getOrgSettings } from '../../../../db/queries/settings.ts';
import { orgIdOf } from '../../params.ts';
import type { IntegrationContext } from './context.ts';

interface EnvVariable {
  name: string;
  secret: boolean;
  /** The value of a plain setting; never a secret's. */
  value: string | null;
  set: boolean;
  meaning: string;
}

export interface DeploymentSetup {
  variables: EnvVariable[];
  webhookPath: string;
  webhookKeySet: boolean;
  publicUrl?: string;
}

const VARIABLES: Array<{ name: keyof Env; secret?: true; meaning: string }> = [
  { name: 'XERO_CLIENT_ID', meaning: "the deployment's Xero app (client id)" },
  { name: 'XERO_CLIENT_SECRET', secret: true, meaning: "the deployment's Xero app (client secret)" },
  { name: 'XERO_REDIRECT_URI', meaning: 'where Xero sends the browser back after consent' },
  { name: 'XERO_TENANT_ID', meaning: 'a single-organisation deployment on a Custom Connection' },
  { name: 'XERO_WEBHOOK_KEY', secret: true, meaning: "Xero's webhook signing key" },
  { name: 'XERO_SCOPES', meaning: 'the permissions asked for on the consent page' },
  { name: 'XERO_ACCOUNT_CODE', meaning: 'default revenue account' },
  { name: 'XERO_AMOUNT_TYPE', meaning: 'default amount type' },
  { name: 'XERO_CURRENCY_CODE', meaning: "default currency (unset: the Xero organisation's base currency)" },
  { name: 'XERO_EMAIL_INVOICES', meaning: 'ask Xero to email invoices' },
  { name: 'AMS_BILLING_EMAIL_WHITELIST_REGEX', meaning: 'only email invoices to matching recipients' },
  { name: 'WEBHOOK_PATH', meaning: 'where Xero posts webhooks' },
];

export function deploymentSetupFromEnv(env: Env): DeploymentSetup {
  const text = (value: unknown) => (value === undefined || value === null ? null : String(value));
  return {
    variables: VARIABLES.map(({ name, secret, meaning }) => {
      const value = text(env[name]);
      return { name, secret: !!secret, value: secret ? null : value, set: value !== null, meaning };
    }),
    webhookPath: env.WEBHOOK_PATH,
    webhookKeySet: !!env.XERO_WEBHOOK_KEY,
    publicUrl: env.API_PUBLIC_URL,
  };
}

const step = z.object({ id: z.string(), title: z.string(), done: z.boolean(), detail: z.string() });

export const setupAnswer = z.object({
  /** Which Xero app Connect uses: the organisation's own (settings), the deployment's, or none yet. */
  xeroApp: z.enum(['own', 'deployment', 'none']),
  redirectUri: z.string().nullable(),
  webhookUrl: z.string(),
  webhookKeySet: z.boolean(),
  checklist: z.array(step),
  environment: z.array(z.object({ name: z.string(), secret: z.boolean(), value: z.string().nullable(), set: z.boolean(), meaning: z.string() })),
});
export type SetupAnswer = z.output<typeof setupAnswer>;

const originOf = (req: Request) => `${req.protocol}://${req.get('host')}`;

export function getSetup(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const deployment = ctx.xero.deployment ?? { variables: [], webhookPath: '/billing/xero/webhooks/', webhookKeySet: false };
    const [settings, connection] = await Promise.all([getOrgSettings(ctx.db, { orgId }), getConnection(ctx.db, { orgId })]);
    const ownApp = !!(settings?.clientId && settings.clientSecretEnc);
    const xeroApp = ownApp ? 'own' : ctx.xero.oauthApp ? 'deployment' : 'none';
    const redirectUri = ctx.xero.oauthApp?.redirectUri ?? null;
    const webhookUrl = new URL(deployment.webhookPath, deployment.publicUrl ?? originOf(req)).toString();
    const everConnected = !!connection;
    const answer: SetupAnswer = {
      xeroApp,
      redirectUri,
      webhookUrl,
      webhookKeySet: deployment.webhookKeySet,
      checklist: [
        {
          id: 'xero_account',
          title: 'A Xero account that can access the organisation you want to sync',
          done: everConnected,
          detail: everConnected ? 'Signed in to Xero through this page before.' : 'Create one at xero.com if you have none; you sign in with it when you press Connect.',
        },
        {
          id: 'xero_app',
          title: 'A Xero app (Web app) with a client id and secret',
          done: xeroApp !== 'none',
          detail:
            xeroApp === 'own'
              ? "Your own Xero app's client id and secret are saved below."
              : xeroApp === 'deployment'
                ? 'This deployment provides one (XERO_CLIENT_ID); you may use your own instead (Manage > Your own Xero app).'
                : 'Create a Web app at developer.xero.com/app/manage, then save its client id and secret under Manage > Your own Xero app.',
        },
        {
          id: 'redirect_uri',
          title: 'The redirect URI pasted into the Xero app',
          done: !!redirectUri && everConnected,
          detail: redirectUri
            ? everConnected
              ? 'Xero sent a consent back to it, so it is registered.'
              : 'Paste it under the app\u2019s Configuration > Redirect URIs; it is confirmed once a consent comes back.'
            : 'Not configured: XERO_REDIRECT_URI is not set on this deployment.',
        },
        {
          id: 'webhook',
          title: 'The webhook URL in the Xero app, and its signing key in XERO_WEBHOOK_KEY',
          done: deployment.webhookKeySet,
          detail: deployment.webhookKeySet
            ? 'The signing key is set: Xero\u2019s deliveries are checked with it.'
            : 'Add the URL under the app\u2019s Webhooks (contacts and invoices); Xero then shows a signing key, which your platform operator sets as XERO_WEBHOOK_KEY.',
        },
        {
          id: 'connected',
          title: 'Connected to a Xero organisation',
          done: connection?.status === 'connected',
          detail: connection?.status === 'connected' ? `Connected to ${connection.xeroTenantName ?? connection.xeroTenantId}.` : 'Press Connect on the Xero card.',
        },
      ],
      environment: deployment.variables,
    };
    res.json(answer);
  };
}
