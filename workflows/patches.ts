/**
 * The `patched()` ids of changes to what the organisation's workflow issues since v0.1.0 (DEVELOPERS.md,
 * versioning). A run that began before a change replays on the old path; new runs take the new one. Once no
 * run from before a change is left, its id goes to `deprecatePatch`, then the old path is deleted.
 */
export const PATCHES = {
  /** Credit notes, their allocations and refunds, pushed after invoices and payments. */
  creditNotes: 'credit-notes',
  /** A batch naming what our copy of the organisation's Xero lists does not know: the list is read again first. */
  xeroCatalogues: 'xero-catalogues',
  /** Approved invoices' online invoice links, fetched after the pushes (and after read-back). */
  onlineInvoiceLinks: 'online-invoice-links',
  /** CREDITNOTE webhook events read back. */
  creditNoteReadBack: 'credit-note-read-back',
  /** One paced read of Xero's currencies before pushing documents in a currency not known to be enabled. */
  currencyRefresh: 'currency-refresh',
  /** Receipts the platform reversed, deleted in Xero after the payments. */
  paymentReversals: 'payment-reversals',
  /**
   * The monthly revenue recognition pass, on the revenue schedule's signal: runs that began before it never asked
   * for it, and a run that gets the signal records the marker before the pass's first activity.
   */
  revenueRecognition: 'revenue-recognition',
  /**
   * Push lanes sized to what was pending at the pass's start: no claim for a kind with nothing pending, no more
   * lanes than batches due, and a kind is done once its count is claimed. Every claim, empty or not, is an
   * activity on the Xero queue whose dispatch rate is Xero's app-wide limit.
   */
  pushLanesSizedToPending: 'push-lanes-sized-to-pending',
  /** The Web UI's search attributes and memo (OrgId, XeroTenantId, ConnectionState, SyncPhase), upserted as they change. */
  searchAttributes: 'search-attributes',
  /**
   * A drain stops taking batches once the run's history nears its hand-over length, and the run hands over
   * (the rest goes out in the next run's first pass): one large resync no longer makes one run's history
   * grow past it.
   */
  historyBudget: 'history-budget',
  /**
   * The Xero calls carry their organisation as fairness key (priority.fairnessKey): the server shares the Xero
   * queue's dispatch rate, Xero's app-wide limit, round-robin between organisations instead of first come,
   * first served. In the organisation workflow and the link import alike.
   */
  xeroFairShare: 'xero-fair-share',
  /**
   * Each Xero call of the organisation workflow also carries a priority level by its turn in the pass (1 for the
   * first call, up to 5 from the fifth on; workflows/org/turns.ts): an organisation that got going late catches
   * up with those that started early instead of queueing level with their last calls.
   */
  xeroTurns: 'xero-turns-by-pass',
  /**
   * A webhook read-back round is one activity on the Xero queue that picks the next batch and reads its
   * invoices (`takeInXeroEventBatch`), instead of a database step then the read; and a pass whose round found
   * no INVOICE event left (and named no contact or credit note) ends without asking for another batch.
   */
  eventBatchReadTogether: 'event-batch-read-together',
} as const;
