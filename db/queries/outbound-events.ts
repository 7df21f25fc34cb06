/**
 * The outbox of events for the main app. Enqueued in the same transaction as the change it announces
 * (so an event exists if and only if the change committed), delivered at least once, in order per
 * (organisation, record key): an event is only ever claimed when every earlier event for its record
 * has been delivered.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { outboundEvents } from '../schema/index.ts';
import { runWrites, type Write } from './writes.ts';

export const outboundEventTypes = [
  'invoice.paid',
  'invoice.payment_recorded',
  'invoice.payment_reversed',
  'invoice.voided',
  'invoice.deleted_in_xero',
  'invoice.synced',
  'credit_note.synced',
  'credit_note.allocated',
  'credit_note.refunded',
  'credit_note.voided',
  'contact.changed_in_xero',
  'sync.failed',
  'connection.needs_reauth',
] as const;
export type OutboundEventType = (typeof outboundEventTypes)[number];

export interface NewOutboundEvent {
  orgId: string;
  type: OutboundEventType;
  /** The record the event is about, e.g. `invoice:123`: events with the same key are delivered in order. */
  recordKey: string;
  /** The event's `data`: ids and facts, JSON-serialisable. */
  payload: Record<string, unknown>;
}

/**
 * The channel the outbox dispatchers LISTEN on. Postgres delivers a NOTIFY when the transaction that sent it
 * commits (never for one rolled back), so a dispatcher starts on a new event at once instead of at its next poll.
 */
export const OUTBOX_CHANNEL = 'xero_sync_outbox';

async function announce(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}

/** Call with the transaction that makes the change, so the event and the change commit together. */
export async function enqueueOutboundEvent(tx: DbOrTx, event: NewOutboundEvent): Promise<{ id: string; seq: number }> {
  const [row] = await tx
    .insert(outboundEvents)
    .values({ orgId: event.orgId, type: event.type, recordKey: event.recordKey, payload: event.payload })
    .returning({ id: outboundEvents.id, seq: outboundEvents.seq });
  await announce(tx);
  return row!;
}

/** Several events in one statement, in the order given (call with the transaction that makes the change). */
export async function enqueueOutboundEvents(tx: DbOrTx, events: NewOutboundEvent[]): Promise<void> {
  await runWrites(tx, outboundEventsWrites(events));
}

/**
 * `enqueueOutboundEvents` as a write (none for no events); `seq` follows the order given. The dispatchers are
 * notified by the same statement (see OUTBOX_CHANNEL), so the write can be a step of a larger one.
 */
export function outboundEventsWrites(events: NewOutboundEvent[]): Write[] {
  if (events.length === 0) return [];
  // One json parameter for the lot.
  const rows = JSON.stringify(events.map((e, n) => ({ n, org_id: e.orgId, type: e.type, record_key: e.recordKey, payload: e.payload })));
  return [
    sql`
    insert into outbound_events (org_id, type, record_key, payload)
    select r.org_id, r.type, r.record_key, r.payload
    from jsonb_to_recordset(${rows}::jsonb) as r(n int, org_id text, type text, record_key text, payload jsonb)
    cross join (select pg_notify(${OUTBOX_CHANNEL}, '')) as announced
    order by r.n`,
  ];
}

export interface ClaimedOutboundEvent {
  seq: number;
  id: string;
  orgId: string;
  type: string;
  recordKey: string;
  payload: unknown;
  /** Including this one: the fencing token for recording its failure. */
  attempts: number;
  createdAt: string;
  /** Another undelivered event of the same record comes after this one (at the time of the claim). */
  followed: boolean;
}

/**
 * Claims due events that head their record's queue, in one statement: FOR UPDATE SKIP LOCKED keeps two
 * dispatchers from claiming the same row, and the lease (next_attempt_at pushed forward) keeps it from
 * being claimed again while it is being delivered. An event whose predecessor for the same record is
 * still undelivered (failed, leased or merely not due) is never claimed. `record` claims only the head of
 * that one record's queue (the next event once its predecessor is delivered).
 */
export async function claimDueOutboundEvents(
  db: DbOrTx,
  { limit, leaseMs, record }: { limit: number; leaseMs: number; record?: { orgId: string; recordKey: string } },
): Promise<ClaimedOutboundEvent[]> {
  const ofRecord = record ? sql`and e.org_id = ${record.orgId} and e.record_key = ${record.recordKey}` : sql``;
  const rows = await db.execute<{
    seq: string;
    id: string;
    org_id: string;
    type: string;
    record_key: string;
    payload: unknown;
    attempts: number;
    created_at: string;
    followed: boolean;
  }>(sql`
    update outbound_events o
    set attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
    from (
      select e.seq from outbound_events e
      where e.delivered_at is null and e.next_attempt_at <= now() ${ofRecord}
        and not exists (
          select 1 from outbound_events p
          where p.org_id = e.org_id and p.record_key = e.record_key and p.delivered_at is null and p.seq < e.seq
        )
      order by e.seq
      limit ${limit}
      for update skip locked
    ) due
    where o.seq = due.seq
    returning o.seq, o.id, o.org_id, o.type, o.record_key, o.payload, o.attempts, o.created_at,
      exists (
        select 1 from outbound_events f
        where f.org_id = o.org_id and f.record_key = o.record_key and f.delivered_at is null and f.seq > o.seq
      ) as followed`);
  return rows
    .map((r) => ({
      seq: Number(r.seq),
      id: r.id,
      orgId: r.org_id,
      type: r.type,
      recordKey: r.record_key,
      payload: r.payload,
      attempts: r.attempts,
      createdAt: new Date(r.created_at).toISOString(),
      followed: r.followed === true,
    }))
    .sort((a, b) => a.seq - b.seq);
}

/** Delivered, whoever held the lease: a late success is still a success (at least once). */
export async function markOutboundEventDelivered(db: DbOrTx, { seq }: { seq: number }): Promise<void> {
  await db.execute(sql`update outbound_events set delivered_at = now(), last_error = null where seq = ${seq} and delivered_at is null`);
}

/**
 * Schedules the next attempt. Fenced by `attempts`: if this delivery's lease ran out and another
 * dispatcher has claimed the event since, that claim is left alone.
 */
export async function markOutboundEventFailed(
  db: DbOrTx,
  { seq, attempts, retryInMs, error }: { seq: number; attempts: number; retryInMs: number; error: string },
): Promise<void> {
  await db.execute(sql`
    update outbound_events
    set next_attempt_at = now() + make_interval(secs => ${retryInMs / 1000}), last_error = ${error.slice(0, 1000)}
    where seq = ${seq} and attempts = ${attempts} and delivered_at is null`);
}

export async function countUndeliveredOutboundEvents(db: DbOrTx): Promise<number> {
  const [row] = await db.execute<{ n: string }>(sql`select count(*) as n from outbound_events where delivered_at is null`);
  return Number(row?.n ?? 0);
}
