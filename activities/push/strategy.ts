/**
 * What one kind of record needs to be pushed to Xero in batches: the rest (claiming the batch, the one
 * idempotent call, reading each element's answer, storing the results) is the same for every kind and lives
 * in push-batch.ts. Adding a kind (credit notes, manual journals...) is a strategy, not another copy.
 */
import type { AccountingApi } from 'xero-node';
import type { Tx } from '../../db/client.ts';
import type { PushResult } from '../../db/queries/push-claims.ts';
import type { SyncStateRow } from '../../db/queries/sync-state.ts';
import type { Write } from '../../db/queries/writes.ts';
import type { RecordType, XeroCatalogueKind } from '../../db/schema/index.ts';
import type { ActivityDeps } from '../deps.ts';

export type PushedRecordType = Extract<RecordType, 'contact' | 'invoice' | 'expense' | 'payment' | 'credit_note' | 'credit_allocation' | 'credit_refund'>;

/** How a batch is being loaded. */
export interface LoadOptions {
  /**
   * The workflow has just refreshed the organisation's Xero lists for this batch: a name they do not
   * know is now an error on the record, not a reason to ask for another refresh.
   */
  catalogueRefreshed: boolean;
}

/** What is decided for a record without sending it: refused before any call, or already done. */
export type Settled = Pick<PushResult, 'outcome' | 'xeroId' | 'error' | 'hint'>;

/** One element of Xero's answer, in request order. */
export interface AnsweredElement<Answer> {
  xeroId?: string;
  errors: string[];
  answer: Answer;
}

/** A record Xero took, with what it answered. */
export interface Taken<Element, Answer> {
  claim: SyncStateRow;
  element: Element;
  answer: Answer;
}

export interface PushStrategy<Loaded, Element, Answer> {
  recordType: PushedRecordType;
  /** Everything the batch needs from the database, set-based (a few statements for 50 records). */
  load(deps: ActivityDeps, orgId: string, claims: SyncStateRow[], options: LoadOptions): Promise<Loaded>;
  /**
   * The element to send for one record, what is settled without sending it, or which of the organisation's
   * Xero lists must be read again first (the record names something our copy does not know).
   */
  prepare(claim: SyncStateRow, loaded: Loaded): { element: Element } | { settled: Settled } | { missing: XeroCatalogueKind };
  /** The one Xero call for the batch (`summarizeErrors=false`, with the batch's Idempotency-Key). */
  send(api: AccountingApi, tenantId: string, elements: Element[], idempotencyKey: string): Promise<{ response: { headers?: Record<string, unknown> }; body?: unknown }>;
  /** Xero's answer, one entry per element sent, in request order. */
  answered(body: unknown): Array<AnsweredElement<Answer>>;
  /** Xero says the record exists already (and adopting it is allowed): hold it for a lookup. */
  isDuplicate?(errors: string[], loaded: Loaded): boolean;
  /**
   * Xero refused for a reason of the whole organisation that lifts later (a plan's limit): the record is not
   * failed but waits, pending, with this hint; `deferred` then writes what holds the others back.
   */
  deferral?(errors: string[], claim: SyncStateRow): { hint: string } | undefined;
  deferred?(tx: Tx, args: { orgId: string; xeroMessage: string }): Promise<void>;
  /**
   * Kind-specific writes for what Xero took, committed in the same statement as the results (one round trip);
   * may name invoices Xero should now email, and invoices whose online invoice link should now be fetched.
   */
  writes?(args: { orgId: string; taken: Array<Taken<Element, Answer>>; loaded: Loaded }): PlannedWrites;
  /** The same, for a kind whose writes need statements of their own: run in the results' transaction. */
  store?(tx: Tx, args: { orgId: string; taken: Array<Taken<Element, Answer>>; loaded: Loaded }): Promise<{ toEmail?: string[]; toLink?: string[] } | void>;
  /**
   * What follows a push for records a batch has already stored as synced (emails Xero should send, online
   * links to fetch), worked out from what was stored: for a retry whose earlier attempt's answer was lost.
   */
  followUps?(settled: SyncStateRow[], loaded: Loaded): { toEmail: string[]; toLink: string[] };
  /** How to find what Xero already holds for some of this kind's records. */
  lookup?: LookupStrategy<Loaded>;
}

/** A kind's writes for a pushed batch, and what comes next for its invoices. */
export interface PlannedWrites {
  writes: Write[];
  toEmail?: string[];
  toLink?: string[];
}

/**
 * Finding records Xero already holds, in ONE call: after a retry whose earlier answer may have been lost, or
 * when Xero answered that the record exists.
 */
export interface LookupStrategy<Loaded> {
  find(api: AccountingApi, tenantId: string, request: LookupRequest<Loaded>): Promise<{ response: { headers?: Record<string, unknown> }; body?: unknown }>;
  /**
   * After a retry, a record that already has its Xero id but whose last change may have reached Xero unseen
   * (e.g. a status change that Xero refuses to make twice): looked up as well, so `store` can record it.
   */
  alsoAfterRetry?(claim: SyncStateRow, loaded: Loaded): boolean;
  /** Record id → the Xero id found for a record that had none. */
  match(body: unknown, request: LookupRequest<Loaded>): Map<string, string>;
  /** Kind-specific writes of what was found (e.g. the contact index), in the adoption's transaction. */
  store?(tx: Tx, args: { orgId: string; body: unknown; adopted: Map<string, string>; loaded: Loaded; claims: SyncStateRow[] }): Promise<void>;
}

/** The records to look up (those of the claim without a Xero id, and after a retry those `alsoAfterRetry` names), and why. */
export interface LookupRequest<Loaded> {
  deps: ActivityDeps;
  orgId: string;
  claims: SyncStateRow[];
  loaded: Loaded;
  reason: LookupReason;
}

/** `retry`: the batch is sent again and may have reached Xero before; `duplicates`: Xero said they exist. */
export type LookupReason = 'retry' | 'duplicates';

// A strategy's types are its own business; the template only moves them around.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPushStrategy = PushStrategy<any, any, any>;

/** Xero's per-element validation messages. */
export function validationMessages(element: { validationErrors?: Array<{ message?: string }> } | undefined): string[] {
  return (element?.validationErrors ?? []).map((e) => e.message ?? '').filter(Boolean);
}
