/**
 * One factory builds every activity, closing over its dependencies. Workflows import only the TYPE
 * `Activities`; the worker registers the values.
 */
import type { ActivityDeps } from './deps.ts';
import { refreshContactIndexPage } from './push/contact-index.ts';
import { emailInvoice } from './push/email-invoice.ts';
import { releasingClaimOnConnectionLoss } from './push/claim-guard.ts';
import { pushContactBatch } from './push/push-contacts.ts';
import { pushExpenseBatch } from './push/push-expenses.ts';
import { pushInvoiceBatch } from './push/push-invoices.ts';
import { pushPaymentBatch } from './push/push-payments.ts';
import { pendingWork, recordSyncPaused } from './push/work.ts';
import { advanceSweepWatermark, nextXeroEventBatch, recordReconciliationRun } from './inbound/inbound-steps.ts';
import { reconcileInvoicesPage } from './inbound/reconcile-invoices.ts';
import { reconcilePaymentsPage } from './inbound/reconcile-payments.ts';
import { requestReconciliation } from './inbound/request-reconciliation.ts';
import { takeInXeroContacts } from './inbound/take-in-contacts.ts';
import { takeInXeroInvoices } from './inbound/take-in-invoices.ts';

export function createActivities(deps: ActivityDeps) {
  const guarded = releasingClaimOnConnectionLoss(deps);
  return timed(deps, {
    // Local, no I/O: the pacing figures, recorded once in the workflow's history.
    pacingConfig: async () => deps.pacing,
    pendingWork: pendingWork(deps),
    recordSyncPaused: recordSyncPaused(deps),
    // Each of these makes one Xero call (a retried batch may first re-read what Xero has).
    refreshContactIndexPage: refreshContactIndexPage(deps),
    pushContactBatch: guarded(pushContactBatch(deps, deps.contactMatchOrder)),
    pushInvoiceBatch: guarded(pushInvoiceBatch(deps)),
    pushExpenseBatch: guarded(pushExpenseBatch(deps)),
    pushPaymentBatch: guarded(pushPaymentBatch(deps)),
    emailInvoice: emailInvoice(deps),
    // From Xero back (issue 7). Database steps:
    nextXeroEventBatch: nextXeroEventBatch(deps),
    advanceSweepWatermark: advanceSweepWatermark(deps),
    recordReconciliationRun: recordReconciliationRun(deps),
    requestReconciliation: requestReconciliation(),
    // One Xero call each:
    takeInXeroInvoices: takeInXeroInvoices(deps),
    takeInXeroContacts: takeInXeroContacts(deps),
    reconcilePaymentsPage: reconcilePaymentsPage(deps),
    reconcileInvoicesPage: reconcileInvoicesPage(deps),
  });
}

/** Logs each activity's duration at debug level: where a slow sync spends its time. */
function timed<T extends Record<string, (...args: never[]) => Promise<unknown>>>(deps: ActivityDeps, activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        const started = performance.now();
        try {
          return await fn(...args);
        } finally {
          deps.logger.debug({ activity: name, ms: Math.round(performance.now() - started) }, 'activity finished');
        }
      },
    ]),
  ) as T;
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
