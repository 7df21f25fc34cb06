import { afterEach, describe, expect, it } from 'vitest';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

const KEY = 'webhook-key-for-tests==';
let h: Harness;
let receiver: Receiver;
afterEach(async () => {
  await h.close();
  await receiver.close();
});

async function setup(options: Parameters<typeof startHarness>[0] = {}) {
  receiver = await startReceiver(KEY);
  h = await startHarness({ webhook: { url: receiver.url, key: KEY }, webhookBatchMs: 20, ...options });
}

describe('webhooks', () => {
  it('batches Xero-shaped CONTACT and INVOICE events, signed so a Xero-compatible verifier accepts them', async () => {
    await setup();
    const { contactId, invoice } = await seedInvoice(h);
    await h.sandbox.control.flushWebhooks();
    expect(receiver.received.length).toBeGreaterThanOrEqual(1);
    expect(receiver.received.every((r) => r.validSignature)).toBe(true);
    const events = receiver.received.flatMap((r) => r.body.events);
    expect(events).toEqual(expect.arrayContaining([
      expect.objectContaining({ eventCategory: 'CONTACT', eventType: 'CREATE', resourceId: contactId, tenantId: h.tenantId, tenantType: 'ORGANISATION' }),
      expect.objectContaining({ eventCategory: 'INVOICE', eventType: 'CREATE', resourceId: invoice.InvoiceID }),
    ]));
    const payload = receiver.received[0]!.body;
    expect(payload.firstEventSequence).toBe(1);
    expect(payload.lastEventSequence).toBe(payload.firstEventSequence + payload.events.length - 1);
    expect(payload.entropy).toMatch(/^[A-Z]{20}$/);
    expect(events[0].eventDateUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(events[0].resourceUrl).toBe(`${h.sandbox.apiUrl}/Contacts/${contactId}`);
  });

  it('announces a payment made "in Xero" and its deletion as INVOICE UPDATEs, and a contact change as CONTACT UPDATE', async () => {
    await setup();
    const { contactId, invoice } = await seedInvoice(h);
    await h.sandbox.control.flushWebhooks();
    receiver.received.length = 0;
    const payment = h.sandbox.control.payInvoice(h.tenantId, invoice.InvoiceID);
    h.sandbox.control.deletePayment(h.tenantId, String(payment['PaymentID']));
    h.sandbox.control.updateContact(h.tenantId, contactId, { Name: 'Renamed Member', EmailAddress: 'renamed@example.org' });
    await h.sandbox.control.flushWebhooks();
    const events = receiver.received.flatMap((r) => r.body.events).map((e: { eventCategory: string; eventType: string }) => `${e.eventCategory} ${e.eventType}`);
    expect(events).toEqual(['INVOICE UPDATE', 'INVOICE UPDATE', 'CONTACT UPDATE']);
  });

  it('retries a failed delivery with backoff until it is accepted', async () => {
    await setup({ webhookRetryDelaysMs: [50, 50, 50], timeScale: 10 });
    receiver.failNext.push(500, 503);
    h.sandbox.control.createContact(h.tenantId, { Name: 'Retry Me' });
    await h.sandbox.control.flushWebhooks();
    await new Promise((r) => setTimeout(r, 100));
    await h.sandbox.control.flushWebhooks();
    const [delivery] = h.sandbox.control.webhookDeliveries();
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(delivery!.delivered).toBe(true);
    expect(receiver.received.map((r) => r.raw.toString())).toEqual(Array(3).fill(delivery!.body));
  });

  it('can be switched off to simulate missed webhooks, and the URL and key changed at runtime', async () => {
    await setup();
    h.sandbox.control.setWebhook({ enabled: false });
    h.sandbox.control.createContact(h.tenantId, { Name: 'Missed' });
    await h.sandbox.control.flushWebhooks();
    expect(receiver.received).toHaveLength(0);
    expect(h.sandbox.control.counters().webhooks.dropped).toBe(1);
    h.sandbox.control.setWebhook({ enabled: true, key: 'another-key' });
    h.sandbox.control.createContact(h.tenantId, { Name: 'Signed With New Key' });
    await h.sandbox.control.flushWebhooks();
    expect(receiver.received[0]!.validSignature).toBe(false); // the receiver still holds the old key
  });
});

describe('intent to receive', () => {
  it('passes an endpoint that answers 200 / 401 with empty bodies, and fails one that accepts anything', async () => {
    await setup();
    const good = await h.sandbox.control.intentToReceive();
    expect(good.ok).toBe(true);
    expect(good.attempts.map((a) => [a.signedCorrectly, a.status])).toEqual([[false, 401], [true, 200], [false, 401], [true, 200]]);
    expect(receiver.received.every((r) => r.body.events.length === 0)).toBe(true);
    const lax = await startReceiver(KEY, { misbehave: 'always-200' });
    const bad = await h.sandbox.control.intentToReceive({ url: lax.url, key: KEY });
    await lax.close();
    expect(bad.ok).toBe(false);
    expect(bad.attempts.filter((a) => !a.pass).every((a) => !a.signedCorrectly && a.status === 200)).toBe(true);
  });
});
