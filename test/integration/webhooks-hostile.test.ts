/**
 * Hostile deliveries to Xero's webhook endpoint, a few of each kind `npm run bench:webhooks -- --hostile`
 * sends ten thousand of: every one is answered 401 with an empty body and nothing is stored; a correctly
 * signed delivery sent again (Xero delivers at least once) is answered 200 and stored once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_KINDS, hostileDelivery, signXero, xeroDeliveryBody } from '../../scripts/hostile-webhooks/deliveries.ts';
import { newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { seedConnection, storedEventsFor } from './webhooks-helpers.ts';

let stack: TestStack;
let url: string;
beforeAll(async () => {
  stack = await startTestStack();
  url = `${stack.apiUrl}${stack.env.WEBHOOK_PATH}`;
});
afterAll(async () => {
  await stack?.close();
});

const post = (body: Buffer, headers: Record<string, string>) => fetch(url, { method: 'POST', headers, body });

describe('hostile webhook deliveries', () => {
  it.each(HOSTILE_KINDS)('%s: 401, empty body, nothing stored', async (kind) => {
    const tenantId = randomUUID();
    await seedConnection(stack.database.db, { orgId: newOrgId(), tenantId });
    for (let i = 0; i < 3; i++) {
      const delivery = hostileDelivery(kind, { key: stack.env.XERO_WEBHOOK_KEY!, tenantId, limitBytes: 1024 * 1024 });
      const res = await post(delivery.body, delivery.headers);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(await storedEventsFor(stack.database.db, tenantId)).toEqual([]);
  });

  it('a correctly signed delivery replayed byte for byte: 200 each time, stored once', async () => {
    const tenantId = randomUUID();
    await seedConnection(stack.database.db, { orgId: newOrgId(), tenantId });
    const body = xeroDeliveryBody(tenantId);
    const headers = { 'content-type': 'application/json', 'x-xero-signature': signXero(body, stack.env.XERO_WEBHOOK_KEY!) };
    for (let i = 0; i < 3; i++) expect((await post(body, headers)).status).toBe(200);
    expect(await storedEventsFor(stack.database.db, tenantId)).toHaveLength(1);
  });
});
