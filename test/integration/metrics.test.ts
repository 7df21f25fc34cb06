/**
 * `GET /metrics` on the worker and on the API, scraped as Prometheus would: the counters move by exactly what
 * the sync did (records pushed and failed by type, Xero calls by endpoint as the Xero sandbox counted them,
 * 429s by kind, webhook deliveries and their ingest latency), the database gauges say what waits (pending
 * records, the outbox), the Temporal SDK's own metrics are merged into the worker's, and neither endpoint
 * answers a caller without the metrics credentials.
 *
 * A database of its own: the gauges read the whole database, so other files' records must not be in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { buildApi } from '../../api/build.ts';
import { syncState } from '../../db/schema/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { apiClient } from '../support/api-client.ts';
import { family, sample, scrape, type Samples } from '../support/prometheus.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { createScratchDatabase, eventually, startTestStack, testEnv, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg, type ConnectedOrg } from '../support/xero-org.ts';
import { postWebhook, xeroDelivery, xeroEvent, xeroSignature } from './webhooks-helpers.ts';
import { testLogger } from '../support/secret-audit.ts';

const credentials = { user: 'prometheus', password: 'scrape-me-please-1234' };
let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let sandbox: Sandbox;
let stack: TestStack;
let org: ConnectedOrg;
beforeAll(async () => {
  scratch = await createScratchDatabase();
  sandbox = await startTestSandbox();
  stack = await startTestStack({ xeroUrl: sandbox.url, databaseUrl: scratch.url, env: { METRICS_USER: credentials.user, METRICS_PASSWORD: credentials.password } });
  org = await connectSandboxOrg(stack, sandbox);
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
  await scratch?.close();
});

const worker = () => scrape(stack.workerMetricsUrl, credentials);
const api = () => scrape(`${stack.apiUrl}/metrics`, credentials);
const moved = (before: Samples, after: Samples, name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);

async function countInState(orgId: string, state: 'synced' | 'failed' | 'pending', recordType?: string): Promise<number> {
  const [row] = await stack.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.state, state), recordType ? eq(syncState.recordType, recordType as 'contact') : undefined));
  return row!.n;
}

/** The sandbox counts calls by its route names ("GET /Invoices/{InvoiceID}"); ours are templates with `{id}`. */
function sandboxCalls(tenantId: string): Record<string, number> {
  const calls = sandbox.control.counters().calls[tenantId] ?? {};
  return Object.fromEntries(Object.entries(calls).map(([name, n]) => [name.replace(/\{[^}]+\}/g, '{id}'), n]));
}

const members = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, name: `Member ${prefix}${i}`, email: `${prefix}${i}@example.org` }));

describe('the worker', () => {
  it("counts a pushed batch: records by type, Xero calls by endpoint exactly as Xero served them, the budget Xero says is left, and the Temporal SDK's metrics", async () => {
    const before = await worker();
    expect(sandboxCalls(org.tenantId)).toEqual({});
    expect((await apiClient(stack, org.orgId).putContacts(members('m', 60))).status).toBe(200);
    await eventually(async () => (await countInState(org.orgId, 'synced')) === 60);
    const after = await worker();

    expect(moved(before, after, 'xero_sync_records_pushed_total', { record_type: 'contact' })).toBe(60);
    expect(moved(before, after, 'xero_sync_records_failed_total', { record_type: 'contact' })).toBe(0);
    // Every request the sandbox answered, by endpoint: a look at Xero's contacts, then two batches (50 + 10).
    const served = sandboxCalls(org.tenantId);
    expect(served['POST /Contacts']).toBe(2);
    for (const [endpoint, n] of Object.entries(served)) {
      expect(moved(before, after, 'xero_sync_xero_calls_total', { endpoint, status_class: '2xx' }), endpoint).toBe(n);
    }
    const ours = family(after, 'xero_sync_xero_calls_total').reduce((sum, s) => sum + s.value, 0) - family(before, 'xero_sync_xero_calls_total').reduce((sum, s) => sum + s.value, 0);
    expect(ours).toBe(Object.values(served).reduce((a, b) => a + b, 0));

    // What Xero's last answer said is left of this organisation's minute and day.
    const minuteLeft = sample(after, 'xero_sync_xero_budget_remaining', { org_id: org.orgId, window: 'minute' });
    const dayLeft = sample(after, 'xero_sync_xero_budget_remaining', { org_id: org.orgId, window: 'day' });
    expect(minuteLeft).toBeGreaterThanOrEqual(0);
    expect(minuteLeft).toBeLessThan(60);
    expect(dayLeft).toBe(5_000 - Object.values(served).reduce((a, b) => a + b, 0));

    // The SDK runtime's exporter, merged in: its activity and workflow task metrics.
    expect([...after.keys()].some((key) => key.startsWith('temporal_activity_execution_latency'))).toBe(true);
    expect([...after.keys()].some((key) => key.startsWith('temporal_workflow_task_execution_latency'))).toBe(true);
    expect([...after.keys()].some((key) => key.startsWith('process_cpu_user_seconds_total'))).toBe(true);
  });

  it("counts Xero's 429s by kind, and the calls they answered", async () => {
    const before = await worker();
    const injectedBefore = sandbox.control.counters().rateLimited.injected;
    const postsBefore = sandboxCalls(org.tenantId)['POST /Contacts'] ?? 0;
    // Two seconds of "minute limit reached" for every call: the push waits out Retry-After and goes through.
    sandbox.control.rateLimitStorm(2);
    expect((await apiClient(stack, org.orgId).putContact('storm-1', { name: 'Through the storm' })).status).toBe(200);
    await eventually(async () => (await countInState(org.orgId, 'synced')) === 61, { timeoutMs: 30_000 });
    const after = await worker();

    const served429 = sandbox.control.counters().rateLimited.injected - injectedBefore;
    expect(served429).toBeGreaterThan(0);
    expect(moved(before, after, 'xero_sync_xero_rate_limited_total', { kind: 'minute' })).toBe(served429);
    // A 429 is a 4xx answer of whichever call met the storm (the look at Xero's contacts, or the push).
    const fourXx = (samples: Samples) => family(samples, 'xero_sync_xero_calls_total').filter((s) => s.labels.includes('status_class="4xx"')).reduce((sum, s) => sum + s.value, 0);
    expect(fourXx(after) - fourXx(before)).toBe(served429);
    expect(moved(before, after, 'xero_sync_xero_calls_total', { endpoint: 'POST /Contacts', status_class: '2xx' })).toBe(sandboxCalls(org.tenantId)['POST /Contacts']! - postsBefore);
    expect(moved(before, after, 'xero_sync_records_pushed_total', { record_type: 'contact' })).toBe(1);
  });

  it('reads what waits from the database: pending records by type, then failed records and the sync.failed events for the main app', async () => {
    // An organisation whose revenue account Xero does not have: its invoice fails.
    const broken = await connectSandboxOrg(stack, sandbox, { settings: { defaultRevenueAccountCode: '999' } });
    const main = apiClient(stack, broken.orgId);
    await stack.stopWorker();
    expect((await main.putContacts(members('w', 3))).status).toBe(200);
    const invoice = { contactId: 'w0', number: 'INV-1', date: '2026-01-05', dueDate: '2026-02-05', lines: [{ description: 'Membership', quantity: '1', unitAmount: '120.00' }] };
    expect((await main.putInvoice('i1', invoice)).status).toBe(200);
    const waiting = await worker();
    expect(sample(waiting, 'xero_sync_database_gauges_up')).toBe(1);
    expect(sample(waiting, 'xero_sync_pending_records', { record_type: 'contact' })).toBe(3);
    expect(sample(waiting, 'xero_sync_pending_records', { record_type: 'invoice' })).toBe(1);
    expect(sample(waiting, 'xero_sync_pending_records', { record_type: 'payment' })).toBe(0);
    expect(sample(waiting, 'xero_sync_outbox_depth')).toBe(0);
    expect(sample(waiting, 'xero_sync_outbox_oldest_event_age_seconds')).toBe(0);

    await stack.startWorker();
    await eventually(async () => (await countInState(broken.orgId, 'failed', 'invoice')) === 1 && (await countInState(broken.orgId, 'synced')) === 3);
    const done = await worker();
    expect(moved(waiting, done, 'xero_sync_records_failed_total', { record_type: 'invoice' })).toBe(1);
    expect(moved(waiting, done, 'xero_sync_records_pushed_total', { record_type: 'contact' })).toBe(3);
    expect(sample(done, 'xero_sync_pending_records', { record_type: 'contact' })).toBe(0);
    expect(sample(done, 'xero_sync_pending_records', { record_type: 'invoice' })).toBe(0);
    // The main app is told of the failure through the outbox (no dispatcher runs here: the event waits).
    expect(sample(done, 'xero_sync_outbox_depth')).toBe(1);
    expect(sample(done, 'xero_sync_outbox_oldest_event_age_seconds')).toBeGreaterThan(0);
    expect(sample(done, 'xero_sync_outbox_oldest_event_age_seconds')).toBeLessThan(120);
  });
});

describe('the API', () => {
  it('counts webhook deliveries by answer, the events stored, and observes their ingest latency', async () => {
    const before = await api();
    const url = `${stack.apiUrl}${stack.env.WEBHOOK_PATH}`;
    const body = xeroDelivery([xeroEvent({ tenantId: org.tenantId }), xeroEvent({ tenantId: org.tenantId, eventCategory: 'CONTACT' })]);
    expect((await postWebhook(url, body, xeroSignature(body, stack.env.XERO_WEBHOOK_KEY!))).status).toBe(200);
    expect((await postWebhook(url, body, 'not-the-signature')).status).toBe(401);
    const after = await api();

    expect(moved(before, after, 'xero_sync_webhook_deliveries_total', { status: '200' })).toBe(1);
    expect(moved(before, after, 'xero_sync_webhook_deliveries_total', { status: '401' })).toBe(1);
    expect(moved(before, after, 'xero_sync_webhook_events_stored_total')).toBe(2);
    expect(moved(before, after, 'xero_sync_webhook_ingest_seconds_count', { status: '200' })).toBe(1);
    expect(moved(before, after, 'xero_sync_webhook_ingest_seconds_count', { status: '401' })).toBe(1);
    expect(moved(before, after, 'xero_sync_webhook_ingest_seconds_bucket', { status: '200', le: '+Inf' })).toBe(1);
    expect(moved(before, after, 'xero_sync_webhook_ingest_seconds_sum', { status: '200' })).toBeGreaterThan(0);
  });

  it('answers without credentials only a caller on this host', async () => {
    // No METRICS_USER / METRICS_PASSWORD: the API's port is public, so remote callers are refused.
    const open = await buildApi({ env: testEnv(), db: stack.database.db, logger: testLogger() });
    const server = open.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const local = await fetch(`${base}/metrics`);
      expect(local.status).toBe(200);
      expect(local.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      // Behind a proxy on this host, the caller is the one it names (trust proxy: loopback).
      const remote = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(remote.status).toBe(403);
      expect(await remote.json()).toMatchObject({ code: 'metrics_not_public', detail: expect.stringContaining('METRICS_USER') });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await open.close();
    }
  });
});

it('refuses a scrape without the metrics credentials, on the API and on the worker', async () => {
  for (const url of [`${stack.apiUrl}/metrics`, stack.workerMetricsUrl]) {
    const anonymous = await fetch(url);
    expect(anonymous.status, url).toBe(401);
    expect(anonymous.headers.get('www-authenticate'), url).toMatch(/^Basic realm=/);
    const wrong = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`${credentials.user}:nope`).toString('base64')}` } });
    expect(wrong.status, url).toBe(401);
  }
});
