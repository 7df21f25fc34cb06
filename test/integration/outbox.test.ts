/**
 * The outbox to the main app, delivered to a real local HTTP receiver: signature, retries, order per
 * record, and no double sends across dispatchers. On a scratch database of its own: dispatchers claim
 * whatever is due in the table.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import type { Database } from '../../db/client.ts';
import { enqueueOutboundEvent, type NewOutboundEvent } from '../../db/queries/outbound-events.ts';
import { ensureOrganisation } from '../../db/queries/organisations.ts';
import { outboundEvents } from '../../db/schema/index.ts';
import { PLATFORM_SIGNATURE_HEADERS, signPlatformEvent, verifyPlatformSignature } from '../../lib/platform-signature.ts';
import { OutboxDispatcher, type OutboxDispatcherOptions } from '../../worker/outbox-dispatcher.ts';
import { createScratchDatabase, eventually, newOrgId } from '../support/stack.ts';
import { testLogger } from '../support/secret-audit.ts';

const logger = testLogger();
const secret = randomBytes(32).toString('hex');
let scratch: Database;
beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterAll(async () => {
  await scratch?.close();
});

interface Received {
  eventId: string;
  recordKey: string;
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
}

/** The main app's side: records every delivery attempt and answers what `answer` says. */
async function startReceiver(answer: (eventId: string, attempt: number) => number | Promise<number> = () => 204) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(req.headers['x-xerosync-event-id']);
      const attempt = (attempts.get(eventId) ?? 0) + 1;
      attempts.set(eventId, attempt);
      const status = await answer(eventId, attempt);
      received.push({ eventId, recordKey: (JSON.parse(body) as { data: { recordKey: string } }).data.recordKey, status, body, headers: req.headers });
      res.statusCode = status;
      res.end(status >= 400 ? 'nope' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xero-sync/events`,
    received,
    delivered: () => received.filter((r) => r.status < 300),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function enqueue(events: NewOutboundEvent[]): Promise<string[]> {
  await ensureOrganisation(scratch.db, { orgId: events[0]!.orgId });
  // As the reconciliation code will: in the transaction of the change it announces.
  return scratch.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const e of events) ids.push((await enqueueOutboundEvent(tx, e)).id);
    return ids;
  });
}

function paidEvent(orgId: string, recordKey: string, n: number): NewOutboundEvent {
  return { orgId, type: 'invoice.payment_recorded', recordKey, payload: { recordKey, n, amountPaid: '10.00' } };
}

function dispatcher(url: string | undefined, overrides: Partial<OutboxDispatcherOptions> = {}) {
  return new OutboxDispatcher({ db: scratch.db, logger, url, secret, pollMs: 20, retryBaseMs: 150, requestTimeoutMs: 2_000, ...overrides });
}

async function rows(ids: string[]) {
  return scratch.db.select().from(outboundEvents).where(inArray(outboundEvents.id, ids));
}

describe('the outbox dispatcher', () => {
  it('POSTs each event as signed JSON the main app can verify with verifyPlatformSignature', async () => {
    const receiver = await startReceiver();
    try {
      const orgId = newOrgId();
      const [id] = await enqueue([{ orgId, type: 'invoice.paid', recordKey: 'invoice:inv-1', payload: { invoiceId: 'inv-1', recordKey: 'invoice:inv-1', amountDue: '0.00' } }]);
      expect(await dispatcher(receiver.url).dispatchOnce()).toMatchObject({ claimed: 1, delivered: 1, failed: 0 });

      expect(receiver.received).toHaveLength(1);
      const { body, headers } = receiver.received[0]!;
      const [row] = await rows([id!]);
      expect(JSON.parse(body)).toEqual({ id, type: 'invoice.paid', orgId, occurredAt: row!.createdAt.toISOString(), data: { invoiceId: 'inv-1', recordKey: 'invoice:inv-1', amountDue: '0.00' } });
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-xerosync-event-id']).toBe(id);
      expect(headers['x-xerosync-event-type']).toBe('invoice.paid');
      const timestamp = String(headers['x-xerosync-timestamp']);
      const signature = String(headers['x-xerosync-signature']);
      expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
      expect(verifyPlatformSignature({ secret, body, timestamp, signature })).toBe(true);

      // What the verifier refuses: another body, another secret, an old timestamp, a missing header.
      expect(verifyPlatformSignature({ secret, body: body.replace('0.00', '9.00'), timestamp, signature })).toBe(false);
      expect(verifyPlatformSignature({ secret: `${secret}x`, body, timestamp, signature })).toBe(false);
      expect(verifyPlatformSignature({ secret, body, timestamp, signature, nowSeconds: Number(timestamp) + 301 })).toBe(false);
      expect(verifyPlatformSignature({ secret, body, timestamp: undefined, signature })).toBe(false);
      // During a secret rotation the header may carry several signatures: any one matching is enough.
      const rotated = `${signPlatformEvent({ secret: 'old-secret-old-secret', timestamp, body })},${signature}`;
      expect(verifyPlatformSignature({ secret, body, timestamp, signature: rotated })).toBe(true);
      expect(Object.values(PLATFORM_SIGNATURE_HEADERS).every((h) => h.toLowerCase() in headers)).toBe(true);

      expect(row).toMatchObject({ attempts: 1, lastError: null });
      expect(row!.deliveredAt).not.toBeNull();
    } finally {
      await receiver.close();
    }
  });

  it('starts on a new event as its transaction commits (LISTEN/NOTIFY), not at the next poll', async () => {
    const receiver = await startReceiver();
    // A poll an hour apart: only the notification can bring the second event out within the test.
    const d = dispatcher(receiver.url, { pollMs: 3_600_000, listen: (channel, onNotify, onListen) => scratch.sql.listen(channel, onNotify, onListen) });
    d.start();
    try {
      const orgId = newOrgId();
      const [first] = await enqueue([paidEvent(orgId, 'invoice:notify-1', 1)]);
      await eventually(async () => receiver.delivered().some((r) => r.eventId === first));
      // The dispatcher is idle now, waiting out its hour.
      const [second] = await enqueue([paidEvent(orgId, 'invoice:notify-2', 1)]);
      await eventually(async () => receiver.delivered().some((r) => r.eventId === second));
      // A rolled-back transaction notifies nobody and leaves nothing to deliver.
      await scratch.db
        .transaction(async (tx) => {
          await enqueueOutboundEvent(tx, paidEvent(orgId, 'invoice:notify-3', 1));
          tx.rollback();
        })
        .catch(() => {});
      expect((await scratch.db.select().from(outboundEvents).where(eq(outboundEvents.recordKey, 'invoice:notify-3'))).length).toBe(0);
    } finally {
      await d.stop();
      await receiver.close();
    }
  });

  it('retries after the main app answers 500, backing off, until it is delivered', async () => {
    const receiver = await startReceiver((_id, attempt) => (attempt <= 2 ? 500 : 200));
    const worker = dispatcher(receiver.url);
    try {
      const [id] = await enqueue([paidEvent(newOrgId(), 'invoice:retry', 1)]);
      worker.start();
      await eventually(async () => (await rows([id!]))[0]!.deliveredAt !== null, { timeoutMs: 10_000, intervalMs: 50 });

      expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 200]);
      expect(new Set(receiver.received.map((r) => r.eventId))).toEqual(new Set([id]));
      expect((await rows([id!]))[0]).toMatchObject({ attempts: 3, lastError: null });
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });

  it('records the failure and schedules the next attempt later', async () => {
    const receiver = await startReceiver(() => 503);
    try {
      const [id] = await enqueue([paidEvent(newOrgId(), 'invoice:down', 1)]);
      expect(await dispatcher(receiver.url, { retryBaseMs: 60_000 }).dispatchOnce()).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
      const [row] = await rows([id!]);
      expect(row).toMatchObject({ attempts: 1, deliveredAt: null, lastError: 'main app answered HTTP 503' });
      expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
      // Not due yet: nothing is claimed.
      expect(await dispatcher(receiver.url).dispatchOnce()).toMatchObject({ claimed: 0 });
    } finally {
      await receiver.close();
    }
  });

  it('keeps the order per record under retries, while other records are not held up', async () => {
    const orgId = newOrgId();
    const [a1, a2, a3] = await enqueue([paidEvent(orgId, 'invoice:A', 1), paidEvent(orgId, 'invoice:A', 2), paidEvent(orgId, 'invoice:A', 3)]);
    const [b1, b2] = await enqueue([paidEvent(orgId, 'invoice:B', 1), paidEvent(orgId, 'invoice:B', 2)]);
    // A's first event fails twice (and a2 once): A must wait, B must not.
    const receiver = await startReceiver((id, attempt) => ((id === a1 && attempt <= 2) || (id === a2 && attempt === 1) ? 500 : 200));
    const worker = dispatcher(receiver.url);
    try {
      worker.start();
      await eventually(async () => (await rows([a1!, a2!, a3!, b1!, b2!])).every((r) => r.deliveredAt !== null), { timeoutMs: 15_000, intervalMs: 50 });

      const ofA = receiver.received.filter((r) => r.recordKey === 'invoice:A');
      expect(ofA.map((r) => [r.eventId, r.status])).toEqual([[a1, 500], [a1, 500], [a1, 200], [a2, 500], [a2, 200], [a3, 200]]);
      expect(receiver.delivered().filter((r) => r.recordKey === 'invoice:B').map((r) => r.eventId)).toEqual([b1, b2]);
      const index = (id: string) => receiver.received.findIndex((r) => r.eventId === id && r.status < 300);
      expect(index(b2!)).toBeLessThan(index(a1!));
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });

  it("delivers a record's queued events one after another within one pass, in order, without a pass per event", async () => {
    const orgId = newOrgId();
    const [a1, a2, a3] = await enqueue([paidEvent(orgId, 'invoice:chain-A', 1), paidEvent(orgId, 'invoice:chain-A', 2), paidEvent(orgId, 'invoice:chain-A', 3)]);
    const [b1] = await enqueue([paidEvent(orgId, 'invoice:chain-B', 1)]);
    const receiver = await startReceiver();
    try {
      // One pass claims the two records' heads; each next event of A follows its predecessor in the same pass.
      expect(await dispatcher(receiver.url).dispatchOnce()).toEqual({ claimed: 2, delivered: 4, failed: 0 });
      expect(receiver.delivered().filter((r) => r.recordKey === 'invoice:chain-A').map((r) => r.eventId)).toEqual([a1, a2, a3]);
      expect(receiver.delivered().filter((r) => r.recordKey === 'invoice:chain-B').map((r) => r.eventId)).toEqual([b1]);
      expect((await rows([a1!, a2!, a3!, b1!])).every((r) => r.deliveredAt !== null && r.attempts === 1)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('never sends an event twice when two dispatchers work the same outbox, and keeps each record in order', async () => {
    const orgId = newOrgId();
    const records = Array.from({ length: 12 }, (_, i) => `invoice:${i}`);
    const ids = await enqueue(records.flatMap((recordKey) => Array.from({ length: 8 }, (_, n) => paidEvent(orgId, recordKey, n))));
    const receiver = await startReceiver(async () => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      return 200;
    });
    const workers = [dispatcher(receiver.url, { concurrency: 4, batchSize: 6 }), dispatcher(receiver.url, { concurrency: 4, batchSize: 6 })];
    try {
      for (const w of workers) w.start();
      await eventually(async () => (await rows(ids)).every((r) => r.deliveredAt !== null), { timeoutMs: 30_000, intervalMs: 100 });

      const sent = receiver.received.map((r) => r.eventId);
      expect(sent).toHaveLength(ids.length);
      expect(new Set(sent).size).toBe(ids.length);
      for (const recordKey of records) {
        const ns = receiver.received.filter((r) => r.recordKey === recordKey).map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n);
        expect(ns, recordKey).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await receiver.close();
    }
  });

  it('leaves events queued, and says so once, while PLATFORM_WEBHOOK_URL is unset', async () => {
    const lines: string[] = [];
    const capture = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const [id] = await enqueue([paidEvent(newOrgId(), 'invoice:queued', 1)]);
    const unconfigured = new OutboxDispatcher({ db: scratch.db, logger: capture, url: undefined, secret: undefined });

    expect(await unconfigured.dispatchOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0 });
    expect(await unconfigured.dispatchOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0 });
    const [row] = await scratch.db.select().from(outboundEvents).where(eq(outboundEvents.id, id!));
    expect(row).toMatchObject({ attempts: 0, deliveredAt: null });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: expect.stringContaining('PLATFORM_WEBHOOK_URL'), queued: expect.any(Number) });
    expect(lines[0]).not.toContain(secret);
  });
});
