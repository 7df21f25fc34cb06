/**
 * The relay against the real Temporal server: nothing stored is lost while Temporal is away. Runs on a
 * scratch database of its own, because the relay sweeps whole tables.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { inject } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createApp } from '../../api/app.ts';
import { createTokenVerifier } from '../../api/auth.ts';
import { createOrgWorkflows, type OrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { settingsDefaultsFromEnv } from '../../config/settings-defaults.ts';
import type { Database } from '../../db/client.ts';
import { ensureOrganisation } from '../../db/queries/organisations.ts';
import { insertWebhookEvents } from '../../db/queries/webhook-events.ts';
import { syncState, webhookEvents } from '../../db/schema/index.ts';
import { XeroEventRelay } from '../../worker/relay.ts';
import { createRelayTemporalClient } from '../../worker/relay-temporal-client.ts';
import { createScratchDatabase, eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { postWebhook, seedConnection, signalsReceived, storedEventsFor, xeroDelivery, xeroEvent, xeroSignature } from './webhooks-helpers.ts';
import { testLogger } from '../support/secret-audit.ts';

const logger = testLogger();
let stack: TestStack;
let scratch: Database;
beforeAll(async () => {
  [stack, scratch] = await Promise.all([startTestStack(), createScratchDatabase()]);
});
afterAll(async () => {
  await Promise.all([stack?.close(), scratch?.close()]);
});

/** A TCP hop in front of the Temporal server that can be cut and restored: a Temporal outage, as the client sees it. */
async function temporalThroughSwitchableHop() {
  const [host, port] = inject('temporalAddress').split(':') as [string, string];
  const sockets = new Set<Socket>();
  let server: NetServer | undefined;
  let hopPort = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(port), host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(hopPort, '127.0.0.1', () => {
        hopPort = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const down = async () => {
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  await up();
  const client = createRelayTemporalClient({ address: `127.0.0.1:${hopPort}`, namespace: 'default' });
  return {
    client,
    up,
    down,
    close: async () => {
      await client.connection.close();
      await down();
    },
  };
}

/** A TCP server that accepts connections and never says a word. */
async function startBlackHole() {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: () => accepted,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      return closed;
    },
  };
}

function relayWith(workflows: Pick<OrgWorkflows, 'notifyXeroEvents' | 'wake'>, overrides: Partial<ConstructorParameters<typeof XeroEventRelay>[0]> = {}) {
  return new XeroEventRelay({ db: scratch.db, workflows, logger, freshEventGraceMs: 0, signalTimeoutMs: 3_000, stalePendingSweepEveryMs: 0, ...overrides });
}

describe('with Temporal unreachable', () => {
  it('webhooks still get 200 while Temporal does not answer; the relay signals the stored events once Temporal is back', async () => {
    const hop = await temporalThroughSwitchableHop();
    // The API's Temporal accepts connections and never answers: its signals hang. (No gRPC retries, so that
    // no call is waiting on a retry timer when the test closes it: the SDK's timer throws on a closed channel.)
    const blackHole = await startBlackHole();
    const deadTemporal = new Client({
      connection: Connection.lazy({ address: blackHole.address, interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 1 }))] }),
      namespace: 'default',
    });
    const app = createApp({
      db: scratch.db,
      temporal: deadTemporal,
      workflows: createOrgWorkflows(deadTemporal, stack.taskQueue),
      lifecycle: { resume: async () => {}, pause: async () => {}, ensureRevenueSchedule: async () => {} },
      verifyToken: createTokenVerifier({ jwtSecret: stack.env.API_JWT_SECRET! }),
      logger,
      settingsDefaults: settingsDefaultsFromEnv(stack.env),
      xeroWebhooks: { key: stack.env.XERO_WEBHOOK_KEY, path: stack.env.WEBHOOK_PATH },
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const orgId = newOrgId();
      const tenantId = randomUUID();
      await seedConnection(scratch.db, { orgId, tenantId });
      await hop.down();

      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${stack.env.WEBHOOK_PATH}`;
      for (let i = 0; i < 3; i += 1) {
        const body = xeroDelivery([xeroEvent({ tenantId })]);
        const started = Date.now();
        const res = await postWebhook(url, body, xeroSignature(body, stack.env.XERO_WEBHOOK_KEY!));
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('');
        // Inside Xero's 5 s although the signal never completes: the answer does not wait on Temporal.
        expect(Date.now() - started).toBeLessThan(5_000);
      }
      expect(await storedEventsFor(scratch.db, tenantId)).toHaveLength(3);
      expect(blackHole.accepted()).toBeGreaterThanOrEqual(1); // the API did try to signal, and is still waiting

      const relay = relayWith(createOrgWorkflows(hop.client, stack.taskQueue));
      const whileDown = await relay.runOnce();
      expect(whileDown).toMatchObject({ signalledOrgs: 0, signalledEvents: 0, failedOrgs: 1 });
      expect((await storedEventsFor(scratch.db, tenantId)).every((r) => r.signalledAt === null)).toBe(true);

      await hop.up();
      const afterRestart = await eventually(async () => {
        const pass = await relay.runOnce();
        return pass.signalledEvents > 0 ? pass : undefined;
      }, { timeoutMs: 45_000, intervalMs: 500 });
      expect(afterRestart).toMatchObject({ signalledOrgs: 1, signalledEvents: 3, failedOrgs: 0 });
      expect((await storedEventsFor(scratch.db, tenantId)).every((r) => r.signalledAt !== null)).toBe(true);
      expect(await signalsReceived(stack.temporal, orgId)).toContain('xeroEvents');
      // Signalled rows are not signalled again.
      expect(await relay.runOnce()).toMatchObject({ signalledEvents: 0, failedOrgs: 0 });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deadTemporal.connection.close();
      await blackHole.close();
      await hop.close();
    }
  });
});

describe('the relay', () => {
  it('gives events that arrived before their tenant was connected to the new owner, and signals it', async () => {
    const orgId = newOrgId();
    const tenantId = randomUUID();
    const [early] = await insertWebhookEvents(scratch.db, {
      events: [{ ...xeroEventRow(tenantId) }],
    });
    expect(early).toMatchObject({ orgId: null });
    await seedConnection(scratch.db, { orgId, tenantId });

    const pass = await relayWith(createOrgWorkflows(stack.temporal, stack.taskQueue)).runOnce();
    expect(pass.adopted).toBeGreaterThanOrEqual(1);
    const [row] = await scratch.db.select().from(webhookEvents).where(eq(webhookEvents.id, early!.id));
    expect(row).toMatchObject({ orgId });
    expect(row!.signalledAt).not.toBeNull();
    expect(await signalsReceived(stack.temporal, orgId)).toContain('xeroEvents');
  });

  it('shares the work between two relays: each organisation is signalled once', async () => {
    const orgs = Array.from({ length: 24 }, () => ({ orgId: newOrgId(), tenantId: randomUUID() }));
    for (const o of orgs) await seedConnection(scratch.db, o);
    await insertWebhookEvents(scratch.db, { events: orgs.map((o) => xeroEventRow(o.tenantId)) });

    const sent = new Map<string, number>();
    const real = createOrgWorkflows(stack.temporal, stack.taskQueue);
    const counting: Pick<OrgWorkflows, 'notifyXeroEvents' | 'wake'> = {
      notifyXeroEvents: async (orgId) => {
        sent.set(orgId, (sent.get(orgId) ?? 0) + 1);
        await real.notifyXeroEvents(orgId);
      },
      wake: real.wake,
    };
    const [a, b] = [relayWith(counting, { batchSize: 5 }), relayWith(counting, { batchSize: 5 })];
    for (let round = 0; round < 10; round += 1) {
      const [pa, pb] = await Promise.all([a.runOnce(), b.runOnce()]);
      if (pa.signalledEvents + pb.signalledEvents === 0) break;
    }
    for (const o of orgs) expect(sent.get(o.orgId), o.orgId).toBe(1);
    const left = await scratch.db.execute<{ n: string }>(sql`select count(*) as n from webhook_events where signalled_at is null and org_id is not null`);
    expect(Number(left[0]!.n)).toBe(0);
  });

  it('wakes an organisation whose pending work missed its wake, once per change', async () => {
    const orgId = newOrgId();
    await ensureOrganisation(scratch.db, { orgId });
    await scratch.db.insert(syncState).values({ orgId, recordType: 'contact', recordId: 'c-1', state: 'pending', contentHash: 'h1', updatedAt: sql`now() - interval '2 minutes'` });
    const relay = relayWith(createOrgWorkflows(stack.temporal, stack.taskQueue), { stalePendingAfterMs: 30_000 });

    const first = await relay.runOnce();
    expect(first.wokenOrgs).toBeGreaterThanOrEqual(1);
    expect(await signalsReceived(stack.temporal, orgId)).toEqual(['wake']);

    expect((await relay.runOnce()).wokenOrgs).toBe(0);

    // A newer change, again unattempted long enough: woken again.
    await scratch.db.update(syncState).set({ contentHash: 'h2', updatedAt: sql`now() - interval '1 minute'` }).where(eq(syncState.orgId, orgId));
    expect((await relay.runOnce()).wokenOrgs).toBe(1);
    // A signal that arrives while a workflow task is running joins the history when that task completes.
    await eventually(async () => (await signalsReceived(stack.temporal, orgId)).length === 2);
    expect(await signalsReceived(stack.temporal, orgId)).toEqual(['wake', 'wake']);

    // Attempted since its change: the workflow is on it, no wake.
    await scratch.db.update(syncState).set({ contentHash: 'h3', updatedAt: sql`now() - interval '50 seconds'`, lastAttemptAt: sql`now()` }).where(eq(syncState.orgId, orgId));
    expect((await relay.runOnce()).wokenOrgs).toBe(0);
  });
});

function xeroEventRow(tenantId: string) {
  const e = xeroEvent({ tenantId });
  return { ...e, eventDateUtc: `${e.eventDateUtc}Z`, raw: e };
}
