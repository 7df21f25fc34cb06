/** The latest reconciliation sweep, in the status endpoint's snake_case: when, and the drift it repaired. */
import type { ReconciliationRunRow } from '../../../db/queries/reconciliation-runs.ts';
import { driftTotal } from '../../../lib/reconciliation-drift.ts';

export function presentReconciliation(run: ReconciliationRunRow) {
  const { counts, examples } = run.drift;
  return {
    last_run_at: run.finishedAt.toISOString(),
    started_at: run.startedAt.toISOString(),
    trigger: run.trigger,
    xero_calls: run.xeroCalls,
    payments_seen: run.paymentsSeen,
    invoices_seen: run.invoicesSeen,
    /** What no webhook had announced, found and repaired by the sweep. */
    drift: {
      total: driftTotal(run.drift),
      payments_recorded: counts.paymentsRecorded,
      payments_reversed: counts.paymentsReversed,
      invoices_updated: counts.invoicesUpdated,
      invoices_requeued: counts.invoicesRequeued,
      invoices_deleted_in_xero: counts.invoicesDeletedInXero,
      contacts_changed_in_xero: counts.contactsChangedInXero,
      examples: examples.map((e) => ({ kind: e.kind, record: e.record, xero_id: e.xeroId ?? null, detail: e.detail })),
    },
    note: run.note,
  };
}
