/**
 * The API under test of `npm run bench:webhooks`, in a child process of its own so the load generator does not
 * share its event loop. Answers the generator's `mark` (start counting CPU) and `report` messages.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { createLogger } from '../config/logger.ts';
import { createDatabase } from '../db/client.ts';
import { freePort } from './free-port.ts';
import { isMainModule } from '../config/process.ts';

export const WEBHOOK_PATH = '/billing/xero/webhooks/';

export interface ApiReport {
  cpuMs: number;
  signalCalls: number;
  signalFailures: number;
}

async function serveApi(): Promise<void> {
  const { values: args } = parseArgs({ options: { signals: { type: 'string', default: 'down' }, server: { type: 'string', default: 'express' } } });
  const { createApp } = await import('../api/app.ts');
  const { createOrgWorkflows } = await import('../workflows/client/org-workflows.ts');
  const { createTokenVerifier } = await import('../api/auth.ts');
  const { Client: TemporalClient, Connection } = await import('@temporalio/client');

  const database = createDatabase(process.env.BENCH_DATABASE_URL!, { max: 10 });
  const logger = createLogger({ level: 'fatal', name: 'bench-api' });
  let temporal: Client | undefined;
  let signalCalls = 0;
  let signalFailures = 0;
  let notifyXeroEvents: (orgId: string) => Promise<void>;
  if (args.signals === 'ok') {
    notifyXeroEvents = async () => {};
  } else {
    // A Temporal that is down: the same client the API builds, at a port nothing listens on.
    temporal = new TemporalClient({ connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}` }), namespace: 'default' });
    notifyXeroEvents = createOrgWorkflows(temporal, 'bench').notifyXeroEvents;
  }
  const workflows = {
    wake: async () => {},
    pause: async () => {},
    resume: async () => {},
    reconcile: async () => {},
    connectionChanged: async () => {},
    recogniseRevenue: async () => {},
    notifyXeroEvents: async (orgId: string) => {
      signalCalls += 1;
      try {
        await notifyXeroEvents(orgId);
      } catch (err) {
        signalFailures += 1;
        throw err;
      }
    },
  };
  if (args.server === 'node') {
    // The same receiver without Express: what the framework costs on this endpoint.
    const { createXeroWebhookReceiver } = await import('../api/webhooks/xero-webhook-receiver.ts');
    const receive = createXeroWebhookReceiver({ db: database.db, workflows, logger, key: process.env.BENCH_WEBHOOK_KEY! });
    const bare = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        receive(Buffer.concat(chunks), req.headers['x-xero-signature'] as string | undefined).then(
          (status) => res.writeHead(status).end(),
          () => res.writeHead(500).end(),
        );
      });
    });
    bare.listen(0, '127.0.0.1', () => process.send!({ port: (bare.address() as AddressInfo).port }));
    reportOnRequest(() => ({ signalCalls, signalFailures }));
    return;
  }
  const app = createApp({
    db: database.db,
    temporal: temporal ?? ({} as Client),
    workflows,
    lifecycle: { resume: async () => {}, pause: async () => {}, ensureRevenueSchedule: async () => {} },
    verifyToken: createTokenVerifier({ jwtSecret: randomBytes(32).toString('hex') }),
    logger,
    settingsDefaults: { defaultRevenueAccountCode: '200', amountType: 'EXCLUSIVE', emailInvoices: false, contactMatchOrder: ['contact_number', 'email', 'name'] },
    xeroWebhooks: { key: process.env.BENCH_WEBHOOK_KEY!, path: WEBHOOK_PATH },
  });
  const server = app.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  reportOnRequest(() => ({ signalCalls, signalFailures }));
}

/** What the process holds once garbage is collected (run with --expose-gc), and its resident size. */
export interface ApiMemory {
  heapUsedMiB: number;
  rssMiB: number;
}

/** Answers the load generator's `mark` (start counting CPU), `memory` and `report` messages. */
function reportOnRequest(counters: () => Omit<ApiReport, 'cpuMs'>): void {
  let cpuAtMark = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'mark') cpuAtMark = process.cpuUsage();
    if (message === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      const memory: ApiMemory = { heapUsedMiB: heapUsed / 2 ** 20, rssMiB: rss / 2 ** 20 };
      process.send!({ memory });
    }
    if (message !== 'report') return;
    const cpu = process.cpuUsage(cpuAtMark);
    const report: ApiReport = { cpuMs: (cpu.user + cpu.system) / 1000, ...counters() };
    process.send!(report, () => process.exit(0));
  });
}


if (isMainModule(import.meta.url)) await serveApi();
