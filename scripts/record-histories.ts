/**
 * `npm run record:histories -- <release>`: runs the released code through one busy day of an organisation
 * and saves the histories its workflows wrote, for `test/integration/workflow-replay.test.ts` to replay with
 * every later version (a change that would issue other commands for them fails that test until it is put
 * behind `patched()`). Run it once per release, on the tagged commit, and commit the files it writes to
 * `test/fixtures/histories/<release>/`.
 *
 * Everything is local and real: embedded Postgres, a Temporal dev server, the Xero sandbox (at a tenth of
 * Xero's minute so budget waits happen in seconds), the worker and the API in this process. The day: a
 * custom connection, members, invoices, receipts and a bill pushed (with a duplicate name and a duplicate
 * invoice number for lookups), budget waits, an invoice paid in Xero read back from its webhook, a
 * reconciliation sweep and its schedule run, a pause and a resume, and continue-as-new.
 */
import { mkdirSync, mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { startApiServer } from '../api/server.ts';
import { startWorker } from '../worker/main.ts';
import { startSandbox } from '../sandbox/index.ts';
import { orgWorkflowId, reconcileScheduleId } from '../workflows/ids.ts';
import { statusQuery } from '../workflows/messages.ts';
import { mintToken } from './dev-token.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { freePort } from './free-port.ts';
import { ensureTemporalCli } from './temporal-cli.ts';
import { startTemporalDevServer } from './temporal-dev-server.ts';

const release = process.argv[2];
if (!release || !/^v\d+\.\d+\.\d+$/.test(release)) {
  console.error('usage: npm run record:histories -- v0.1.0   (the release whose code is checked out)');
  process.exit(2);
}
const outDir = new URL(`../test/fixtures/histories/${release}/`, import.meta.url);
const ORG = `history-${release}`;
const TIME_SCALE = 10;
const work = mkdtempSync(join(tmpdir(), 'record-histories-'));
chmodSync(work, 0o755); // the embedded Postgres runs as the `postgres` user when we are root
const stops: Array<() => Promise<void>> = [];
const say = (line: string) => console.log(`[record] ${line}`);

try {
  const [pg, temporalServer] = await Promise.all([
    startEmbeddedPostgres({ dataDir: join(work, 'pg'), port: await freePort(), database: 'histories', persistent: false }),
    (async () => startTemporalDevServer({ cliPath: (await ensureTemporalCli(say)).path }))(),
  ]);
  stops.push(pg.stop, temporalServer.stop);
  const apiPort = await freePort();
  const webhookKey = randomBytes(32).toString('base64');
  const sandbox = await startSandbox({
    timeScale: TIME_SCALE,
    limits: { perMinute: 10 },
    webhook: { url: `http://127.0.0.1:${apiPort}/billing/xero/webhooks/`, key: webhookKey },
  });
  stops.unshift(sandbox.close);
  const books = sandbox.control.createOrganisation({ name: 'Replay Rowing Club' });
  const app = sandbox.control.registerClient({ kind: 'custom', tenantIds: [books.tenantId] });

  const env = loadEnv({
    ...process.env,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_TASK_QUEUE: 'record-histories',
    API_PORT: String(apiPort),
    API_JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: `r1:${randomBytes(32).toString('base64')}`,
    XERO_API_URL: sandbox.url,
    XERO_IDENTITY_URL: sandbox.identityUrl,
    XERO_LOGIN_URL: sandbox.loginUrl,
    XERO_CLIENT_ID: app.clientId,
    XERO_CLIENT_SECRET: app.clientSecret,
    XERO_TENANT_ID: books.tenantId,
    XERO_WEBHOOK_KEY: webhookKey,
    XERO_MINUTE_LIMIT: '10',
    XERO_RATE_WINDOW_MS: String(60_000 / TIME_SCALE),
    RECONCILE_INTERVAL: '365d',
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
  });
  const logger = createLogger({ level: 'warn', name: 'record-histories' });
  const worker = await startWorker(env, logger);
  stops.unshift(worker.stop);
  const api = await startApiServer(env, logger);
  stops.unshift(api.stop);
  const connection = await Connection.connect({ address: temporalServer.address });
  stops.unshift(() => connection.close());
  const temporal = new Client({ connection });

  // A short history limit, so the day spans several runs handed over by continue-as-new.
  await temporal.workflow.start('xeroOrgWorkflow', { workflowId: orgWorkflowId(ORG), taskQueue: env.TEMPORAL_TASK_QUEUE, args: [{ orgId: ORG, maxHistoryEvents: 400 }] });
  const call = callerFor(api.url, env.API_JWT_SECRET!);
  const handle = temporal.workflow.getHandle(orgWorkflowId(ORG));
  const settled = () => until(async () => ((await call('platform_admin', 'GET', `/api/admin/integrations/xero/${ORG}/status`)).body.pending_syncs === 0 ? true : undefined));

  say('connecting the custom connection');
  await call('client_admin', 'POST', `/api/orgs/${ORG}/integrations/xero/connect`, { type: 'custom' });
  await call('client_admin', 'PUT', `/api/orgs/${ORG}/integrations/xero/settings`, { bankAccountCode: '090', invoiceStatus: 'AUTHORISED', emailInvoices: true });
  await call('client_admin', 'PUT', `/api/orgs/${ORG}/integrations/xero/mappings`, { serviceAccounts: { REPAIRS: '400' }, taxTypes: {} });
  // Already in Xero, made by hand: a contact with a member's name and an invoice with one of our numbers.
  sandbox.control.createContact(books.tenantId, { Name: 'Member 7' });
  const contactIds = Array.from({ length: 120 }, (_, i) => `m-${i}`);
  say('pushing 120 members, 120 invoices, 20 receipts and a bill');
  await call('service', 'PUT', `/api/orgs/${ORG}/contacts`, { items: contactIds.map((id, i) => ({ id, name: `Member ${i}`, email: `member${i}@example.org` })) });
  await settled();
  const xeroContact = (await call('service', 'GET', `/api/orgs/${ORG}/contacts/m-3`)).body.sync.xeroId as string;
  // Made by hand with webhooks off, so only the push finds it (Xero: "Invoice # must be unique"), and a lookup adopts it.
  sandbox.control.setWebhook({ enabled: false });
  sandbox.control.createInvoice(books.tenantId, { Type: 'ACCREC', Contact: { ContactID: xeroContact }, InvoiceNumber: 'R-3', Status: 'DRAFT', LineItems: [{ Description: 'By hand', Quantity: 1, UnitAmount: 10, AccountCode: '200' }] });
  sandbox.control.setWebhook({ enabled: true });
  // Some writes answered 503: their batches are retried, after a lookup of what Xero may already hold.
  sandbox.control.setFaults({ errorRate: 0.5, errorStatuses: [503], methods: ['PUT', 'POST'], seed: 7 });
  const invoices = contactIds.map((contactId, i) => ({
    id: `i-${i}`,
    contactId,
    number: `R-${i}`,
    date: '2026-12-01',
    dueDate: '2026-12-31',
    lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '150.00' }],
  }));
  await call('service', 'PUT', `/api/orgs/${ORG}/invoices`, { items: invoices });
  await call('service', 'PUT', `/api/orgs/${ORG}/expenses/e-1`, {
    supplierName: 'Boat Repairs Ltd',
    date: '2026-12-01',
    lines: [{ description: 'Hull repair', quantity: 1, unitAmount: '400.00', serviceCode: 'REPAIRS' }],
  });
  await settled();
  sandbox.control.setFaults({ errorRate: 0 });
  await call('service', 'POST', `/api/orgs/${ORG}/payments/batch`, { items: Array.from({ length: 20 }, (_, i) => ({ id: `p-${i}`, invoiceId: `i-${i}`, amount: '50.00', date: '2026-12-02' })) });
  await settled();

  say('an invoice paid in Xero, read back from its webhook');
  const paid = (await call('service', 'GET', `/api/orgs/${ORG}/invoices/i-100`)).body.sync.xeroId as string;
  sandbox.control.payInvoice(books.tenantId, paid);
  await until(async () => ((await call('service', 'GET', `/api/orgs/${ORG}/invoices/i-100`)).body.xeroStatus === 'PAID' ? true : undefined));

  say('a reconciliation sweep, from its schedule');
  await temporal.schedule.getHandle(reconcileScheduleId(ORG)).trigger();
  await until(async () => ((await call('platform_admin', 'GET', `/api/admin/integrations/xero/${ORG}/status`)).body.reconciliation ? true : undefined));

  say('paused by the plan, resumed, one more change');
  await call('service', 'PUT', `/api/orgs/${ORG}/plan`, { integrations: false });
  await until(async () => ((await handle.query(statusQuery)).phase === 'paused' ? true : undefined));
  await call('service', 'PUT', `/api/orgs/${ORG}/contacts/m-1`, { name: 'Member 1 (renamed)' });
  await call('service', 'PUT', `/api/orgs/${ORG}/plan`, { integrations: true });
  await settled();
  await until(async () => ((await handle.query(statusQuery)).phase === 'idle' ? true : undefined));

  mkdirSync(outDir, { recursive: true });
  const runs = await saveRuns(temporal, orgWorkflowId(ORG), 'xero-org');
  const scheduled = await latestScheduleRun(temporal);
  if (scheduled) await save(scheduled, 'reconcile-schedule');
  say(`saved ${runs} run(s) of xero-org:${ORG}${scheduled ? ' and one of its reconciliation schedule' : ''} in ${outDir.pathname}`);
} finally {
  for (const stop of stops) await stop().catch((err) => console.error('stop failed', err));
  rmSync(work, { recursive: true, force: true });
}

function callerFor(apiUrl: string, secret: string) {
  return async (role: 'service' | 'client_admin' | 'platform_admin', method: string, path: string, body?: unknown) => {
    const token = await mintToken(secret, { role, orgId: role === 'platform_admin' ? undefined : ORG });
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.json().catch(() => ({}))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
    return { status: res.status, body: answer };
  };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the scenario did not settle in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every run of the workflow, oldest first, following continue-as-new from the first. */
async function saveRuns(temporal: Client, workflowId: string, name: string): Promise<number> {
  const runs: Array<{ runId: string; startTime: Date }> = [];
  for await (const execution of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(execution);
  runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  for (const [i, { runId }] of runs.entries()) await save(temporal.workflow.getHandle(workflowId, runId), `${name}-run${i + 1}`);
  return runs.length;
}

async function latestScheduleRun(temporal: Client): Promise<WorkflowHandle | undefined> {
  for await (const execution of temporal.workflow.list({ query: `WorkflowType = 'xeroReconcileScheduleWorkflow'` })) {
    return temporal.workflow.getHandle(execution.workflowId, execution.runId);
  }
  return undefined;
}

async function save(handle: WorkflowHandle, name: string): Promise<void> {
  // protobuf object form: the replay test reads it back with History.fromObject.
  writeFileSync(new URL(`${name}.json`, outDir), JSON.stringify(await handle.fetchHistory()));
}
