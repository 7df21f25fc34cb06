/**
 * `npm run dev`: the whole service on one machine, from nothing but `npm install`.
 *
 *   PostgreSQL  DATABASE_URL, else an embedded server in .data/postgres (reused if already listening; as root
 *               with a clone the `postgres` user cannot enter, in DEV_POSTGRES_SHARED_DIR, said in one line)
 *   Temporal    TEMPORAL_ADDRESS, else `temporal server start-dev` with .data/temporal.db and its Web UI
 *               (reused if already listening)
 *   Xero        XERO_CLIENT_ID/SECRET when set, else the local Xero sandbox with a demo web app, two
 *               organisations and webhooks pointed at this API
 *   worker+API  in this process; migrations applied on start
 *
 * Secrets the service needs (JWT, encryption, webhook key) are generated once into .data/dev-secrets.json.
 * Ctrl-C stops everything this script started, in reverse order.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { exitOnConfigError, onShutdownSignal } from '../config/process.ts';
import { startApiServer } from '../api/server.ts';
import { startWorker } from '../worker/main.ts';
import { startSandbox } from '../sandbox/index.ts';
import { allStarted } from './all-started.ts';
import { ensureDevSecrets } from './dev-secrets.ts';
import { mintToken } from './dev-token.ts';
import { requestSignInLink } from './ui-sign-in.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { isListening } from './free-port.ts';
import { ensureTemporalCli } from './temporal-cli.ts';
import { startTemporalDevServer } from './temporal-dev-server.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dataDir = resolve(process.env.DEV_DATA_DIR || join(root, '.data'));
const DEMO_ORG = 'demo-org';
const SANDBOX_CLIENT = { clientId: 'SANDBOXDEMOCLIENT0000000000000001', clientSecret: 'sandbox-demo-secret' };

// .env (if any) fills what the environment does not set; empty template values count as unset later.
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
const say = (line: string) => console.log(`[dev] ${line}`);
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
const numberFromEnv = (name: string, fallback: number) => Number(process.env[name] || fallback);

try {
  const secrets = ensureDevSecrets(dataDir);
  for (const [name, value] of Object.entries(secrets)) process.env[name] ||= value;

  const [databaseUrl, temporal] = await allStarted([startPostgres(), startTemporal()]);
  process.env.DATABASE_URL = databaseUrl;
  process.env.TEMPORAL_ADDRESS = temporal.address;

  const apiPort = numberFromEnv('API_PORT', 3000);
  process.env.API_PORT = String(apiPort);
  const apiUrl = `http://${process.env.API_HOST || '127.0.0.1'}:${apiPort}`;
  // The sign-in links printed below must survive a person reading this output first (production: 2 minutes).
  process.env.UI_SIGN_IN_LINK_TTL ||= '1h';
  if (temporal.uiUrl) process.env.TEMPORAL_UI_URL ||= temporal.uiUrl;
  const sandboxUrl = process.env.XERO_CLIENT_ID ? undefined : await startXeroSandbox(apiUrl);

  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, name: 'xero-sync' });
  const worker = await startWorker(env, logger.child({ component: 'worker' }));
  stops.push({ name: 'worker', stop: worker.stop });
  const api = await startApiServer(env, logger.child({ component: 'api' }));
  stops.push({ name: 'API', stop: api.stop });

  const adminToken = await mintToken(env.API_JWT_SECRET!, { role: 'platform_admin', sub: 'dev-admin' }, '30d');
  const orgToken = await mintToken(env.API_JWT_SECRET!, { role: 'client_admin', orgId: DEMO_ORG, sub: 'dev-client-admin' }, '30d');
  const settingsLink = await requestSignInLink(api.url, env.API_JWT_SECRET!, { role: 'client_admin', orgId: DEMO_ORG });
  const consoleLink = await requestSignInLink(api.url, env.API_JWT_SECRET!, { role: 'platform_admin' });
  console.log(`
xero-sync is running. Ctrl-C stops everything.

  API               ${api.url}            (health: ${api.url}/healthz, reference: ${api.url}/docs)
  Metrics           ${api.url}/metrics (API), ${worker.metricsUrl} (worker)
  Temporal Web UI   ${temporal.uiUrl ?? `(external Temporal at ${temporal.address})`}   (workflows xero-org:{orgId}, schedules xero-reconcile:{orgId} and xero-revrec:{orgId};
                    search: OrgId = '${DEMO_ORG}', SyncPhase = 'paused', XeroTenantId = '...')
  Temporal          ${temporal.address}  namespace ${env.TEMPORAL_NAMESPACE}
  PostgreSQL        ${redactPassword(databaseUrl)}
  Xero              ${sandboxUrl ? `local sandbox ${sandboxUrl} (no XERO_CLIENT_ID set)` : env.XERO_API_URL}
  Xero webhooks     POST ${api.url}${env.WEBHOOK_PATH}

  In a browser (each link works once, for an hour; npm run sign-in -- [client_admin [orgId] | platform_admin] makes another):
    Settings > Integrations > Xero, client admin of ${DEMO_ORG}   ${settingsLink.url}
    Console, platform admin                                ${consoleLink.url}

  Tokens (30 days; npm run token -- <role> [orgId] mints others):
    platform_admin           ${adminToken}
    client_admin of ${DEMO_ORG}  ${orgToken}

  Try it:
    export TOKEN=${orgToken}
    curl -s -X POST -H "Authorization: Bearer $TOKEN" ${api.url}/api/orgs/${DEMO_ORG}/integrations/xero/connect
      -> open the consentUrl in a browser, pick an organisation${sandboxUrl ? ' of the sandbox' : ''}
    curl -s -X PUT -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
      -d '{"name":"Ada Lovelace","email":"ada@example.org"}' ${api.url}/api/orgs/${DEMO_ORG}/contacts/m1
`);
  onShutdownSignal(stopAll);
} catch (err) {
  await stopAll();
  exitOnConfigError(err);
}

async function startPostgres(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const port = numberFromEnv('DEV_POSTGRES_PORT', 54329);
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/xero_sync`;
  if (await isListening(port)) {
    say(`PostgreSQL: reusing the server on port ${port}`);
    return url;
  }
  say(`PostgreSQL: starting embedded server (${join(dataDir, 'postgres')}, port ${port})`);
  const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port, database: 'xero_sync', persistent: true, say });
  stops.push({ name: 'PostgreSQL', stop: pg.stop });
  return pg.url;
}

async function startTemporal(): Promise<{ address: string; uiUrl?: string }> {
  if (process.env.TEMPORAL_ADDRESS) return { address: process.env.TEMPORAL_ADDRESS };
  const port = numberFromEnv('DEV_TEMPORAL_PORT', 7233);
  const uiPort = numberFromEnv('DEV_TEMPORAL_UI_PORT', 8233);
  if (await isListening(port)) {
    say(`Temporal: reusing the server on port ${port}`);
    return { address: `127.0.0.1:${port}`, uiUrl: `http://127.0.0.1:${uiPort}` };
  }
  const cli = await ensureTemporalCli(say);
  say(`Temporal: starting dev server (${cli.source}: ${cli.path}), history in ${join(dataDir, 'temporal.db')}`);
  const server = await startTemporalDevServer({ cliPath: cli.path, port, uiPort, dbFile: join(dataDir, 'temporal.db'), namespace: process.env.TEMPORAL_NAMESPACE });
  stops.push({ name: 'Temporal', stop: server.stop });
  return server;
}

/**
 * The sandbox keeps its Xero data in memory: after a restart, reconnect the organisation (records
 * already pushed are re-pushed into the fresh sandbox by an admin resync).
 */
async function startXeroSandbox(apiUrl: string): Promise<string> {
  const port = numberFromEnv('SANDBOX_PORT', 4010);
  const webhookPath = process.env.WEBHOOK_PATH || '/billing/xero/webhooks/';
  const redirectUri = process.env.XERO_REDIRECT_URI || `${apiUrl}/auth/callback/xero`;
  const sandbox = await startSandbox({
    port,
    webhook: { url: `${apiUrl}${webhookPath}`, key: process.env.XERO_WEBHOOK_KEY! },
    organisations: [
      { tenantId: '6b4a4a2e-7f1c-4d3a-9a51-0c8a1d2e3f01', name: 'Harbour City Rowing Club', countryCode: 'NZ', currencies: ['AUD', 'USD'] },
      { tenantId: '6b4a4a2e-7f1c-4d3a-9a51-0c8a1d2e3f02', name: 'Demo Company (AU)', countryCode: 'AU', isDemoCompany: true },
    ],
    clients: [{ ...SANDBOX_CLIENT, kind: 'web', name: 'xero-sync (local)', redirectUris: [redirectUri] }],
  });
  stops.push({ name: 'Xero sandbox', stop: sandbox.close });
  Object.assign(process.env, {
    XERO_API_URL: sandbox.url,
    XERO_IDENTITY_URL: sandbox.identityUrl,
    XERO_LOGIN_URL: sandbox.loginUrl,
    XERO_CLIENT_ID: SANDBOX_CLIENT.clientId,
    XERO_CLIENT_SECRET: SANDBOX_CLIENT.clientSecret,
    XERO_REDIRECT_URI: redirectUri,
  });
  say(`Xero sandbox on ${sandbox.url} (control API ${sandbox.controlUrl})`);
  return sandbox.url;
}

async function stopAll(): Promise<void> {
  for (const { name, stop } of stops.splice(0).reverse()) {
    try {
      await stop();
      say(`stopped ${name}`);
    } catch (err) {
      say(`could not stop ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
