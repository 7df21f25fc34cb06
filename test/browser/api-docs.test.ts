/**
 * `/docs` as a person opens it: Swagger UI renders the API's own `/openapi.json`, every request the page makes
 * goes to xero-sync itself (nothing from a CDN: it works offline), and the page produces no script error and
 * no CSP refusal under its `default-src 'none'` policy.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApi } from '../../api/build.ts';
import { createDatabase, type Database } from '../../db/client.ts';
import { inject } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { testLogger } from '../support/secret-audit.ts';
import { testEnv } from '../support/stack.ts';

let database: Database;
let api: Awaited<ReturnType<typeof buildApi>>;
let server: Server;
let base: string;
let browser: TestBrowser;
beforeAll(async () => {
  database = createDatabase(inject('databaseUrl'), { max: 2 });
  api = await buildApi({ env: testEnv(), db: database.db, logger: testLogger() });
  server = api.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await api?.close();
  await database?.close();
});

it('renders the API reference from /openapi.json with assets served by xero-sync alone', async () => {
  const res = await fetch(`${base}/docs`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  const html = await res.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  expect(assets.length).toBeGreaterThanOrEqual(3);
  expect(assets.every((url) => url.startsWith('/docs/assets/'))).toBe(true);

  const page = await browser.page();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${base}/docs`);
  await page.getByText('/api/orgs/{orgId}/contacts/{id}').first().waitFor({ timeout: 30_000 });
  await page.getByText('xero-sync', { exact: false }).first().waitFor();
  expect(requested.filter((url) => !url.startsWith(`${base}/`) && !url.startsWith('data:'))).toEqual([]);
  expect(requested).toContain(`${base}/openapi.json`);
  expect(browser.problems).toEqual([]);
});
