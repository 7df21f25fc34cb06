/**
 * What the fuzzer (api-fuzz.test.ts) found, each pinned by a test of its own: requests that once answered a
 * bare 500 now get the 4xx the OpenAPI document lists, and what the document said of an answer now matches it.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleListAnswer } from '../../api/routes/admin/organisations.ts';
import { apiClient } from '../support/api-client.ts';
import { newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { postWebhook, seedConnection, storedEventsFor, xeroDelivery, xeroEvent, xeroSignature } from './webhooks-helpers.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/** fetch() cannot send a body that is not what its headers say: plain http can. */
function rawRequest(path: string, { method, headers, body }: { method: string; headers: Record<string, string>; body?: Buffer }) {
  return new Promise<{ status: number; contentType: string; json: Record<string, unknown> }>((resolve, reject) => {
    const req = request(new URL(path, stack.apiUrl), { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: String(res.headers['content-type']), json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('requests the fuzzer found answered 500', () => {
  it('a body marked gzip that is not gzip is 400 invalid_body, before and after authentication alike', async () => {
    const orgId = newOrgId();
    const token = await stack.token('service', orgId);
    for (const authorization of [`Bearer ${token}`, undefined]) {
      const answer = await rawRequest(`/api/orgs/${orgId}/contacts/c-1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...(authorization ? { authorization } : {}) },
        body: Buffer.from('definitely not gzip'),
      });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.json).toMatchObject({ status: 400, code: 'invalid_body' });
    }
    expect((await apiClient(stack, orgId).get('contacts', 'c-1')).status).toBe(404);
  });

  it('a path segment that is not UTF-8 once percent-decoded is 400 invalid_path', async () => {
    const orgId = newOrgId();
    const token = await stack.token('client_admin', orgId);
    for (const path of [`/api/orgs/%ED%A0%80/contacts/c-1`, `/api/orgs/${orgId}/contacts/%FF`, `/api/admin/integrations/xero/%C0%AF/status`]) {
      const answer = await rawRequest(path, { method: 'GET', headers: { authorization: `Bearer ${token}` } });
      expect(answer.status, path).toBe(400);
      expect(answer.json, path).toMatchObject({ code: 'invalid_path' });
    }
  });

  it('a signed webhook event dated with an offset Postgres cannot store is kept as its UTC instant; year 0 is refused, 400', async () => {
    const orgId = newOrgId();
    const tenantId = randomUUID();
    await seedConnection(stack.database.db, { orgId, tenantId });
    const url = `${stack.apiUrl}${stack.env.WEBHOOK_PATH}`;
    const key = stack.env.XERO_WEBHOOK_KEY!;
    const farEast = xeroDelivery([xeroEvent({ tenantId, eventDateUtc: '2025-12-02T20:30:00+23:30' })]);
    const accepted = await postWebhook(url, farEast, xeroSignature(farEast, key));
    expect(accepted.status).toBe(200);
    const [stored] = await storedEventsFor(stack.database.db, tenantId);
    expect(stored!.eventDateUtc.toISOString()).toBe('2025-12-01T21:00:00.000Z');

    const yearZero = xeroDelivery([xeroEvent({ tenantId, eventDateUtc: '0000-01-01T00:00:00' })]);
    const refused = await postWebhook(url, yearZero, xeroSignature(yearZero, key));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('');
    expect(await storedEventsFor(stack.database.db, tenantId)).toHaveLength(1);
  });
});

describe('values Postgres cannot store, refused as invalid instead of failing the insert', () => {
  it('a date in year 0000 is a 422 naming the field, for one record, a batch and a query alike; nothing is stored', async () => {
    const orgId = newOrgId();
    const api = apiClient(stack, orgId);
    expect((await api.putContact('m-1', { name: 'Member' })).status).toBe(200);
    const invoice = { contactId: 'm-1', number: 'INV-0', date: '0000-02-29', dueDate: '2026-01-01', lines: [{ description: 'Fee', quantity: '1', unitAmount: '10.00' }] };
    const one = await api.putInvoice('inv-0', invoice);
    expect(one.status).toBe(422);
    expect(one.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.date', message: expect.stringContaining('year 0000') }] });
    const batch = await api.call('POST', `/api/orgs/${orgId}/payments/batch`, { items: [{ id: 'r-0', invoiceId: 'inv-0', amount: '1.00', date: '0000-01-01' }] });
    expect(batch.status).toBe(422);
    expect((await api.get('invoices', 'inv-0')).status).toBe(404);
    const logs = await apiClient(stack, orgId, 'platform_admin').call('GET', `/api/admin/integrations/xero/${orgId}/logs?since=0000-01-01T00:00:00Z`);
    expect(logs.status).toBe(422);
    expect(logs.body).toMatchObject({ errors: [{ path: 'query.since' }] });
  });

  it('a NUL character anywhere in a JSON body is a 422 naming the field; nothing is stored', async () => {
    const orgId = newOrgId();
    const api = apiClient(stack, orgId);
    const answer = await api.putContact('m-1', { name: 'Member', firstName: 'A\u0000B' });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.firstName', message: expect.stringContaining('NUL') }] });
    const nested = await api.putContacts([{ id: 'm-2', name: 'x', lastName: '\u0000' }]);
    expect(nested.status).toBe(422);
    expect(nested.body).toMatchObject({ errors: [{ path: 'body.items.0.lastName' }] });
    expect((await api.get('contacts', 'm-1')).status).toBe(404);
  });

  it('a signed webhook delivery carrying a NUL is refused, 400, and stores nothing; a compressed one is 401, as documented', async () => {
    const tenantId = randomUUID();
    const url = `${stack.apiUrl}${stack.env.WEBHOOK_PATH}`;
    const key = stack.env.XERO_WEBHOOK_KEY!;
    const body = xeroDelivery([{ ...xeroEvent({ tenantId }), resourceUrl: 'https://api.xero.com/x\u0000' }]);
    const refused = await postWebhook(url, body, xeroSignature(body, key));
    expect(refused.status).toBe(400);
    expect(await storedEventsFor(stack.database.db, tenantId)).toEqual([]);
    const compressed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-xero-signature': xeroSignature(body, key) }, body });
    expect(compressed.status).toBe(401);
    expect(await compressed.text()).toBe('');
  });
});

describe('answers the document described otherwise', () => {
  it("the console's list says needs_attention false, not null, for an organisation without a connection, and lists it after those that need attention", async () => {
    const tag = randomUUID().slice(0, 8);
    const [unconnected, reauth] = [`list-${tag}-unconnected`, `list-${tag}-reauth`];
    expect((await apiClient(stack, unconnected).putContact('m-1', { name: 'Member' })).status).toBe(200);
    await seedConnection(stack.database.db, { orgId: reauth, tenantId: randomUUID(), status: 'needs_reauth' });
    const listed = await apiClient(stack, unconnected, 'platform_admin').call<{ organisations: Array<Record<string, unknown>> }>('GET', `/api/admin/integrations/xero?q=list-${tag}`);
    expect(listed.status).toBe(200);
    expect(consoleListAnswer.safeParse(listed.body).error).toBeUndefined();
    expect(listed.body.organisations.map((o) => [o.organization_id, o.needs_attention])).toEqual([
      [reauth, true],
      [unconnected, false],
    ]);
  });

  it("the reference page's stylesheet is text/css, as /openapi.json says", async () => {
    const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content: object }> }>> };
    const res = await fetch(`${stack.apiUrl}/docs/assets/swagger-ui.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(Object.keys(document.paths['/docs/assets/{file}']!.get!.responses['200']!.content)).toContain('text/css');
  });
});
