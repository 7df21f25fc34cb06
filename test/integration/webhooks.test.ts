/**
 * Xero's webhook endpoint on the real stack: signature, answers Xero expects, storage (deduplicated)
 * before the 200, unowned tenants, and the signal to the owning organisation's workflow.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseUnownedWebhookEvents } from '../../db/queries/webhook-events.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { postWebhook, seedConnection, signalsReceived, storedEventsFor, xeroDelivery, xeroEvent, xeroSignature } from './webhooks-helpers.ts';

let stack: TestStack;
let url: string;
let key: string;
beforeAll(async () => {
  stack = await startTestStack();
  url = `${stack.apiUrl}${stack.env.WEBHOOK_PATH}`;
  key = stack.env.XERO_WEBHOOK_KEY!;
});
afterAll(async () => {
  await stack?.close();
});

async function expectEmptyAnswer(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(await res.text()).toBe('');
  expect(res.headers.get('set-cookie')).toBeNull();
}

describe(`POST the webhook path`, () => {
  it('refuses a missing or wrong signature with 401 and an empty body, and stores nothing', async () => {
    const tenantId = randomUUID();
    const body = xeroDelivery([xeroEvent({ tenantId })]);
    const tampered = body.replace('UPDATE', 'CREATE');
    const wrongKey = Buffer.from(key, 'base64').reverse().toString('base64');
    const attempts: Array<[string, string | Buffer, string | undefined]> = [
      ['no signature', body, undefined],
      ['empty signature', body, ''],
      ['signed with another key', body, xeroSignature(body, wrongKey)],
      ['signature of another body', tampered, xeroSignature(body, key)],
      ['truncated signature', body, xeroSignature(body, key).slice(0, -2)],
      ['hex instead of base64', body, Buffer.from(xeroSignature(body, key), 'base64').toString('hex')],
      ['signed garbage body unsigned', 'not json at all', 'AAAA'],
    ];
    for (const [, payload, signature] of attempts) await expectEmptyAnswer(await postWebhook(url, payload, signature), 401);
    expect(await storedEventsFor(stack.database.db, tenantId)).toEqual([]);
  });

  it('accepts a correctly signed delivery: 200, empty body, no cookie; events stored with their organisation, then its workflow is signalled', async () => {
    const orgId = newOrgId();
    const tenantId = randomUUID();
    await seedConnection(stack.database.db, { orgId, tenantId });
    const invoice = xeroEvent({ tenantId, eventCategory: 'INVOICE', eventType: 'UPDATE', eventDateUtc: '2025-12-02T00:44:09.923' });
    const contact = xeroEvent({ tenantId, eventCategory: 'CONTACT', eventType: 'CREATE', eventDateUtc: '2025-12-02T00:44:10.5' });
    const body = xeroDelivery([invoice, contact]);

    const res = await postWebhook(url, body, xeroSignature(body, key));
    await expectEmptyAnswer(res, 200);
    expect(res.headers.get('content-length')).toBe('0');

    // Stored before the 200: no waiting needed.
    const rows = await storedEventsFor(stack.database.db, tenantId);
    expect(rows).toHaveLength(2);
    const stored = rows.find((r) => r.eventCategory === 'INVOICE')!;
    expect(stored).toMatchObject({ orgId, resourceId: invoice.resourceId, eventType: 'UPDATE', resourceUrl: invoice.resourceUrl, raw: invoice, processedAt: null });
    // Xero's dates are UTC without an offset.
    expect(stored.eventDateUtc.toISOString()).toBe('2025-12-02T00:44:09.923Z');

    const signals = await eventually(async () => {
      const names = await signalsReceived(stack.temporal, orgId);
      return names.includes('xeroEvents') ? names : undefined;
    });
    expect(signals.filter((n) => n === 'xeroEvents').length).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await storedEventsFor(stack.database.db, tenantId)).every((r) => r.signalledAt !== null));
  });

  it("passes Xero's intent-to-receive check: empty deliveries, some signed correctly (200) and some not (401)", async () => {
    for (let i = 0; i < 3; i += 1) {
      const body = xeroDelivery([]);
      await expectEmptyAnswer(await postWebhook(url, body, xeroSignature(body, key)), 200);
      const bad = xeroDelivery([]);
      await expectEmptyAnswer(await postWebhook(url, bad, xeroSignature(`${bad} `, key)), 401);
    }
  });

  it('stores the same delivery, sent three times (twice at once), as one row per event', async () => {
    const orgId = newOrgId();
    const tenantId = randomUUID();
    await seedConnection(stack.database.db, { orgId, tenantId });
    const body = xeroDelivery([xeroEvent({ tenantId }), xeroEvent({ tenantId, eventCategory: 'CONTACT' })]);
    const signature = xeroSignature(body, key);

    await expectEmptyAnswer(await postWebhook(url, body, signature), 200);
    const [second, third] = await Promise.all([postWebhook(url, body, signature), postWebhook(url, body, signature)]);
    await expectEmptyAnswer(second!, 200);
    await expectEmptyAnswer(third!, 200);
    expect(await storedEventsFor(stack.database.db, tenantId)).toHaveLength(2);

    // The same resource changed again later is a new event.
    const later = xeroDelivery([xeroEvent({ tenantId, resourceId: JSON.parse(body).events[0].resourceId, eventDateUtc: '2025-12-02T00:45:00' })]);
    await expectEmptyAnswer(await postWebhook(url, later, xeroSignature(later, key)), 200);
    expect(await storedEventsFor(stack.database.db, tenantId)).toHaveLength(3);
  });

  it('answers 401 with an empty body to a body over the limit (it cannot be checked), and stores nothing', async () => {
    const tenantId = randomUUID();
    const padding = 'x'.repeat(1024 * 1024);
    const body = JSON.stringify({ ...JSON.parse(xeroDelivery([xeroEvent({ tenantId })])), padding });
    await expectEmptyAnswer(await postWebhook(url, body, xeroSignature(body, key)), 401);
    expect(await storedEventsFor(stack.database.db, tenantId)).toEqual([]);
  });

  it('answers 400 with an empty body to a correctly signed body that is not JSON or not a Xero delivery, and stores nothing', async () => {
    const tenantId = randomUUID();
    const good = xeroEvent({ tenantId });
    const { tenantId: _dropped, ...withoutTenant } = good;
    const bodies = [
      `{"events": [${JSON.stringify(good)}`,
      '',
      JSON.stringify({ notEvents: [] }),
      JSON.stringify({ events: {} }),
      xeroDelivery([good, withoutTenant]),
      xeroDelivery([{ ...good, eventDateUtc: 'yesterday' }]),
      xeroDelivery([{ ...good, eventDateUtc: '2025-02-30T10:00:00' }]),
    ];
    for (const body of bodies) await expectEmptyAnswer(await postWebhook(url, body, xeroSignature(body, key)), 400);
    expect(await storedEventsFor(stack.database.db, tenantId)).toEqual([]);
  });

  it('keeps events for a tenant no live connection owns, with org_id null, and reports them', async () => {
    const unknownTenant = randomUUID();
    const disconnectedTenant = randomUUID();
    await seedConnection(stack.database.db, { orgId: newOrgId(), tenantId: disconnectedTenant, status: 'disconnected' });
    const body = xeroDelivery([xeroEvent({ tenantId: unknownTenant }), xeroEvent({ tenantId: unknownTenant, eventCategory: 'CONTACT' }), xeroEvent({ tenantId: disconnectedTenant })]);
    await expectEmptyAnswer(await postWebhook(url, body, xeroSignature(body, key)), 200);

    const unknown = await storedEventsFor(stack.database.db, unknownTenant);
    expect(unknown).toHaveLength(2);
    expect(unknown.every((r) => r.orgId === null && r.signalledAt === null)).toBe(true);
    expect(await storedEventsFor(stack.database.db, disconnectedTenant)).toMatchObject([{ orgId: null }]);

    const report = await summariseUnownedWebhookEvents(stack.database.db, { sinceMs: 60_000, limit: 1_000 });
    expect(report.find((r) => r.tenantId === unknownTenant)).toMatchObject({ events: 2 });
    expect(report.find((r) => r.tenantId === disconnectedTenant)).toMatchObject({ events: 1 });
  });
});
