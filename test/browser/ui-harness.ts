/**
 * What the browser tests share: a sandbox on a time scale (a Xero minute lasts one second), the real
 * stack with the API on a port known in advance (the redirect URI and public URL name it), a Xero web
 * app, chromium, and sign-in links asked for as the main app does.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../../sandbox/index.ts';
import { freePort } from '../../scripts/free-port.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { launchBrowser, seriousAccessibilityViolations, type TestBrowser } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

export const TIME_SCALE = 60;

export interface UiHarness {
  readonly sandbox: Sandbox;
  readonly stack: TestStack;
  readonly browser: TestBrowser;
  webApp: { clientId: string; clientSecret: string };
  /** A sign-in link, asked for with the organisation's service token (client admin) or a platform admin's. */
  signInLink(who: { role: 'client_admin'; orgId: string } | { role: 'platform_admin'; returnTo?: string }): Promise<string>;
  /** axe-core finds no serious or critical violation, and no page had a script error or CSP refusal. */
  expectAccessible(page: Page, where: string): Promise<void>;
}

export function useUiHarness(): UiHarness {
  const webApp = { clientId: `WEB${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url') };
  let sandbox: Sandbox;
  let stack: TestStack;
  let browser: TestBrowser;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ timeScale: TIME_SCALE, clients: [{ ...webApp, kind: 'web', name: 'xero-sync (browser test)' }] });
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    stack = await startTestStack({
      xeroUrl: sandbox.url,
      apiPort: port,
      env: {
        API_PUBLIC_URL: apiUrl,
        XERO_CLIENT_ID: webApp.clientId,
        XERO_CLIENT_SECRET: webApp.clientSecret,
        XERO_REDIRECT_URI: `${apiUrl}/auth/callback/xero`,
        // Xero's minute is a second here; 10 calls a "minute" make a 2,000-record resync last seconds, long
        // enough to watch its bar move, short enough for the suite.
        XERO_RATE_WINDOW_MS: String(60_000 / TIME_SCALE),
        XERO_MINUTE_LIMIT: '10',
        XERO_TOKEN_REFRESH_AHEAD_MS: '5000',
        TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
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
    get browser() {
      return browser;
    },
    webApp,
    async signInLink(who) {
      const [path, token, body] =
        who.role === 'client_admin'
          ? [`/api/orgs/${who.orgId}/ui-sessions`, await stack.token('service', who.orgId), { role: 'client_admin', subject: 'user-ada', name: 'Ada Admin' }]
          : ['/api/admin/ui-sessions', await stack.token('platform_admin'), { role: 'platform_admin', subject: 'ops-grace', name: 'Grace Ops', ...(who.returnTo ? { returnTo: who.returnTo } : {}) }];
      const res = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await res.json()) as { url: string; expiresAt: string };
      expect(res.status, JSON.stringify(answer)).toBe(201);
      return answer.url;
    },
    async expectAccessible(page, where) {
      expect(await seriousAccessibilityViolations(page), `accessibility of ${where}`).toEqual([]);
      expect(browser.problems, `script errors or CSP refusals by ${where}`).toEqual([]);
    },
  };
}
