/**
 * `npm run screenshots:ui`, with `npm run dev` running: the README's pictures of the pages, made from the
 * running dev stack so they can be made again. Signs in by link as the client admin of demo-org, connects
 * it to the sandbox's "Harbour City Rowing Club" through the consent page if it is not connected yet, sends
 * 3,000 members and, while they go to Xero at Xero's pace (or a resync of them runs, if they are there
 * already), photographs the settings page and the console; then the console's list.
 *
 * Writes docs/ui-settings.png, docs/ui-console-organisation.png and docs/ui-console.png. API_URL (default
 * http://127.0.0.1:3000) and DEV_DATA_DIR say where the dev stack is.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { ensureDevSecrets } from './dev-secrets.ts';
import { mintToken } from './dev-token.ts';
import { requestSignInLink } from './ui-sign-in.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
const apiUrl = process.env.API_URL || `http://127.0.0.1:${process.env.API_PORT || 3000}`;
const secret = process.env.API_JWT_SECRET || ensureDevSecrets(resolve(process.env.DEV_DATA_DIR || join(root, '.data'))).API_JWT_SECRET;
const ORG = 'demo-org';
const MEMBERS = 3_000;
const docs = join(root, 'docs');
const say = (line: string) => console.log(`[screenshots] ${line}`);

interface Answer {
  detail?: string;
  pending_syncs: number;
  records_by_type: Record<string, Record<string, number>>;
  progress: { done: number; total: number; finished: boolean } | null;
}

async function call(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const json = (await res.json()) as Answer;
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${json.detail ?? JSON.stringify(json)}`);
  return json;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function connectIfNeeded(page: Page) {
  const card = page.locator('#card');
  await card.locator('.badge').first().waitFor();
  if ((await card.locator('.badge').first().textContent()) === 'Connected') return say('demo-org is connected already');
  say('connecting demo-org through the consent page');
  await card.getByRole('button', { name: /^(Connect|Reconnect|Connect again)$/ }).click();
  await page.getByLabel('Harbour City Rowing Club').check();
  await page.getByRole('button', { name: 'Allow access' }).click();
  await page.waitForURL(`${apiUrl}/settings/integrations/xero`);
  await card.getByText('Connected', { exact: true }).waitFor();
}

const profile = mkdtempSync(join(tmpdir(), 'xero-sync-screenshots-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
try {
  mkdirSync(docs, { recursive: true });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto((await requestSignInLink(apiUrl, secret, { role: 'client_admin', orgId: ORG, name: 'Ada Lovelace' })).url);
  await connectIfNeeded(page);

  const service = await mintToken(secret, { role: 'service', orgId: ORG, sub: 'screenshots' }, '1h');
  const admin = await mintToken(secret, { role: 'platform_admin', sub: 'screenshots' }, '1h');
  await call('PUT', `/api/orgs/${ORG}/integrations/xero/mappings`, await mintToken(secret, { role: 'client_admin', orgId: ORG }, '1h'), { serviceAccounts: { MEMBERSHIP: '200', EVENTS: '260' }, taxTypes: { GST: 'OUTPUT2' } }).catch((err: Error) => say(`mappings left as they are: ${err.message}`));
  for (let start = 0; start < MEMBERS; start += 1_000) {
    const items = Array.from({ length: 1_000 }, (_, i) => ({ id: `member-${start + i}`, name: `Member ${start + i}`, email: `member-${start + i}@example.org` }));
    await call('PUT', `/api/orgs/${ORG}/contacts`, service, { items });
  }
  // A few more organisations for the console: the main app has sent them members, they have not connected Xero.
  for (const other of ['harbour-juniors', 'lakeside-tennis']) {
    await call('PUT', `/api/orgs/${other}/contacts`, await mintToken(secret, { role: 'service', orgId: other }, '1h'), { items: [{ id: 'm1', name: 'First Member' }, { id: 'm2', name: 'Second Member' }] });
  }
  const status = () => call('GET', `/api/admin/integrations/xero/${ORG}/status`, admin);
  if ((await status()).pending_syncs === 0) {
    say('the members are in Xero already: resyncing them');
    await call('POST', `/api/admin/integrations/xero/${ORG}/resync`, admin, { sync_types: ['contact'] });
  }
  // Mid-way: some sent, most still to go.
  await until('the sync to be under way', async () => {
    const s = await status();
    const all = Object.values(s.records_by_type).reduce((n, c) => n + (c.pending ?? 0) + (c.synced ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0), 0);
    const done = s.progress && !s.progress.finished ? s.progress.done / s.progress.total : all ? 1 - s.pending_syncs / all : 0;
    return done > 0.05 && done < 0.8 ? true : undefined;
  });

  await page.reload();
  await page.locator('#health .facts, #health .notice').first().waitFor();
  await page.waitForTimeout(1_500); // two polls: the bar and its time left
  await page.screenshot({ path: join(docs, 'ui-settings.png'), fullPage: true });
  say('docs/ui-settings.png');

  await page.goto((await requestSignInLink(apiUrl, secret, { role: 'platform_admin', name: 'Grace Hopper', returnTo: `/admin/integrations/xero/${ORG}` })).url);
  await page.getByRole('progressbar').first().waitFor();
  await page.waitForTimeout(1_500);
  await page.screenshot({ path: join(docs, 'ui-console-organisation.png'), fullPage: true });
  say('docs/ui-console-organisation.png');

  await page.goto(`${apiUrl}/admin/integrations/xero`);
  await page.locator('table.organisations tbody tr').first().waitFor();
  await page.screenshot({ path: join(docs, 'ui-console.png'), fullPage: true });
  say('docs/ui-console.png');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
