/**
 * What the fuzzer aims at: two organisations connected to sandbox Xero organisations (custom connections),
 * each with a record of every kind sent through the API, and the Authorization header of every kind of caller,
 * from none and forged tokens to each role of this organisation and of the other.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '../../api/auth.ts';
import { mintToken } from '../../scripts/dev-token.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { apiClient } from '../support/api-client.ts';
import { rememberSecret } from '../support/secret-audit.ts';
import type { TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import type { Caller, FuzzContext } from './requests.ts';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A record of every kind, sent through the API as the main app sends them; their ids by path segment. */
export async function seedRecords(stack: TestStack, orgId: string): Promise<Record<string, string[]>> {
  const api = apiClient(stack, orgId);
  const line = { description: 'Annual membership', quantity: '1', unitAmount: '120.00' };
  const expect2xx = ({ status, body }: { status: number; body: unknown }) => {
    if (status >= 300) throw new Error(`seeding ${orgId} failed: ${status} ${JSON.stringify(body)}`);
  };
  expect2xx(await api.putContact('member-1', { name: `Member of ${orgId}`, email: 'member@example.org' }));
  expect2xx(await api.putInvoice('inv-1', { contactId: 'member-1', number: `INV-${orgId.slice(4, 10)}-1`, date: '2026-01-05', dueDate: '2026-02-05', lines: [line] }));
  expect2xx(await api.putInvoice('inv-2', { contactId: 'member-1', number: `INV-${orgId.slice(4, 10)}-2`, date: '2026-01-06', dueDate: '2026-02-06', lines: [line] }));
  expect2xx(await api.postPayment({ id: 'rcpt-1', invoiceId: 'inv-1', amount: '20.00', date: '2026-01-10' }));
  expect2xx(await api.putExpense('bill-1', { supplierName: 'Venue Ltd', date: '2026-01-07', lines: [{ description: 'Hall hire', quantity: '1', unitAmount: '300.00' }] }));
  expect2xx(await api.putCreditNote('cn-1', { contactId: 'member-1', number: `CN-${orgId.slice(4, 10)}-1`, date: '2026-01-08', lines: [{ ...line, unitAmount: '10.00' }] }));
  return { contacts: ['member-1'], invoices: ['inv-1', 'inv-2'], payments: ['rcpt-1'], expenses: ['bill-1'], 'credit-notes': ['cn-1'] };
}

/**
 * Signed in to the pages as the main app does it (a sign-in link, opened): the session cookie, and the CSRF
 * token the page carries. An organisation's client admin, or without `orgId` a platform admin.
 */
export async function signInToPages(stack: TestStack, orgId?: string): Promise<{ cookie: string; csrf: string }> {
  const [path, token, body, page] = orgId
    ? [`/api/orgs/${orgId}/ui-sessions`, await stack.token('service', orgId), { role: 'client_admin', subject: `admin-of-${orgId}` }, '/settings/integrations/xero']
    : ['/api/admin/ui-sessions', await stack.token('platform_admin'), { role: 'platform_admin', subject: 'ops' }, '/admin/integrations/xero'];
  const minted = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (minted.status !== 201) throw new Error(`no sign-in link: ${minted.status} ${await minted.text()}`);
  const link = new URL(((await minted.json()) as { url: string }).url);
  const opened = await fetch(`${stack.apiUrl}${link.pathname}${link.search}`, { redirect: 'manual' });
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0]!;
  const html = await (await fetch(`${stack.apiUrl}${page}`, { headers: { cookie } })).text();
  const csrf = /"csrfToken":"([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error(`the page ${page} carries no CSRF token`);
  return { cookie, csrf };
}

export interface FuzzTarget {
  context: Omit<FuzzContext, 'components'>;
  /** The organisations' custom connections' client secrets, for the secrets that must never come back. */
  clientSecrets: string[];
}

export async function prepareFuzzTarget(stack: TestStack, sandbox: Sandbox, { webAppSecret }: { webAppSecret?: string } = {}): Promise<FuzzTarget> {
  const [own, other] = [await connectSandboxOrg(stack, sandbox), await connectSandboxOrg(stack, sandbox)];
  const ids = await seedRecords(stack, own.orgId);
  await seedRecords(stack, other.orgId);

  const secret = stack.env.API_JWT_SECRET!;
  const bearer = async (role: Role, orgId?: string, options: { secret?: string; expiresIn?: string } = {}) => {
    const token = await mintToken(options.secret ?? secret, { role, orgId }, options.expiresIn);
    rememberSecret('bearer token', token);
    return `Bearer ${token}`;
  };
  const authorization: Partial<Record<Caller, string>> = {
    malformed: 'Bearer not-a-jwt',
    basic: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    forged: await bearer('platform_admin', undefined, { secret: randomBytes(32).toString('hex') }),
    expired: await bearer('platform_admin', undefined, { expiresIn: '1 hour ago' }),
    alg_none: `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ role: 'platform_admin', sub: 'nobody', exp: Math.floor(Date.now() / 1000) + 3600 })}.`,
    unknown_role: await bearer('root' as Role, own.orgId),
    platform_admin: await bearer('platform_admin'),
    client_admin: await bearer('client_admin', own.orgId),
    service: await bearer('service', own.orgId),
    other_client_admin: await bearer('client_admin', other.orgId),
    other_service: await bearer('service', other.orgId),
  };
  const sessions = { client_admin_session: await signInToPages(stack, own.orgId), platform_admin_session: await signInToPages(stack) };
  const env = stack.env;
  const secrets = [
    env.API_JWT_SECRET!,
    ...env.ENCRYPTION_KEY.flatMap(({ key }) => [key.toString('base64'), key.toString('hex')]),
    env.XERO_WEBHOOK_KEY!,
    ...(webAppSecret ? [webAppSecret] : []),
    own.clientSecret,
    other.clientSecret,
  ];
  return {
    context: { orgId: own.orgId, otherOrgId: other.orgId, ids, authorization, sessions, webhookKey: env.XERO_WEBHOOK_KEY!, secrets },
    clientSecrets: [own.clientSecret, other.clientSecret],
  };
}
