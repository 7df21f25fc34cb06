/**
 * What a reconciliation sweep found that no webhook had announced: counts, and a few examples an admin can
 * look up. Pure data and arithmetic, shared by the activities that find drift, the workflow that adds it up
 * (so no Node built-ins here) and the admin status that shows it.
 */

export interface DriftCounts {
  /** Payments made in Xero that were not recorded here yet. */
  paymentsRecorded: number;
  /** Payments deleted in Xero that were still live here. */
  paymentsReversed: number;
  /** Invoices whose status or paid / due amounts were behind Xero's. */
  invoicesUpdated: number;
  /** Synced invoices Xero holds differently (e.g. another total) or lacks: queued to be pushed again. */
  invoicesRequeued: number;
  /** Our invoices deleted in Xero by hand (reported, not re-created). */
  invoicesDeletedInXero: number;
  /** Contacts edited in Xero (name, email, archived) since we last looked. */
  contactsChangedInXero: number;
}

export type DriftKind = keyof DriftCounts;

export interface DriftExample {
  kind: DriftKind;
  /** The platform's record (`invoice:123`, `payment:xero-...`, `contact:m-1`). */
  record: string;
  xeroId?: string;
  detail: string;
}

export interface DriftReport {
  counts: DriftCounts;
  examples: DriftExample[];
}

/** Examples kept per report: enough to start looking, small enough for a workflow's history. */
export const DRIFT_EXAMPLES_KEPT = 10;

export function emptyDrift(): DriftReport {
  return {
    counts: { paymentsRecorded: 0, paymentsReversed: 0, invoicesUpdated: 0, invoicesRequeued: 0, invoicesDeletedInXero: 0, contactsChangedInXero: 0 },
    examples: [],
  };
}

/** Adds `more` into `into` (in place) and returns it. */
export function addDrift(into: DriftReport, more: DriftReport | undefined): DriftReport {
  if (!more) return into;
  for (const key of Object.keys(into.counts) as DriftKind[]) into.counts[key] += more.counts[key] ?? 0;
  for (const example of more.examples) if (into.examples.length < DRIFT_EXAMPLES_KEPT) into.examples.push(example);
  return into;
}

export function driftTotal(report: DriftReport): number {
  return Object.values(report.counts).reduce((a, b) => a + b, 0);
}
