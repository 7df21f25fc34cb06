/**
 * The admin's side of connecting Xero, for tests: the integration API called with a role's token, and the
 * browser's trip through the sandbox's real consent page and back to our callback.
 */
import type { Role } from '../../api/auth.ts';
import type { TestStack } from './stack.ts';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  contentType: string;
  body: T;
  text: string;
}

/** Every answer body seen, so a test can prove no secret was ever returned. */
export const answersSeen: string[] = [];

async function answer<T>(res: Response): Promise<Answer<T>> {
  const text = await res.text();
  answersSeen.push(text);
  const contentType = res.headers.get('content-type') ?? '';
  return { status: res.status, contentType, text, body: (contentType.includes('json') && text ? JSON.parse(text) : {}) as T };
}

export function integrationApi(stack: TestStack, orgId: string, role: Role = 'client_admin', tokenOrgId: string | undefined = orgId) {
  const base = `/api/orgs/${orgId}/integrations/xero`;
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const token = await stack.token(role, role === 'platform_admin' ? undefined : tokenOrgId);
    return answer<T>(
      await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  };
  return {
    base,
    call,
    card: () => call('GET', base),
    connect: (body: unknown = {}) => call<{ consentUrl: string; expiresAt: string } & Record<string, unknown>>('POST', `${base}/connect`, body),
    tenants: () => call<{ status: string; tenants: Array<{ tenantId: string; tenantName: string; current: boolean; linkedElsewhere: boolean }> }>('GET', `${base}/tenants`),
    pickTenant: (tenantId: string) => call('POST', `${base}/tenant`, { tenantId }),
    settings: () => call('GET', `${base}/settings`),
    putSettings: (body: unknown) => call('PUT', `${base}/settings`, body),
    mappings: () => call('GET', `${base}/mappings`),
    putMappings: (body: unknown) => call('PUT', `${base}/mappings`, body),
    test: () => call<{ ok: boolean; checks: Array<{ check: string; status: string; message: string }> }>('POST', `${base}/test`),
    disconnect: () => call('POST', `${base}/disconnect`),
    setPlan: (integrations: boolean) => call('PUT', `/api/orgs/${orgId}/plan`, { integrations }),
  };
}

/**
 * What the admin's browser does with the consent URL: opens Xero's (the sandbox's) consent page, ticks
 * organisations, presses Allow (or Cancel), and is redirected. Returns the callback URL it is sent to,
 * on our API's origin (XERO_REDIRECT_URI names a fixed origin; the test API listens on a free port).
 */
export async function consentInBrowser(
  stack: TestStack,
  consentUrl: string,
  { tenantIds, user, decision = 'allow' }: { tenantIds: string[]; user: string; decision?: 'allow' | 'deny' },
): Promise<string> {
  const page = await fetch(consentUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const url = new URL(consentUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set('decision', decision);
  form.set('user', user);
  for (const tenantId of tenantIds) form.append('tenantId', tenantId);
  const submitted = await fetch(url.origin + url.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = submitted.headers.get('location');
  if (submitted.status !== 302 || !location) throw new Error(`consent page did not redirect (${submitted.status}): ${await submitted.text()}`);
  const back = new URL(location);
  return `${stack.apiUrl}${back.pathname}${back.search}`;
}

/** The browser arriving at the callback; `accept` decides between the HTML page and JSON. */
export async function openCallback<T = Record<string, unknown>>(callbackUrl: string, accept = 'application/json'): Promise<Answer<T>> {
  return answer<T>(await fetch(callbackUrl, { headers: { accept } }));
}

/** Connect → consent page → callback, in one step. */
export async function connectWithConsent(stack: TestStack, orgId: string, options: { tenantIds: string[]; user: string }) {
  const api = integrationApi(stack, orgId);
  const started = await api.connect();
  if (started.status !== 200) throw new Error(`connect answered ${started.status}: ${started.text}`);
  const callbackUrl = await consentInBrowser(stack, started.body.consentUrl, options);
  return { callbackUrl, result: await openCallback(callbackUrl) };
}
