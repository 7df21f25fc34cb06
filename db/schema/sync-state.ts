import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/**
 * `credit_note`: a customer credit note (ACCRECCREDIT); `credit_allocation` and `credit_refund`: what the
 * platform asked to do with its credit (keyed by the credit note's id: one of each per credit note).
 */
export const recordTypes = ['contact', 'invoice', 'payment', 'expense', 'credit_note', 'credit_allocation', 'credit_refund'] as const;
export type RecordType = (typeof recordTypes)[number];

export const syncStates = ['pending', 'synced', 'failed', 'skipped'] as const;
export type SyncState = (typeof syncStates)[number];

/**
 * Xero's side of every platform record, and the work queue: a row in `pending` is work for the
 * organisation's workflow. The API writes the record and marks it pending in one transaction, so
 * nothing accepted is ever lost, whatever happens to Temporal.
 */
export const syncState = pgTable(
  'sync_state',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    recordType: text('record_type', { enum: recordTypes }).notNull(),
    recordId: text('record_id').notNull(),
    state: text('state', { enum: syncStates }).notNull(),
    xeroId: text('xero_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** What to do about lastError, in the admin's words ("map service X to an account"). */
    lastErrorHint: text('last_error_hint'),
    /** Bumped on every accepted change: a push records the version it sent, so a change made mid-push is pushed again. */
    version: integer('version').notNull().default(1),
    pushedVersion: integer('pushed_version'),
    contentHash: text('content_hash').notNull(),
    pushedHash: text('pushed_hash'),
    /**
     * The push batch that holds this record. The workflow names each batch; a retried activity finds
     * its own records again by this id, so a retry re-sends the same batch (same Idempotency-Key).
     */
    claimId: text('claim_id'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /**
     * The push attempt that last stored this record's result: its batch's claim and the activity (the same
     * for every retry of it). A worker lost after storing a batch but before Temporal heard the answer leaves
     * the retry nothing to find under the claim: it finds here what that batch settled, to give the workflow
     * again what follows a push (emails, online links). Not indexed: read only on such a retry, among the
     * organisation's records of one type (the primary key's prefix).
     */
    settledBy: text('settled_by'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.recordType, t.recordId] }),
    // The workflow's hot query: an organisation's pending work of one type, oldest first.
    index('sync_state_work_idx').on(t.orgId, t.state, t.recordType, t.updatedAt),
    // Partial: only the few records a batch holds right now; storing a batch's results (claim back to null)
    // then writes nothing to this index.
    index('sync_state_claim_idx').on(t.orgId, t.claimId).where(sql`${t.claimId} is not null`),
    // Webhooks and reconciliation name Xero's ids: which platform record is this Xero invoice / contact?
    // Partial: a lookup by Xero id implies one, and a lookup by record id then has only the primary key to
    // use. (Whole, it shares the key's (org, type) prefix, and before a fresh import has statistics the
    // planner took it for record-id lookups, filtering every record of the type.)
    index('sync_state_xero_id_idx').on(t.orgId, t.recordType, t.xeroId).where(sql`${t.xeroId} is not null`),
    // The operator's "pending records by type" gauge, read at every scrape across all organisations: only
    // pending rows are in it, so it stays small however many records are synced.
    index('sync_state_pending_idx').on(t.recordType).where(sql`${t.state} = 'pending'`),
  ],
);
