/**
 * What every drill does: connect an organisation to a sandbox organisation, send the main app's records
 * through the API, wait on outcomes (never a guessed sleep), and count what matters: records completed,
 * duplicates in Xero, records lost, events the main app received. One line per drill says it all.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { orgSettings, organisations, xeroConnections } from '../../db/schema/index.ts';
import { createSecretBox } from '../../lib/secret-box.ts';
import { mintToken } from '../dev-token.ts';
import type { EventCounts } from './main-app.ts';
import type { DrillStack } from './stack.ts';

export interface DrillResult {
  name: string;
  completed: number;
  expected: number;
  duplicates: number;
  lost: number;
  events: EventCounts;
  /** Drill-specific figures, printed after the common ones. */
  figures: string[];
  /** What went wrong beyond lost and duplicated records (a wrong answer, an event twice under two ids...). */
  problems: string[];
}

export interface DrillContext {
  stack: DrillStack;
  quick: boolean;
  log: (line: string) => void;
}

export function formatResult(r: DrillResult): string {
  const events = `events to the main app: ${r.events.sent} sent / ${r.events.distinct} distinct / ${r.events.repeated} repeated`;
  const extra = [...r.figures, ...r.problems.map((p) => `PROBLEM: ${p}`)];
  return `drill ${r.name}, completed ${r.completed}/${r.expected}, duplicates in Xero ${r.duplicates}, lost ${r.lost}, ${events}${extra.length ? `; ${extra.join('; ')}` : ''}`;
}

export const failed = (r: DrillResult) => r.lost > 0 || r.duplicates > 0 || r.completed < r.expected || r.problems.length > 0;

export interface DrillOrg {
  orgId: string;
  tenantId: string;
}

/** An organisation connected through a custom connection, stored as the connections module stores one. */
export async function connectOrg(stack: DrillStack, settings: Partial<typeof orgSettings.$inferInsert> = {}): Promise<DrillOrg> {
  const orgId = `drill-${randomUUID()}`;
  const { tenantId, name } = await stack.sandbox.createOrganisation({ name: `Drill ${orgId.slice(6, 14)}` });
  const client = await stack.sandbox.registerClient({ kind: 'custom', tenantIds: [tenantId] });
  const box = createSecretBox(parseKeys(stack.secrets.encryptionKey));
  const db = stack.database.db;
  await db.insert(organisations).values({ id: orgId });
  await db.insert(orgSettings).values({ orgId, clientId: client.clientId, clientSecretEnc: box.encrypt(client.clientSecret, `client_secret:${orgId}`), bankAccountCode: '090', ...settings });
  await db.insert(xeroConnections).values({ orgId, authType: 'custom', status: 'connected', xeroTenantId: tenantId, xeroTenantName: name, connectedAt: new Date() });
  return { orgId, tenantId };
}

function parseKeys(raw: string) {
  const [id, b64] = raw.split(':', 2);
  return [{ id: id!, key: Buffer.from(b64!, 'base64') }];
}

/** The main app's calls: records in batches of up to 1,000, with a service token for the organisation. */
export function mainAppCalls(stack: DrillStack, orgId: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const token = await mintToken(stack.secrets.jwt, { role: 'service', orgId });
    const res = await fetch(`${stack.api.url}/api/orgs/${orgId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const inBatches = async (path: string, items: unknown[]) => {
    for (let i = 0; i < items.length; i += 1_000) {
      const res = await call('PUT', path, { items: items.slice(i, i + 1_000) });
      if (res.status !== 200) throw new Error(`PUT ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  };
  return {
    call,
    putContacts: (items: unknown[]) => inBatches('/contacts', items),
    putInvoices: (items: unknown[]) => inBatches('/invoices', items),
  };
}

export const members = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-m${i}`, name: `Member ${prefix} ${i}`, email: `${prefix}.${i}@example.org` }));

export const invoicesOf = (n: number, prefix: string, unitAmount = '120.00') =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-i${i}`,
    contactId: `${prefix}-m${i}`,
    number: `INV-${prefix}-${i}`,
    date: '2026-11-01',
    dueDate: '2026-11-30',
    lines: [{ description: 'Annual membership', quantity: 1, unitAmount }],
  }));

/** Polls `probe` until it returns a value, or gives up after `timeoutMs` (undefined). */
export async function waitFor<T>(probe: () => Promise<T | undefined | false | null>, { timeoutMs, intervalMs = 200 }: { timeoutMs: number; intervalMs?: number }): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // A service being restarted: ask again.
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return undefined;
}

export interface SyncCounts {
  pending: number;
  synced: number;
  failed: number;
}

export async function syncCounts(stack: DrillStack, orgId: string): Promise<SyncCounts> {
  const [row] = await stack.database.db.execute<{ pending: number; synced: number; failed: number }>(sql`
    select count(*) filter (where state = 'pending')::int as pending,
           count(*) filter (where state = 'synced')::int as synced,
           count(*) filter (where state = 'failed')::int as failed
    from sync_state where org_id = ${orgId}`);
  return row!;
}

/** Waits until nothing of the organisation's is pending; then counts what reached Xero once, and what did not. */
export async function pushOutcome(ctx: DrillContext, org: DrillOrg, expected: number, timeoutMs: number) {
  const { stack } = ctx;
  const settled = await waitFor(async () => {
    const counts = await syncCounts(stack, org.orgId);
    return counts.pending === 0 && counts.synced + counts.failed >= expected ? counts : undefined;
  }, { timeoutMs, intervalMs: 250 });
  const settledAt = Date.now();
  const counts = settled ?? (await syncCounts(stack, org.orgId));
  const records = await stack.sandbox.records(org.tenantId);
  const inXero = new Set([...records.contacts.map((c) => String(c.ContactID)), ...records.invoices.map((i) => String(i.InvoiceID))]);
  const [row] = await stack.database.db.execute<{ ids: string[] | null }>(sql`
    select array_agg(lower(xero_id)) as ids from sync_state where org_id = ${org.orgId} and state = 'synced' and xero_id is not null`);
  const reached = (row!.ids ?? []).filter((id) => inXero.has(id) || inXero.has(id.toUpperCase())).length;
  const counters = await stack.sandbox.counters();
  const duplicates = Object.values(counters.organisations[org.tenantId]?.duplicates ?? {}).reduce((n, list) => n + list.length, 0);
  const told = { ...(await invoicesTold(ctx, org, timeoutMs)), at: Date.now() };
  const problems = [
    ...(settled ? [] : [`records still pending after the wait: ${JSON.stringify(counts)}`]),
    ...(told.told < told.approved ? [`${told.approved - told.told} of ${told.approved} approved invoices never told to the main app (invoice.synced)`] : []),
    ...(told.waiting > 0 ? [`${told.waiting} events still waiting in the outbox after the wait`] : []),
  ];
  return { completed: reached, lost: Math.max(0, expected - reached), duplicates, timedOut: !settled, counts, settledAt, told, problems };
}

/** The push drills' common figure: how long the push took, and the main app's hearing of each invoice. */
export function pushedFigure(n: number, started: number, outcome: { settledAt: number; told: { approved: number; told: number; at: number } }): string {
  return `${n} contacts + ${n} invoices pushed in ${seconds(outcome.settledAt - started)}, invoice.synced (with its online link) for ${outcome.told.told}/${outcome.told.approved} approved invoices ${seconds(outcome.told.at - started)} after the first record`;
}

/**
 * Waits until the main app has heard of every invoice Xero holds approved (`invoice.synced`, sent once its
 * online invoice link is stored) and the organisation's outbox is empty.
 */
export async function invoicesTold(ctx: DrillContext, org: DrillOrg, timeoutMs: number) {
  const probe = async () => {
    const [row] = await ctx.stack.database.db.execute<{ approved: number; told: number; waiting: number }>(sql`
      select
        (select count(*)::int from invoices i join sync_state s on s.org_id = i.org_id and s.record_type = 'invoice' and s.record_id = i.id
          where i.org_id = ${org.orgId} and s.state = 'synced' and i.xero_status in ('AUTHORISED', 'PAID')) as approved,
        (select count(distinct record_key)::int from outbound_events where org_id = ${org.orgId} and type = 'invoice.synced' and delivered_at is not null) as told,
        (select count(*)::int from outbound_events where org_id = ${org.orgId} and delivered_at is null) as waiting`);
    return row!;
  };
  const settled = await waitFor(async () => {
    const row = await probe();
    return row.told >= row.approved && row.waiting === 0 ? row : undefined;
  }, { timeoutMs, intervalMs: 250 });
  return settled ?? (await probe());
}

/** Milliseconds since `started`, as seconds with one decimal. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
