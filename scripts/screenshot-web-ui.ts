/**
 * `npm run screenshot:web-ui`, with `npm run dev` running: the README's picture of the Temporal Web UI listing
 * every paused organisation, made from the running dev stack so it can be made again. The main app sends
 * members for a few organisations that have not connected Xero (their workflows pause, `not_connected`) and
 * switches one organisation's plan off (`plan_required`); once Temporal's visibility lists them by their
 * search attributes, chromium opens the Web UI's workflow list on the README's query and photographs it.
 *
 * Writes docs/web-ui-paused-organisations.png. API_URL (default http://127.0.0.1:3000), TEMPORAL_UI_URL
 * (default http://127.0.0.1:8233), TEMPORAL_NAMESPACE and DEV_DATA_DIR say where the dev stack is.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureDevSecrets } from './dev-secrets.ts';
import { mintToken } from './dev-token.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
const apiUrl = process.env.API_URL || `http://127.0.0.1:${process.env.API_PORT || 3000}`;
const uiUrl = (process.env.TEMPORAL_UI_URL || 'http://127.0.0.1:8233').replace(/\/+$/, '');
const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
const secret = process.env.API_JWT_SECRET || ensureDevSecrets(resolve(process.env.DEV_DATA_DIR || join(root, '.data'))).API_JWT_SECRET;
const say = (line: string) => console.log(`[screenshot] ${line}`);

/** The README's "every paused organisation". */
const PAUSED_QUERY = "WorkflowType = 'xeroOrgWorkflow' AND SyncPhase = 'paused'";
const NOT_CONNECTED = ['harbour-juniors', 'lakeside-tennis', 'riverside-choir', 'northgate-chess'];
const PLAN_OFF = 'summit-hiking';

async function send(method: string, path: string, token: string, body: unknown): Promise<void> {
  const res = await fetch(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
}

async function pausedListed(): Promise<number> {
  const res = await fetch(`${uiUrl}/api/v1/namespaces/${namespace}/workflows?query=${encodeURIComponent(PAUSED_QUERY)}`);
  if (!res.ok) throw new Error(`the Web UI's API answered ${res.status}: is npm run dev running, and TEMPORAL_UI_URL right?`);
  const { executions = [] } = (await res.json()) as { executions?: unknown[] };
  return executions.length;
}

for (const orgId of [...NOT_CONNECTED, PLAN_OFF]) {
  const service = await mintToken(secret, { role: 'service', orgId, sub: 'screenshot' }, '1h');
  await send('PUT', `/api/orgs/${orgId}/contacts`, service, { items: [{ id: 'm1', name: 'First Member' }, { id: 'm2', name: 'Second Member' }] });
  if (orgId === PLAN_OFF) await send('PUT', `/api/orgs/${orgId}/plan`, service, { integrations: false });
}
say(`members sent for ${NOT_CONNECTED.join(', ')} (not connected) and ${PLAN_OFF} (plan without integrations)`);

const deadline = Date.now() + 60_000;
while ((await pausedListed()) < NOT_CONNECTED.length + 1) {
  if (Date.now() > deadline) throw new Error(`Temporal did not list the paused organisations within a minute (query: ${PAUSED_QUERY})`);
  await new Promise((r) => setTimeout(r, 500));
}

const profile = mkdtempSync(join(tmpdir(), 'xero-sync-screenshot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 760 },
});
try {
  const docs = join(root, 'docs');
  mkdirSync(docs, { recursive: true });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent(PAUSED_QUERY)}`);
  await page.getByText(`xero-org:${PLAN_OFF}`).first().waitFor({ timeout: 30_000 });
  for (const orgId of NOT_CONNECTED) await page.getByText(`xero-org:${orgId}`).first().waitFor();
  await page.screenshot({ path: join(docs, 'web-ui-paused-organisations.png') });
  say('docs/web-ui-paused-organisations.png');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
