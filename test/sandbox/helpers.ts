/** Test helpers: a sandbox with one organisation and a connected app, and a small Xero HTTP client. */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/index.ts';

export const REDIRECT_URI = 'http://localhost:3999/callback';
export const SCOPES = 'openid profile email offline_access accounting.transactions accounting.contacts accounting.settings accounting.manualjournals';

// A type alias (not an interface) so it is assignable to openid-client's indexed TokenSetParameters.
export type TokenSet = {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
  scope: string;
  id_token?: string;
};

export interface Harness {
  sandbox: Sandbox;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  tokens: TokenSet;
  /** Calls the Accounting API as the connected app. */
  api: (method: string, path: string, init?: ApiInit) => Promise<ApiResponse>;
  close: () => Promise<void>;
}

export interface ApiInit {
  body?: unknown;
  headers?: Record<string, string>;
  tenantId?: string | null;
  token?: string | null;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function form(url: string, fields: Record<string, string>, basic?: [string, string]): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers['authorization'] = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(fields) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Consents through the control API and exchanges the code: the tokens a real app would hold. */
export async function connectApp(sandbox: Sandbox, clientId: string, clientSecret: string, tenantIds: string[], scope = SCOPES): Promise<TokenSet> {
  const { code } = sandbox.control.authorize({ clientId, redirectUri: REDIRECT_URI, scope, state: 's', tenantIds });
  const response = await form(`${sandbox.identityUrl}/connect/token`, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI }, [clientId, clientSecret]);
  if (response.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(response.body)}`);
  return response.body as TokenSet;
}

export async function call(url: string, method: string, init: ApiInit & { tenant?: string; accessToken?: string } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.accessToken) headers['authorization'] = `Bearer ${init.accessToken}`;
  if (init.tenant) headers['xero-tenant-id'] = init.tenant;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* plain text */ }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export async function startHarness(options: SandboxOptions & { organisation?: Parameters<Sandbox['control']['createOrganisation']>[0] } = {}): Promise<Harness> {
  const sandbox = await startSandbox(options);
  const org = sandbox.control.createOrganisation(options.organisation ?? { name: 'Test Rowing Club', countryCode: 'NZ', currencies: ['AUD'] });
  const client = sandbox.control.registerClient({ kind: 'web', name: 'xero-sync test', redirectUris: [REDIRECT_URI] });
  const tokens = await connectApp(sandbox, client.clientId, client.clientSecret, [org.tenantId]);
  const api = (method: string, path: string, init: ApiInit = {}) =>
    call(`${sandbox.apiUrl}${path}`, method, {
      ...init,
      tenant: init.tenantId === null ? undefined : (init.tenantId ?? org.tenantId),
      accessToken: init.token === null ? undefined : (init.token ?? tokens.access_token),
    });
  return { sandbox, tenantId: org.tenantId, clientId: client.clientId, clientSecret: client.clientSecret, tokens, api, close: () => sandbox.close() };
}

/** A contact and an AUTHORISED invoice for it, through the API. */
export async function seedInvoice(h: Harness, invoice: Record<string, unknown> = {}, contactName = `Member ${Math.random().toString(36).slice(2, 8)}`) {
  const contact = await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: contactName, EmailAddress: 'member@example.org' }] } });
  const contactId = contact.body.Contacts[0].ContactID as string;
  const response = await h.api('PUT', '/Invoices', {
    body: {
      Invoices: [{
        Type: 'ACCREC', Contact: { ContactID: contactId }, Date: '2026-01-10', DueDate: '2026-02-10', Status: 'AUTHORISED',
        LineItems: [{ Description: 'Annual membership', Quantity: 1, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT2' }],
        ...invoice,
      }],
    },
  });
  if (response.status !== 200) throw new Error(JSON.stringify(response.body));
  return { contactId, invoice: response.body.Invoices[0] as Record<string, any> };
}
