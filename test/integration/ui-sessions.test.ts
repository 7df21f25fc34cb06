/**
 * Browser sign-in for the settings page and the console: links the main app asks for (single-use,
 * short-lived, stored hashed), the session cookie they set, the API accepting that cookie with a CSRF
 * token under the same role and organisation rules as bearer tokens, expiry and sign-out, and the
 * pages' security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { uiSessions, uiSignInLinks } from '../../db/schema/index.ts';
import { hashToken } from '../../api/ui/tokens.ts';
import { newOrgId, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let framed: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  framed = await startTestStack({ env: { API_PUBLIC_URL: 'https://sync.example.com', UI_FRAME_ANCESTORS: "'self' https://app.example.com" } });
});
afterAll(async () => {
  await stack?.close();
  await framed?.close();
});

async function mint(s: TestStack, path: string, token: string, body: unknown) {
  const res = await fetch(`${s.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const clientAdminLink = async (s: TestStack, orgId: string) =>
  (await mint(s, `/api/orgs/${orgId}/ui-sessions`, await s.token('service', orgId), { role: 'client_admin', subject: 'user-123', name: 'Ada' })).body as { url: string; expiresAt: string };

/** Opens a link as a browser would, without following the redirect: the cookie and where it points. */
async function open(s: TestStack, url: string) {
  const local = new URL(url);
  const res = await fetch(`${s.apiUrl}${local.pathname}${local.search}`, { redirect: 'manual' });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { res, setCookie, cookie: setCookie.split(';')[0]!, text: await res.text() };
}

async function signedIn(s: TestStack, orgId: string) {
  const { cookie } = await open(s, (await clientAdminLink(s, orgId)).url);
  const page = await (await fetch(`${s.apiUrl}/settings/integrations/xero`, { headers: { cookie } })).text();
  const csrf = /"csrfToken":"([^"]+)"/.exec(page)![1]!;
  const call = (method: string, path: string, { body, withCsrf = true }: { body?: unknown; withCsrf?: boolean } = {}) =>
    fetch(`${s.apiUrl}${path}`, {
      method,
      headers: { cookie, ...(withCsrf ? { 'x-csrf-token': csrf } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { cookie, csrf, call };
}

describe('sign-in links', () => {
  it('are asked for with the organisation service token or a platform admin token, and only so', async () => {
    const orgId = newOrgId();
    const body = { role: 'client_admin', subject: 'user-123', name: 'Ada' };
    const minted = await mint(stack, `/api/orgs/${orgId}/ui-sessions`, await stack.token('service', orgId), body);
    expect(minted.status).toBe(201);
    expect(minted.body.url).toMatch(new RegExp(`^${stack.apiUrl}/ui/sign-in\\?token=[\\w-]{43}$`));
    const ttl = Date.parse(minted.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    expect((await mint(stack, `/api/orgs/${orgId}/ui-sessions`, await stack.token('platform_admin'), body)).status).toBe(201);

    expect((await mint(stack, `/api/orgs/${orgId}/ui-sessions`, await stack.token('service', newOrgId()), body)).status).toBe(404);
    expect((await mint(stack, `/api/orgs/${orgId}/ui-sessions`, await stack.token('client_admin', orgId), body)).status).toBe(403);
    const wrongRole = await mint(stack, `/api/orgs/${orgId}/ui-sessions`, await stack.token('service', orgId), { ...body, role: 'platform_admin' });
    expect(wrongRole).toMatchObject({ status: 422, body: { code: 'validation_failed', errors: [{ path: 'body.role' }] } });
    expect((await mint(stack, `/api/orgs/${orgId}/ui-sessions`, await stack.token('service', orgId), { role: 'client_admin' })).status).toBe(422);

    expect((await mint(stack, '/api/admin/ui-sessions', await stack.token('service', orgId), { role: 'platform_admin', subject: 'ops' })).status).toBe(403);
    const admin = await mint(stack, '/api/admin/ui-sessions', await stack.token('platform_admin'), { role: 'platform_admin', subject: 'ops', returnTo: `/admin/integrations/xero/${orgId}` });
    expect(admin.status).toBe(201);
    const opened = await open(stack, admin.body.url);
    expect(opened.res.headers.get('location')).toBe(`/admin/integrations/xero/${orgId}`);
  });

  it('work once, expire, and are stored only as hashes', async () => {
    const orgId = newOrgId();
    const { url } = await clientAdminLink(stack, orgId);
    const token = new URL(url).searchParams.get('token')!;
    const [row] = await stack.database.db.select().from(uiSignInLinks).where(eq(uiSignInLinks.tokenHash, hashToken(token)));
    expect(row).toMatchObject({ orgId, role: 'client_admin', subject: 'user-123', usedAt: null });
    expect(JSON.stringify(row)).not.toContain(token);

    const first = await open(stack, url);
    expect(first.res.status).toBe(303);
    expect(first.res.headers.get('location')).toBe('/settings/integrations/xero');
    expect(first.setCookie).toMatch(/^xero-sync-session=[\w-]{43}; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const sessionToken = first.cookie.split('=')[1]!;
    const [session] = await stack.database.db.select().from(uiSessions).where(eq(uiSessions.tokenHash, hashToken(sessionToken)));
    expect(session).toMatchObject({ orgId, role: 'client_admin', subject: 'user-123', name: 'Ada' });
    expect(JSON.stringify(session)).not.toContain(sessionToken);

    const again = await open(stack, url);
    expect(again.res.status).toBe(410);
    expect(again.setCookie).toBe('');
    expect(again.text).toContain('This sign-in link was already used');

    const late = await clientAdminLink(stack, orgId);
    await stack.database.db.update(uiSignInLinks).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(uiSignInLinks.tokenHash, hashToken(new URL(late.url).searchParams.get('token')!)));
    const expired = await open(stack, late.url);
    expect(expired.res.status).toBe(410);
    expect(expired.text).toContain('This sign-in link has expired');
    expect((await open(stack, `${stack.apiUrl}/ui/sign-in?token=${'x'.repeat(43)}`)).res.status).toBe(400);
  });
});

describe('a browser session on the API', () => {
  it('reaches its own organisation only, with the role rules of a bearer token', async () => {
    const orgId = newOrgId();
    const { call } = await signedIn(stack, orgId);
    expect((await call('GET', `/api/orgs/${orgId}/integrations/xero`)).status).toBe(200);
    expect((await call('GET', `/api/orgs/${newOrgId()}/integrations/xero`)).status).toBe(404);
    expect((await call('GET', `/api/admin/integrations/xero/${orgId}/status`)).status).toBe(403);
    expect((await call('GET', '/api/admin/integrations/xero')).status).toBe(403);
    // A person's session cannot mint more sign-in links, nor change the plan (the main app's decision).
    expect((await call('POST', `/api/orgs/${orgId}/ui-sessions`, { body: { role: 'client_admin', subject: 'x' } })).status).toBe(403);
    expect((await call('PUT', `/api/orgs/${orgId}/plan`, { body: { integrations: false } })).status).toBe(403);
    // The console is not a client admin's page.
    const { cookie } = await signedIn(stack, orgId);
    const consolePage = await fetch(`${stack.apiUrl}/admin/integrations/xero`, { headers: { cookie } });
    expect(consolePage.status).toBe(403);
  });

  it('needs the CSRF token for every change', async () => {
    const orgId = newOrgId();
    const { call } = await signedIn(stack, orgId);
    const refused = await call('PUT', `/api/orgs/${orgId}/integrations/xero/settings`, { body: { autoSyncInvoices: false }, withCsrf: false });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'csrf_failed' });
    const saved = await call('PUT', `/api/orgs/${orgId}/integrations/xero/settings`, { body: { autoSyncInvoices: false } });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ autoSyncInvoices: false });
  });

  it('ends when it expires and when the person signs out', async () => {
    const orgId = newOrgId();
    const expiring = await signedIn(stack, orgId);
    await stack.database.db.update(uiSessions).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(uiSessions.tokenHash, hashToken(expiring.cookie.split('=')[1]!)));
    const expired = await expiring.call('GET', `/api/orgs/${orgId}/integrations/xero`);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 'session_expired' });
    const page = await fetch(`${stack.apiUrl}/settings/integrations/xero`, { headers: { cookie: expiring.cookie } });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Your session has ended');

    const leaving = await signedIn(stack, orgId);
    const wrongToken = await fetch(`${stack.apiUrl}/ui/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie: leaving.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=nope' });
    expect(wrongToken.status).toBe(403);
    const out = await fetch(`${stack.apiUrl}/ui/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie: leaving.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${leaving.csrf}` });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/ui/signed-out');
    expect(out.headers.get('set-cookie')).toMatch(/^xero-sync-session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect((await leaving.call('GET', `/api/orgs/${orgId}/integrations/xero`)).status).toBe(401);
  });
});

describe('the pages', () => {
  it('carry a strict CSP, are never cached, and load nothing from anywhere else', async () => {
    const orgId = newOrgId();
    const { cookie } = await signedIn(stack, orgId);
    const res = await fetch(`${stack.apiUrl}/settings/integrations/xero`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      const file = await fetch(`${stack.apiUrl}${asset}`);
      expect(file.status).toBe(200);
      expect(file.headers.get('cache-control')).toContain('immutable');
      expect(await file.text()).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z]/i);
    }
    // Nothing of a session is on the API's health routes.
    expect((await fetch(`${stack.apiUrl}/healthz`)).headers.get('content-security-policy')).toBeNull();
  });

  it('served over https: a Secure __Host- cookie, links on the public URL, framing from UI_FRAME_ANCESTORS', async () => {
    const orgId = newOrgId();
    const { url } = await clientAdminLink(framed, orgId);
    expect(url.startsWith('https://sync.example.com/ui/sign-in?token=')).toBe(true);
    const opened = await open(framed, url);
    expect(opened.setCookie).toMatch(/^__Host-xero-sync-session=[\w-]{43}; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    const page = await fetch(`${framed.apiUrl}/settings/integrations/xero`, { headers: { cookie: opened.cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://app.example.com");
    expect(page.headers.get('x-frame-options')).toBeNull();
  });
});
