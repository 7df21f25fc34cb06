/**
 * The routes the pages need beyond the existing API: the pickers' choices from the Xero organisation,
 * the prerequisites (never a secret's value), the console's list of every organisation (needing attention
 * first, searchable, filterable, paged) and a resync's preview; and the status answer read by the pages
 * against the schema they are typed with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { xeroConnections } from '../../db/schema/index.ts';
import { xeroAdminFromEnv } from '../../api/routes/admin/deps.ts';
import { resyncEtaSeconds } from '../../api/routes/admin/resync-progress.ts';
import { statusAnswer } from '../../api/ui/contracts.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { integrationApi } from '../support/xero-consent.ts';

let sandbox: Sandbox;
let stack: TestStack;
const secret = `secret-${randomUUID()}`;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  stack = await startTestStack({ xeroUrl: sandbox.url, env: { XERO_CLIENT_ID: 'DEPLOYMENTAPP', XERO_CLIENT_SECRET: secret, XERO_REDIRECT_URI: 'https://sync.example.com/auth/callback/xero' } });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

const admin = async (path: string) => {
  const res = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${await stack.token('platform_admin')}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('GET .../integrations/xero/choices', () => {
  it("lists the Xero organisation's active accounts, sales tax rates and currencies, marked by use", async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox, { organisation: { name: `Choices ${randomUUID().slice(0, 6)}`, currencies: ['AUD'] } });
    const { status, body } = await integrationApi(stack, orgId).call<any>('GET', `/api/orgs/${orgId}/integrations/xero/choices`);
    expect(status).toBe(200);
    const account = (code: string) => body.accounts.find((a: { code: string }) => a.code === code);
    expect(account('200')).toMatchObject({ forLines: true, forPayments: false });
    expect(account('090')).toMatchObject({ type: 'BANK', forLines: false, forPayments: true });
    expect(account('280')).toBeUndefined(); // archived
    expect(account('800')).toMatchObject({ forLines: false }); // a system account
    expect(body.taxRates.length).toBeGreaterThan(0);
    expect(body.taxRates.some((t: { forSales: boolean }) => t.forSales)).toBe(true);
    expect(body.currencies.enabled).toEqual(expect.arrayContaining([body.currencies.base, 'AUD']));

    const notConnected = await integrationApi(stack, newOrgId()).call('GET', `/api/orgs/${newOrgId()}/integrations/xero/choices`);
    expect(notConnected.status).toBe(404); // another organisation's caller
    const orgId2 = newOrgId();
    const refused = await integrationApi(stack, orgId2).call('GET', `/api/orgs/${orgId2}/integrations/xero/choices`);
    expect(refused).toMatchObject({ status: 409, body: { code: 'not_connected' } });
  });
});

describe('GET .../integrations/xero/setup', () => {
  it('shows the redirect URI, the webhook URL and the environment by name, secrets as set only', async () => {
    const orgId = newOrgId();
    const { status, body, text } = await integrationApi(stack, orgId).call<any>('GET', `/api/orgs/${orgId}/integrations/xero/setup`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ xeroApp: 'deployment', redirectUri: 'https://sync.example.com/auth/callback/xero', webhookUrl: `${stack.apiUrl}/billing/xero/webhooks/`, webhookKeySet: true });
    const variable = (name: string) => body.environment.find((v: { name: string }) => v.name === name);
    expect(variable('XERO_CLIENT_ID')).toMatchObject({ value: 'DEPLOYMENTAPP', set: true, secret: false });
    expect(variable('XERO_CLIENT_SECRET')).toMatchObject({ value: null, set: true, secret: true });
    expect(variable('XERO_WEBHOOK_KEY')).toMatchObject({ value: null, set: true });
    expect(variable('XERO_TENANT_ID')).toMatchObject({ value: null, set: false });
    expect(text).not.toContain(secret);
    expect(text).not.toContain(stack.env.XERO_WEBHOOK_KEY!);
    expect(body.checklist.map((s: { id: string; done: boolean }) => [s.id, s.done])).toEqual([
      ['xero_account', false],
      ['xero_app', true],
      ['redirect_uri', false],
      ['webhook', true],
      ['connected', false],
    ]);
  });
});

describe('GET /api/admin/integrations/xero', () => {
  it('lists every organisation, needing attention first, searchable and filterable', async () => {
    const tag = randomUUID().slice(0, 8);
    const healthy = await connectSandboxOrg(stack, sandbox, { organisation: { name: `List ${tag} healthy` } });
    const failing = await connectSandboxOrg(stack, sandbox, { organisation: { name: `List ${tag} failing` }, serviceAccounts: { OLD: '280' } });
    const reauth = await connectSandboxOrg(stack, sandbox, { organisation: { name: `List ${tag} reauth` } });
    await stack.database.db.update(xeroConnections).set({ status: 'needs_reauth', lastError: 'Xero refused the refresh token' }).where(eq(xeroConnections.orgId, reauth.orgId));
    const main = apiClient(stack, failing.orgId);
    await main.putContact('m', { name: 'Failing Member' });
    // Most of its recent pushes fail (two invoices refused, one contact pushed): degraded, as the status says.
    for (const [id, number] of [['bad', 'F-1'], ['worse', 'F-2']]) {
      await main.putInvoice(id!, { contactId: 'm', number, date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'x', quantity: 1, unitAmount: '10.00', serviceCode: 'OLD' }] });
    }
    await eventually(async () => ((await main.get('invoices', 'bad')).body as any).sync?.state === 'failed' && ((await main.get('invoices', 'worse')).body as any).sync?.state === 'failed');

    const listed = await admin(`/api/admin/integrations/xero?q=${encodeURIComponent(`List ${tag}`)}`);
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(3);
    expect(listed.body.organisations.map((o: any) => [o.organization_id, o.health, o.needs_attention])).toEqual([
      [failing.orgId, 'degraded', true],
      [reauth.orgId, 'needs_reauth', true],
      [healthy.orgId, 'healthy', false],
    ]);
    expect(listed.body.organisations[0]).toMatchObject({ failed_syncs: 2, pending_syncs: 0, connection_status: 'connected', xero_tenant_name: `List ${tag} failing`, last_sync: expect.any(String) });
    expect(listed.body.organisations[1]).toMatchObject({ last_error: 'Xero refused the refresh token' });

    expect((await admin(`/api/admin/integrations/xero?q=${tag}&attention=true`)).body.total).toBe(2);
    expect((await admin(`/api/admin/integrations/xero?q=${tag}&health=healthy`)).body.organisations.map((o: any) => o.organization_id)).toEqual([healthy.orgId]);
    const paged = await admin(`/api/admin/integrations/xero?q=${tag}&limit=2`);
    expect(paged.body).toMatchObject({ total: 3, next_offset: 2 });
    expect((await admin(`/api/admin/integrations/xero?q=${tag}&limit=2&offset=2`)).body).toMatchObject({ next_offset: null, organisations: [{ organization_id: healthy.orgId }] });
    expect((await admin('/api/admin/integrations/xero?q=%25')).status).toBe(200); // a literal %, not a wildcard
    expect((await admin('/api/admin/integrations/xero?health=sick')).status).toBe(422);

    const asClient = await fetch(`${stack.apiUrl}/api/admin/integrations/xero`, { headers: { authorization: `Bearer ${await stack.token('client_admin', healthy.orgId)}` } });
    expect(asClient.status).toBe(403);

    // The status the pages read conforms to the schema they are typed with.
    const status = await admin(`/api/admin/integrations/xero/${failing.orgId}/status`);
    expect(statusAnswer.safeParse(status.body).error).toBeUndefined();
    // One vocabulary, one rule: the console's word for an organisation is its status's sync_status.
    expect(status.body).toMatchObject({ sync_status: 'degraded', degraded_reason: 'recent_pushes_failing', failed_syncs: 2 });
  });
});

describe('GET /api/admin/integrations/xero/{id}/resync/preview', () => {
  it('counts what the resync would push and its time, and the resync then pushes exactly that', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox);
    await apiClient(stack, orgId).putContacts(Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, name: `Preview ${i}` })));
    await eventually(async () => (await admin(`/api/admin/integrations/xero/${orgId}/status`)).body.pending_syncs === 0);

    const preview = await admin(`/api/admin/integrations/xero/${orgId}/resync/preview?sync_types=contacts,invoices`);
    const pacing = xeroAdminFromEnv(stack.env).pacing;
    expect(preview).toMatchObject({ status: 200, body: { sync_types: ['contacts', 'invoices'], since: null, total: 60, by_type: { contacts: 60, invoices: 0 }, eta_seconds: resyncEtaSeconds(60, pacing) } });
    // The singular names still work, as they do for the resync itself.
    expect((await admin(`/api/admin/integrations/xero/${orgId}/resync/preview?sync_types=contact`)).body).toMatchObject({ sync_types: ['contacts'], total: 60 });
    expect((await admin(`/api/admin/integrations/xero/${orgId}/resync/preview?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.total).toBe(0);
    expect((await admin(`/api/admin/integrations/xero/${orgId}/resync/preview?sync_types=journal`)).status).toBe(422);

    const started = await fetch(`${stack.apiUrl}/api/admin/integrations/xero/${orgId}/resync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.token('platform_admin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sync_types: ['contacts', 'invoices'] }),
    });
    expect(await started.json()).toMatchObject({ total: 60, eta_seconds: preview.body.eta_seconds });
  });
});
