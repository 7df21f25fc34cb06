/**
 * What the organisation's workflow and its activities agree on, defined once: both sides import this
 * module (it has no imports of its own, so it is safe in the workflow bundle and in Node alike).
 */

/** Records per Xero batch call: Xero recommends at most 50 elements per PUT/POST. */
export const BATCH_SIZE = 50;

/**
 * Kinds whose Xero call takes fewer records: allocations are made on ONE credit note per call
 * (`PUT /CreditNotes/{id}/Allocations`).
 */
const SMALLER_BATCHES: Record<string, number> = { credit_allocation: 1 };

/** Records per Xero call for one kind of record. */
export function batchSizeOf(recordType: string): number {
  return SMALLER_BATCHES[recordType] ?? BATCH_SIZE;
}

/** Xero ids per `IDs=` read: Xero has failed longer lists. */
export const XERO_IDS_PER_CALL = 50;

/** The `ApplicationFailure` types activities throw, which the workflow reads. */
export const FailureType = {
  /** The connection needs a person (re-authorise, reconnect, plan): the workflow pauses the organisation. */
  connectionUnavailable: 'XeroConnectionUnavailable',
  /** Xero answered 429: retried after its Retry-After. */
  rateLimited: 'XeroRateLimited',
  /** Xero answered 5xx or not at all: retried with backoff. */
  xeroUnavailable: 'XeroUnavailable',
  /** Xero refused a read itself (not the connection): asking again will not help. */
  readRefused: 'XeroReadRefused',
} as const;

/**
 * Activities heartbeat every few seconds (activities/heartbeat.ts); one silent this long was lost with its
 * worker and is retried elsewhere. Well above the heartbeat interval, so a busy event loop is not mistaken
 * for a dead worker.
 */
export const ACTIVITY_HEARTBEAT_TIMEOUT_MS = 10_000;

/**
 * A Xero-call activity's time beyond the request itself (which XERO_CALL_TIMEOUT_MS bounds): claiming and
 * recording the batch, and a token refresh (the identity service's own limit is 15 s).
 */
export const XERO_ACTIVITY_OVERHEAD_MS = 30_000;
