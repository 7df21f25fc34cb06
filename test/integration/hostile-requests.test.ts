/**
 * What the fuzzer (api-fuzz.test.ts) found, each pinned by a test of its own: requests that once answered a
 * bare 500 now get the 4xx the OpenAPI document lists, and what the document said of an answer now matches it.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('answers the document described otherwise', () => {
  it("the reference page's stylesheet is text/css, as /openapi.json says", async () => {
    const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content: object }> }>> };
    const res = await fetch(`${stack.apiUrl}/docs/assets/swagger-ui.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(Object.keys(document.paths['/docs/assets/{file}']!.get!.responses['200']!.content)).toContain('text/css');
  });
});
