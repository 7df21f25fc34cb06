/**
 * The "from Xero back" stack for one test file: a database of its own (the outbox dispatcher delivers
 * whatever is due in the table), the Xero sandbox delivering its webhooks to our API, the worker, the outbox
 * dispatcher, and the main app's side: an HTTP receiver that checks every event's signature.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { DbOrTx } from '../../db/client.ts';
import { invoices, organisations, orgSettings, payments, syncState } from '../../db/schema/index.ts';
import { createSecretBox } from '../../lib/secret-box.ts';
import { verifyPlatformSignature, PLATFORM_SIGNATURE_HEADERS } from '../../lib/platform-signature.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { OutboxDispatcher } from '../../worker/outbox-dispatcher.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { createScratchDatabase, eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { testLogger } from '../support/secret-audit.ts';

export interface PlatformEvent {
  id: string;
  type: string;
  orgId: string;
  occurredAt: string;
  data: Record<string, any>;
}

/** The main app: stores each event it can verify (answers 401 otherwise), and remembers every attempt. */
export async function startPlatformReceiver(secret: string) {
  const events: PlatformEvent[] = [];
  let refused = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const verified = verifyPlatformSignature({
        secret,
        body,
        timestamp: req.headers[PLATFORM_SIGNATURE_HEADERS.timestamp.toLowerCase()] as string | undefined,
        signature: req.headers[PLATFORM_SIGNATURE_HEADERS.signature.toLowerCase()] as string | undefined,
      });
      if (!verified) {
        refused += 1;
        res.statusCode = 401;
        res.end();
        return;
      }
      const event = JSON.parse(body.toString('utf8')) as PlatformEvent;
      // At least once: the same id may come again; the main app dedupes on it, and so do we.
      if (!events.some((e) => e.id === event.id)) events.push(event);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xero-sync/events`,
    eventsFor: (orgId: string, type?: string) => events.filter((e) => e.orgId === orgId && (!type || e.type === type)),
    refused: () => refused,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type PlatformReceiver = Awaited<ReturnType<typeof startPlatformReceiver>>;

export interface FromXeroStack {
  sandbox: Sandbox;
  stack: TestStack;
  receiver: PlatformReceiver;
  db: DbOrTx;
  close(): Promise<void>;
}

export async function startFromXeroStack(env: Record<string, string> = {}): Promise<FromXeroStack> {
  const secret = randomBytes(24).toString('hex');
  const scratch = await createScratchDatabase();
  const receiver = await startPlatformReceiver(secret);
  // Every request our code sends is checked against Xero's OpenAPI spec (the file fails otherwise).
  const sandbox = await startTestSandbox({ webhookBatchMs: 50 });
  const stack = await startTestStack({
    xeroUrl: sandbox.url,
    databaseUrl: scratch.url,
    env: { PLATFORM_WEBHOOK_URL: receiver.url, PLATFORM_WEBHOOK_SECRET: secret, ...env },
  });
  sandbox.control.setWebhook({ url: `${stack.apiUrl}${stack.env.WEBHOOK_PATH}`, key: stack.env.XERO_WEBHOOK_KEY!, enabled: true });
  const outbox = new OutboxDispatcher({
    db: stack.database.db,
    logger: testLogger(),
    url: receiver.url,
    secret,
    pollMs: 100,
    retryBaseMs: 200,
  });
  outbox.start();
  return {
    sandbox,
    stack,
    receiver,
    db: stack.database.db,
    async close() {
      await outbox.stop();
      await stack.close();
      await sandbox.close();
      await receiver.close();
      await scratch.close();
    },
  };
}

/** A platform organisation connected to a fresh sandbox organisation through the API (custom connection), so the lifecycle hooks run. */
export async function connectThroughApi(s: FromXeroStack, settings: Partial<typeof orgSettings.$inferInsert> = {}) {
  const orgId = newOrgId();
  const { tenantId } = s.sandbox.control.createOrganisation({ name: `Books ${orgId.slice(4, 12)}` });
  const client = s.sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId] });
  const secrets = createSecretBox(s.stack.env.ENCRYPTION_KEY);
  await s.db.insert(organisations).values({ id: orgId });
  await s.db.insert(orgSettings).values({
    orgId,
    clientId: client.clientId,
    clientSecretEnc: secrets.encrypt(client.clientSecret, `client_secret:${orgId}`),
    bankAccountCode: '090',
    invoiceStatus: 'AUTHORISED',
    ...settings,
  });
  const connected = await integrationApi(s.stack, orgId).connect({ type: 'custom' });
  expect(connected.status).toBe(200);
  return { orgId, tenantId };
}

/** A member and an AUTHORISED invoice pushed through the API; resolves once Xero has it. */
export async function pushInvoice(s: FromXeroStack, orgId: string, { invoiceId, unitAmount = '100.00' }: { invoiceId: string; unitAmount?: string }) {
  const api = apiClient(s.stack, orgId);
  expect((await api.putContact(`m-${invoiceId}`, { name: `Member ${invoiceId} ${orgId.slice(4, 10)}`, email: `${invoiceId}@example.org` })).status).toBe(200);
  expect(
    (
      await api.putInvoice(invoiceId, {
        contactId: `m-${invoiceId}`,
        number: `INV-${invoiceId}`,
        date: '2026-11-01',
        dueDate: '2026-11-30',
        lines: [{ description: 'Annual membership', quantity: 1, unitAmount }],
      })
    ).status,
  ).toBe(200);
  const sync = await eventually(async () => {
    const [row] = await s.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'invoice'), eq(syncState.recordId, invoiceId)));
    return row?.state === 'synced' ? row : undefined;
  });
  return { xeroInvoiceId: sync.xeroId!, invoice: await localInvoice(s.db, orgId, invoiceId) };
}

export async function localInvoice(db: DbOrTx, orgId: string, invoiceId: string) {
  const [row] = await db.select().from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.id, invoiceId)));
  return row!;
}

export async function paymentsOf(db: DbOrTx, orgId: string, invoiceId: string) {
  return db.select().from(payments).where(and(eq(payments.orgId, orgId), eq(payments.invoiceId, invoiceId))).orderBy(payments.createdAt);
}

/**
 * Everything Xero announced has been read and everything we enqueued delivered: webhooks flushed (the API
 * stores them before answering), no unprocessed event and no undelivered outbound event for the organisation.
 */
export async function settled(s: FromXeroStack, orgId: string, timeoutMs = 20_000) {
  await s.sandbox.control.flushWebhooks();
  await eventually(
    async () => {
      const [row] = await s.db.execute<{ unprocessed: string; undelivered: string }>(sql`
        select
          (select count(*) from webhook_events where org_id = ${orgId} and processed_at is null) as unprocessed,
          (select count(*) from outbound_events where org_id = ${orgId} and delivered_at is null) as undelivered`);
      return Number(row!.unprocessed) === 0 && Number(row!.undelivered) === 0;
    },
    { timeoutMs },
  );
}

/** A bookkeeper's own app paying an invoice through Xero's Accounting API (`PUT /Payments`). */
export async function payThroughAccountingApi(sandbox: Sandbox, tenantId: string, payment: { invoiceId: string; amount: number; reference: string; date?: string }) {
  const app = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId], name: 'Bookkeeper' });
  const token = (await (
    await fetch(`${sandbox.url}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    })
  ).json()) as { access_token: string };
  const res = await fetch(`${sandbox.apiUrl}/Payments?summarizeErrors=false`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      Payments: [{ Invoice: { InvoiceID: payment.invoiceId }, Account: { Code: '090' }, Amount: payment.amount, Date: payment.date ?? '2026-11-15', Reference: payment.reference }],
    }),
  });
  const body = (await res.json()) as { Payments: Array<{ PaymentID: string; StatusAttributeString?: string; ValidationErrors?: unknown[] }> };
  expect(res.status).toBe(200);
  expect(body.Payments[0]!.ValidationErrors ?? []).toEqual([]);
  return body.Payments[0]!;
}
