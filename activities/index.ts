/**
 * The activities, built by two factories closing over their dependencies, one per task queue:
 *   - `createDbSteps`: database steps, on the organisation workflows' own task queue;
 *   - `createXeroCalls`: one Xero call each, on the Xero task queue (its dispatch rate is Xero's app-wide cap).
 * Each worker registers only its own queue's set. Workflows import only the TYPES `DbSteps` and `XeroCalls`.
 */
import type { ActivityDeps } from './deps.ts';
import { advanceSweepWatermark, nextXeroEventBatch, recordReconciliationRun } from './inbound/inbound-steps.ts';
import { reconcileInvoicesPage } from './inbound/reconcile-invoices.ts';
import { reconcilePaymentsPage } from './inbound/reconcile-payments.ts';
import { requestReconciliation } from './inbound/request-reconciliation.ts';
import { takeInXeroContacts } from './inbound/take-in-contacts.ts';
import { takeInXeroInvoices } from './inbound/take-in-invoices.ts';
import { billStrategy } from './push/bills.ts';
import { releasingClaimOnConnectionLoss } from './push/claim-guard.ts';
import { refreshContactIndexPage } from './push/contact-index.ts';
import { contactStrategy } from './push/contacts.ts';
import { checkDemoCompany, emailInvoice } from './push/email-invoice.ts';
import { invoiceStrategy } from './push/invoices.ts';
import { paymentStrategy } from './push/payments.ts';
import { lookupExisting, pushBatch } from './push/push-batch.ts';
import { pendingWork, recordSyncPaused } from './push/work.ts';
import { applyLinkImport, failLinkImport, linkImportPlan } from './links/apply-links.ts';
import { verifyLinkImportPage } from './links/verify-links.ts';

/** Every kind of record the organisation's workflow pushes, by record type. */
const pushStrategies = { contact: contactStrategy, invoice: invoiceStrategy, expense: billStrategy, payment: paymentStrategy };

export function createDbSteps(deps: ActivityDeps) {
  return timed(deps, {
    // Local, no I/O: the pacing figures, recorded once in the workflow's history.
    pacingConfig: async () => deps.pacing,
    pendingWork: pendingWork(deps),
    recordSyncPaused: recordSyncPaused(deps),
    nextXeroEventBatch: nextXeroEventBatch(deps),
    advanceSweepWatermark: advanceSweepWatermark(deps),
    recordReconciliationRun: recordReconciliationRun(deps),
    // The reconciliation schedule's one step: a signal to the organisation's workflow.
    requestReconciliation: requestReconciliation(),
    // A link import ("Migrate"): its plan and its one all-or-nothing finish.
    linkImportPlan: linkImportPlan(deps),
    applyLinkImport: applyLinkImport(deps),
    failLinkImport: failLinkImport(deps),
  });
}

export function createXeroCalls(deps: ActivityDeps) {
  const guarded = releasingClaimOnConnectionLoss(deps);
  return timed(deps, {
    refreshContactIndexPage: refreshContactIndexPage(deps),
    pushBatch: guarded(pushBatch(deps, pushStrategies)),
    lookupExisting: guarded(lookupExisting(deps, pushStrategies)),
    checkDemoCompany: checkDemoCompany(deps),
    emailInvoice: emailInvoice(deps),
    takeInXeroInvoices: takeInXeroInvoices(deps),
    takeInXeroContacts: takeInXeroContacts(deps),
    reconcilePaymentsPage: reconcilePaymentsPage(deps),
    reconcileInvoicesPage: reconcileInvoicesPage(deps),
    verifyLinkImportPage: verifyLinkImportPage(deps),
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

export type DbSteps = ReturnType<typeof createDbSteps>;
export type XeroCalls = ReturnType<typeof createXeroCalls>;
export type { ActivityDeps };
