/**
 * Xero webhook events: stored before the 200 (deduplicated by their natural key), then signalled to
 * the owning organisation's workflow; the relay re-signals whatever is left unsignalled.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Db, DbOrTx } from '../client.ts';
import { webhookEvents } from '../schema/index.ts';

/** One event as Xero sent it, with its natural key (Xero delivers at least once). */
export interface NewWebhookEvent {
  tenantId: string;
  resourceId: string;
  eventCategory: string;
  eventType: string;
  /** ISO 8601 with an explicit offset (Xero's own value carries none: it is UTC). */
  eventDateUtc: string;
  resourceUrl: string;
  /** The event object exactly as delivered, for diagnosis. */
  raw: unknown;
}

export interface StoredWebhookEvent {
  id: number;
  tenantId: string;
  /** Null when no live connection owns the tenant: the event is kept and reported. */
  orgId: string | null;
}

/**
 * The hot path (every webhook delivery) runs as a named prepared statement on the postgres.js client under the
 * drizzle handle: drizzle sends raw SQL unprepared, i.e. Parse and Describe, a round trip, then Bind and
 * Execute, for every execution; prepared, it is one round trip and parsed once per connection (measured:
 * about half the client CPU per insert). The text is a constant and the values are bound parameters.
 */
function preparedClient(db: Db): postgres.Sql {
  return (db as Db & { $client: postgres.Sql }).$client;
}

const INSERT_WEBHOOK_EVENTS = `
  insert into webhook_events (tenant_id, org_id, resource_id, event_category, event_type, event_date_utc, resource_url, raw)
  select e.tenant_id, c.org_id, e.resource_id, e.event_category, e.event_type, e.event_date_utc::timestamptz, e.resource_url, e.raw
  from jsonb_to_recordset($1::jsonb)
    as e(tenant_id text, resource_id text, event_category text, event_type text, event_date_utc text, resource_url text, raw jsonb)
  left join xero_connections c on c.xero_tenant_id = e.tenant_id and c.status <> 'disconnected'
  order by e.tenant_id, e.resource_id, e.event_category, e.event_type, e.event_date_utc::timestamptz
  on conflict (tenant_id, resource_id, event_category, event_type, event_date_utc) do nothing
  returning id, tenant_id, org_id`;

/**
 * Stores a batch of events in ONE statement (one commit for many deliveries) and returns the rows that
 * were new. The owner is resolved in the same statement from the tenant's live connection, so it is never
 * stale. Rows are inserted in key order: concurrent batches then take their unique-index locks in the
 * same order and cannot deadlock on a delivery Xero sent twice. Takes the database, not a transaction.
 */
export async function insertWebhookEvents(db: Db, { events }: { events: NewWebhookEvent[] }): Promise<StoredWebhookEvent[]> {
  if (events.length === 0) return [];
  const rows = events.map((e) => ({
    tenant_id: e.tenantId,
    resource_id: e.resourceId,
    event_category: e.eventCategory,
    event_type: e.eventType,
    event_date_utc: e.eventDateUtc,
    resource_url: e.resourceUrl,
    raw: e.raw,
  }));
  const stored = await preparedClient(db).unsafe<Array<{ id: string; tenant_id: string; org_id: string | null }>>(INSERT_WEBHOOK_EVENTS, [JSON.stringify(rows)], {
    prepare: true,
  });
  return stored.map((r) => ({ id: Number(r.id), tenantId: r.tenant_id, orgId: r.org_id }));
}

/** The owning workflow has been told about these events. */
export async function markWebhookEventsSignalled(db: DbOrTx, { ids }: { ids: number[] }): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update webhook_events set signalled_at = now()
    where id = any(${`{${ids.join(',')}}`}::bigint[]) and signalled_at is null`);
}

/**
 * The relay's batch: owned events not yet signalled, oldest first, locked so that another worker's relay
 * skips them (FOR UPDATE SKIP LOCKED). `olderThanMs` leaves fresh rows to the API's own signal.
 * Call inside a transaction; the locks last until it ends.
 */
export async function lockUnsignalledWebhookEvents(
  tx: DbOrTx,
  { olderThanMs, limit }: { olderThanMs: number; limit: number },
): Promise<Array<{ id: number; orgId: string }>> {
  const rows = await tx.execute<{ id: string; org_id: string }>(sql`
    select id, org_id from webhook_events
    where signalled_at is null and org_id is not null
      and received_at <= now() - make_interval(secs => ${olderThanMs / 1000})
    order by received_at
    limit ${limit}
    for update skip locked`);
  return rows.map((r) => ({ id: Number(r.id), orgId: r.org_id }));
}

/**
 * Gives unowned, unsignalled events to the organisation that now owns their tenant: an event that
 * arrived while the connection was being made would otherwise never reach the workflow.
 */
export async function adoptUnownedWebhookEvents(db: DbOrTx, { withinMs }: { withinMs: number }): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    update webhook_events w set org_id = c.org_id
    from xero_connections c
    where w.org_id is null and w.signalled_at is null
      and w.received_at > now() - make_interval(secs => ${withinMs / 1000})
      and c.xero_tenant_id = w.tenant_id and c.status <> 'disconnected'
    returning w.id`);
  return rows.length;
}

export interface UnownedTenantSummary {
  tenantId: string;
  events: number;
  firstReceivedAt: string;
  lastReceivedAt: string;
}

/** Events for tenants no organisation owns, per tenant: what the operator is told about (not errors). */
export async function summariseUnownedWebhookEvents(db: DbOrTx, { sinceMs, limit = 100 }: { sinceMs: number; limit?: number }): Promise<UnownedTenantSummary[]> {
  const rows = await db.execute<{ tenant_id: string; events: string; first_received_at: string; last_received_at: string }>(sql`
    select tenant_id, count(*) as events, min(received_at) as first_received_at, max(received_at) as last_received_at
    from webhook_events
    where org_id is null and received_at > now() - make_interval(secs => ${sinceMs / 1000})
    group by tenant_id
    order by max(received_at) desc
    limit ${limit}`);
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    events: Number(r.events),
    firstReceivedAt: new Date(r.first_received_at).toISOString(),
    lastReceivedAt: new Date(r.last_received_at).toISOString(),
  }));
}

/** The categories whose records the organisation's workflow reads back from Xero. */
export const XERO_EVENT_CATEGORIES_READ = ['INVOICE', 'CONTACT', 'CREDITNOTE'] as const;

/**
 * The workflow's next Xero changes to read: the distinct invoices, contacts and credit notes named by the
 * organisation's unprocessed events, oldest first, up to `limit` of each (one Xero call's worth). Events of
 * categories nothing here reads (subscriptions), and the creation of records we pushed ourselves, are
 * marked processed on the way: they are kept, not work.
 */
export async function nextUnprocessedXeroResources(
  db: DbOrTx,
  { orgId, limit }: { orgId: string; limit: number },
): Promise<{ invoiceIds: string[]; contactIds: string[]; creditNoteIds: string[] }> {
  await db.execute(sql`
    update webhook_events set processed_at = now()
    where org_id = ${orgId} and processed_at is null and event_category not in ('INVOICE', 'CONTACT', 'CREDITNOTE')`);
  // The creation of a record we pushed ourselves tells us nothing Xero's answer did not (a later change,
  // such as a payment, is an UPDATE of its own): not worth a read of the organisation's Xero budget.
  await db.execute(sql`
    update webhook_events w set processed_at = now()
    where w.org_id = ${orgId} and w.processed_at is null and w.event_type = 'CREATE' and w.event_category in ('INVOICE', 'CONTACT', 'CREDITNOTE')
      and exists (
        select 1 from sync_state s
        where s.org_id = w.org_id
          and s.record_type = case w.event_category when 'INVOICE' then 'invoice' when 'CREDITNOTE' then 'credit_note' else 'contact' end
          and s.xero_id = w.resource_id)`);
  const next = (category: string) =>
    db.execute<{ resource_id: string }>(sql`
      select lower(resource_id) as resource_id from webhook_events
      where org_id = ${orgId} and processed_at is null and event_category = ${category}
      group by lower(resource_id)
      order by min(id)
      limit ${limit}`);
  const [invoices, contacts, creditNotes] = await Promise.all([next('INVOICE'), next('CONTACT'), next('CREDITNOTE')]);
  return { invoiceIds: invoices.map((r) => r.resource_id), contactIds: contacts.map((r) => r.resource_id), creditNoteIds: creditNotes.map((r) => r.resource_id) };
}

/**
 * The unprocessed events of one category naming these resources, read BEFORE Xero is asked about them:
 * the answer covers exactly these, and an event stored after the call stays unprocessed for the next read.
 */
export async function unprocessedWebhookEventIds(
  db: DbOrTx,
  { orgId, category, resourceIds }: { orgId: string; category: (typeof XERO_EVENT_CATEGORIES_READ)[number]; resourceIds: string[] },
): Promise<number[]> {
  if (resourceIds.length === 0) return [];
  const rows = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.orgId, orgId),
        isNull(webhookEvents.processedAt),
        eq(webhookEvents.eventCategory, category),
        inArray(sql`lower(${webhookEvents.resourceId})`, resourceIds.map((id) => id.toLowerCase())),
      ),
    );
  return rows.map((r) => r.id);
}

/** Whether any of the organisation's events of this category are still unprocessed. */
export async function hasUnprocessedWebhookEvents(db: DbOrTx, { orgId, category }: { orgId: string; category: (typeof XERO_EVENT_CATEGORIES_READ)[number] }): Promise<boolean> {
  const [row] = await db.execute<{ waiting: boolean }>(sql`
    select exists (select 1 from webhook_events where org_id = ${orgId} and processed_at is null and event_category = ${category}) as waiting`);
  return row?.waiting === true;
}

/** Handled: call in the transaction that commits the events' effects. */
export async function markWebhookEventsProcessed(db: DbOrTx, { ids }: { ids: number[] }): Promise<void> {
  if (ids.length === 0) return;
  await db.update(webhookEvents).set({ processedAt: sql`now()` }).where(and(inArray(webhookEvents.id, ids), isNull(webhookEvents.processedAt)));
}
