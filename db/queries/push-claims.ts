/**
 * The push engine's work queue on `sync_state`. The workflow names each batch (a claim id); the activity
 * claims up to 50 pending records under that name, or, when Temporal retries it, finds the records it
 * claimed before, so the retry re-sends the same batch with the same Idempotency-Key.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncState, type RecordType, type SyncState } from '../schema/index.ts';
import type { SyncStateRow } from './sync-state.ts';
import { columnsOf, rowOf } from './table-rows.ts';
import { appendSyncLog, syncLogInsert, type SyncLogEntry } from './sync-log.ts';
import { runWrites, writeSteps, type Write } from './writes.ts';
import { contactCreateAllowed } from './xero-contact-limits.ts';
import { reversedReceipt } from './receipt-reversals.ts';

/** A claim older than this belongs to a batch that will not come back (its workflow moved on). */
const CLAIM_TTL = sql`interval '15 minutes'`;

/**
 * Records wait for what they depend on: an invoice for its contact, a payment for its invoice. A
 * dependency that FAILED does not hold them back (the push fails them with a clear reason instead).
 * New contacts wait while the organisation's Xero contact limit holds them; a receipt the platform reversed
 * after it reached Xero is a deletion, taken by `claimReversal`, not pushed as a payment again.
 *
 * Each test reads the one record depended on by its primary key, as a scalar subquery: Postgres never
 * turns one into a join, so it runs for each candidate in the pending index's order and the claim stops
 * after a batch's worth. (A `not exists` let the planner anti-join every pending record of the type
 * first, which made each claim cost as much as the whole queue.)
 */
const dependencyPending = (recordType: RecordType, recordId: ReturnType<typeof sql>) =>
  sql`(select d.xero_id is null and d.state = 'pending' from sync_state d
      where d.org_id = s.org_id and d.record_type = ${sql.raw(`'${recordType}'`)} and d.record_id = (${recordId})) is not true`;

const dependencyReady: Partial<Record<RecordType, ReturnType<typeof sql>>> = {
  contact: contactCreateAllowed,
  invoice: dependencyPending('contact', sql`select i.contact_id from invoices i where i.org_id = s.org_id and i.id = s.record_id`),
  payment: sql`${dependencyPending('invoice', sql`select p.invoice_id from payments p where p.org_id = s.org_id and p.id = s.record_id`)}
    and not (s.xero_id is not null and ${reversedReceipt})`,
  credit_note: dependencyPending('contact', sql`select c.contact_id from credit_notes c where c.org_id = s.org_id and c.id = s.record_id`),
  // An allocation needs both documents in Xero; its record id is its credit note's.
  credit_allocation: sql`${dependencyPending('credit_note', sql`s.record_id`)}
    and ${dependencyPending('invoice', sql`select a.invoice_id from credit_allocations a where a.org_id = s.org_id and a.id = s.record_id`)}`,
  credit_refund: dependencyPending('credit_note', sql`s.record_id`),
};

/** The records a batch still holds (none once its results are stored), in the order they were claimed. */
export async function claimedRecords(db: DbOrTx, { orgId, claimId }: { orgId: string; claimId: string }): Promise<SyncStateRow[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${columnsOf(syncState, 's')} from sync_state s where s.org_id = ${orgId} and s.claim_id = ${claimId}
    order by s.updated_at, s.record_id`);
  return rows.map((r) => rowOf(syncState, r));
}

/**
 * The records a push attempt stored the results of (`settledBy`, as given to `recordPushResults`), and no
 * batch holds since. Read by a retry, to answer what the attempt whose answer was lost would have answered.
 */
export async function settledRecords(db: DbOrTx, { orgId, recordType, settledBy }: { orgId: string; recordType: RecordType; settledBy: string }): Promise<SyncStateRow[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${columnsOf(syncState, 's')} from sync_state s
    where s.org_id = ${orgId} and s.record_type = ${recordType} and s.settled_by = ${settledBy} and s.claim_id is null
    order by s.updated_at, s.record_id`);
  return rows.map((r) => rowOf(syncState, r));
}

/**
 * Claims up to `limit` pending records of one type under `claimId`, or, when that claim holds records
 * already (a Temporal retry), answers those: one statement either way, in a stable order (a retry sends
 * the same elements in the same order, hence the same Idempotency-Key).
 */
export async function claimBatch(
  db: DbOrTx,
  { orgId, recordType, claimId, limit }: { orgId: string; recordType: RecordType; claimId: string; limit: number },
): Promise<SyncStateRow[]> {
  const ready = dependencyReady[recordType] ?? sql`true`;
  // Every step is a primary-key or index lookup (the candidates in the pending index's order; each one's
  // dependency through a scalar subquery; the update through an id array): a fresh import has no
  // statistics yet, and a join the planner is free to reorder then costs a scan per candidate.
  const rows = await db.execute<Record<string, unknown>>(sql`
    with already as (
      select ${columnsOf(syncState, 'a')} from sync_state a where a.org_id = ${orgId} and a.claim_id = ${claimId}),
    batch as (
      select s.record_id from sync_state s
      where not exists (select 1 from already)
        and s.org_id = ${orgId} and s.record_type = ${recordType} and s.state = 'pending'
        and (s.claim_id is null or s.claimed_at < now() - ${CLAIM_TTL})
        and ${ready}
      order by s.updated_at
      limit ${limit}
      for update of s skip locked),
    claimed as (
      update sync_state u set claim_id = ${claimId}, claimed_at = now()
      where u.org_id = ${orgId} and u.record_type = ${recordType} and u.record_id = any(array(select record_id from batch))
      returning ${columnsOf(syncState, 'u')})
    select * from already union all select * from claimed
    order by updated_at, record_id`);
  return rows.map((r) => rowOf(syncState, r));
}

export interface PushResult {
  recordId: string;
  /** The version that was sent: a record changed since then goes back to pending, never to synced. */
  version: number;
  /** `skipped`: nothing to send, now or later (e.g. an invoice voided before it ever reached Xero). */
  outcome: Extract<SyncState, 'synced' | 'failed' | 'pending' | 'skipped'>;
  xeroId?: string;
  error?: string;
  hint?: string;
}

/**
 * Stores what Xero answered for each record of a batch and releases the claim, in ONE statement for the
 * whole batch (a batch is 50 rows; 50 single-row updates cost more than the Xero call itself), together
 * with a `sync.failed` event for the main app for each record that ends failed, the log entries given, and
 * the kind's own writes (each a step of the same statement: they must touch rows no other step touches).
 * A record whose version moved while it was in flight goes back to pending, never to synced.
 */
export async function recordPushResults(
  db: DbOrTx,
  {
    orgId,
    recordType,
    results,
    log = [],
    writes = [],
    settledBy,
  }: {
    orgId: string;
    recordType: RecordType;
    results: PushResult[];
    log?: SyncLogEntry[];
    writes?: Write[];
    /** Which push attempt stores these (its claim and activity): what a retry of it reads back (`settledRecords`). */
    settledBy?: string;
  },
): Promise<void> {
  if (results.length === 0) {
    await appendSyncLog(db, log);
    await runWrites(db, writes);
    return;
  }
  const rows = JSON.stringify(
    results.map((r) => ({ record_id: r.recordId, version: r.version, outcome: r.outcome, xero_id: r.xeroId ?? null, error: r.error ?? null, hint: r.hint ?? null })),
  );
  // The main app hears of each failure, with Xero's words and what to do, in the same statement.
  await db.execute(sql`
    with r as (
      select * from jsonb_to_recordset(${rows}::jsonb) as r(record_id text, version int, outcome text, xero_id text, error text, hint text)),
    updated as (
      update sync_state s set
        state = case when r.outcome = 'pending' or s.version <> r.version then 'pending' else r.outcome end,
        xero_id = coalesce(r.xero_id, s.xero_id),
        pushed_version = case when r.outcome = 'synced' then r.version else s.pushed_version end,
        pushed_hash = case when r.outcome = 'synced' and s.version = r.version then s.content_hash else s.pushed_hash end,
        synced_at = case when r.outcome = 'synced' then now() else s.synced_at end,
        last_error = case r.outcome when 'synced' then null when 'failed' then coalesce(r.error, 'failed') else coalesce(r.error, s.last_error) end,
        last_error_hint = case r.outcome when 'synced' then null when 'failed' then r.hint else coalesce(r.hint, s.last_error_hint) end,
        attempts = case when r.outcome = 'pending' and r.error is null then s.attempts else s.attempts + 1 end,
        last_attempt_at = now(),
        settled_by = ${settledBy ?? null},
        claim_id = null,
        claimed_at = null,
        updated_at = case when r.outcome = 'pending' then now() else s.updated_at end
      from r
      -- The id list makes this a primary-key lookup per record, never a scan of the organisation's rows.
      where s.org_id = ${orgId} and s.record_type = ${recordType} and s.record_id = any(array(select record_id from r)) and s.record_id = r.record_id
      returning s.record_id, s.state, r.outcome, s.last_error, s.last_error_hint),
    failed as (
      insert into outbound_events (org_id, type, record_key, payload)
      select ${orgId}, 'sync.failed', ${`${recordType}:`} || u.record_id,
        jsonb_build_object('recordType', ${recordType}::text, 'recordId', u.record_id, 'error', u.last_error, 'hint', u.last_error_hint)
      from updated u where u.state = 'failed' and u.outcome = 'failed'
      returning 1)
    ${log.length > 0 ? sql`, logged as (${syncLogInsert(log)} returning 1)` : sql``}
    ${writeSteps(writes)}
    select (select count(*) from updated) as updated, (select count(*) from failed) as failed`);
}

/** Lets go of a batch without pushing it (the connection became unusable): the records stay pending. */
export async function releaseClaim(db: DbOrTx, { orgId, claimId }: { orgId: string; claimId: string }): Promise<void> {
  await db.update(syncState).set({ claimId: null, claimedAt: null }).where(and(eq(syncState.orgId, orgId), eq(syncState.claimId, claimId)));
}

/**
 * Keeps records under their claim for a lookup (Xero said they exist): Xero's message is stored now, so the
 * lookup can fail them with it when it finds nothing to adopt.
 */
export async function holdForLookup(db: DbOrTx, { orgId, claimId, held }: { orgId: string; claimId: string; held: Array<{ recordId: string; error: string }> }): Promise<void> {
  if (held.length === 0) return;
  const rows = JSON.stringify(held.map((h) => ({ record_id: h.recordId, error: h.error })));
  await db.execute(sql`
    update sync_state s set last_error = r.error, last_attempt_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as r(record_id text, error text)
    where s.org_id = ${orgId} and s.claim_id = ${claimId} and s.record_id = r.record_id`);
}

/** Gives records of a batch the Xero ids a lookup found for them (they stay claimed: the batch goes on). */
export async function adoptXeroIds(db: DbOrTx, { orgId, claimId, adopted }: { orgId: string; claimId: string; adopted: Map<string, string> }): Promise<void> {
  if (adopted.size === 0) return;
  const rows = JSON.stringify([...adopted].map(([record_id, xero_id]) => ({ record_id, xero_id })));
  await db.execute(sql`
    update sync_state s set xero_id = r.xero_id
    from jsonb_to_recordset(${rows}::jsonb) as r(record_id text, xero_id text)
    where s.org_id = ${orgId} and s.claim_id = ${claimId} and s.record_id = r.record_id`);
}

/** Which of these Xero ids a record of this type (other than `exceptClaimId`'s) already holds. */
export async function xeroIdsHeldElsewhere(
  db: DbOrTx,
  { orgId, recordType, xeroIds, exceptClaimId }: { orgId: string; recordType: RecordType; xeroIds: string[]; exceptClaimId: string },
): Promise<Set<string>> {
  if (xeroIds.length === 0) return new Set();
  const rows = await db
    .select({ xeroId: syncState.xeroId })
    .from(syncState)
    .where(
      and(
        eq(syncState.orgId, orgId),
        eq(syncState.recordType, recordType),
        inArray(syncState.xeroId, xeroIds),
        sql`${syncState.claimId} is distinct from ${exceptClaimId}`,
      ),
    );
  return new Set(rows.map((r) => r.xeroId!.toLowerCase()));
}
