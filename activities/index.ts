/**
 * The activities, built by two factories closing over their dependencies, one per task queue:
 *   - `createDbSteps`: database steps, on the organisation workflows' own task queue;
 *   - `createXeroCalls`: one Xero call each, on the Xero task queue (its dispatch rate is Xero's app-wide cap).
 * Each worker registers only its own queue's set. Workflows import only the TYPES `DbSteps` and `XeroCalls`.
 * Every activity heartbeats while it runs (heartbeat.ts), so one lost with its worker is retried within seconds.
 */
import type { ActivityDeps } from './deps.ts';
import { heartbeatingAll } from './heartbeat.ts';
import { advanceSweepWatermark, nextXeroEventBatch, recordReconciliationRun } from './inbound/inbound-steps.ts';
import { reconcileInvoicesPage } from './inbound/reconcile-invoices.ts';
import { reconcilePaymentsPage } from './inbound/reconcile-payments.ts';
import { requestReconciliation } from './inbound/request-reconciliation.ts';
import { takeInXeroContacts } from './inbound/take-in-contacts.ts';
import { takeInXeroCreditNotes } from './inbound/take-in-credit-notes.ts';
import { takeInXeroEventBatch } from './inbound/take-in-event-batch.ts';
import { takeInXeroInvoices } from './inbound/take-in-invoices.ts';
import { billStrategy } from './push/bills.ts';
import { refreshXeroCatalogue } from './push/catalogue-refresh.ts';
import { releasingClaimOnConnectionLoss } from './push/claim-guard.ts';
import { refreshContactIndexPage } from './push/contact-index.ts';
import { contactStrategy } from './push/contacts.ts';
import { refreshEnabledCurrencies } from './push/currencies.ts';
import { creditAllocationStrategy } from './push/credit-allocations.ts';
import { creditNoteStrategy } from './push/credit-notes.ts';
import { creditRefundStrategy } from './push/credit-refunds.ts';
import { checkDemoCompany, emailInvoice } from './push/email-invoice.ts';
import { invoiceStrategy } from './push/invoices.ts';
import { fetchOnlineInvoice } from './push/online-invoice.ts';
import { paymentStrategy } from './push/payments.ts';
import { lookupExisting, pushBatch } from './push/push-batch.ts';
import { reversePayment } from './push/reverse-payment.ts';
import { pendingWork, recordSyncPaused } from './push/work.ts';
import { adoptRevenueJournal, postRevenueJournal, readOrganisationCalendar } from './revenue/journal-calls.ts';
import { alignRevenueSchedule, claimRevenueJournal, requestRevenueRecognition, revenuePeriodsDue, revenueWork } from './revenue/revenue-steps.ts';
import { applyLinkImport, failLinkImport, linkImportPlan } from './links/apply-links.ts';
import { verifyLinkImportPage } from './links/verify-links.ts';

/** Every kind of record the organisation's workflow pushes, by record type. */
const pushStrategies = {
  contact: contactStrategy,
  invoice: invoiceStrategy,
  expense: billStrategy,
  payment: paymentStrategy,
  credit_note: creditNoteStrategy,
  credit_allocation: creditAllocationStrategy,
  credit_refund: creditRefundStrategy,
};

export function createDbSteps(deps: ActivityDeps) {
  return timed(deps, heartbeatingAll({
    // Local, no I/O: the pacing figures, recorded once in the workflow's history.
    pacingConfig: async () => deps.pacing,
    pendingWork: pendingWork(deps),
    recordSyncPaused: recordSyncPaused(deps),
    nextXeroEventBatch: nextXeroEventBatch(deps),
    advanceSweepWatermark: advanceSweepWatermark(deps),
    recordReconciliationRun: recordReconciliationRun(deps),
    // The reconciliation schedule's one step: a signal to the organisation's workflow.
    requestReconciliation: requestReconciliation(),
    revenueWork: revenueWork(deps),
    revenuePeriodsDue: revenuePeriodsDue(deps),
    claimRevenueJournal: claimRevenueJournal(deps),
    alignRevenueSchedule: alignRevenueSchedule(deps),
    // The revenue schedule's one step: a signal to the organisation's workflow.
    requestRevenueRecognition: requestRevenueRecognition(),
    // A link import ("Migrate"): its plan and its one all-or-nothing finish.
    linkImportPlan: linkImportPlan(deps),
    applyLinkImport: applyLinkImport(deps),
    failLinkImport: failLinkImport(deps),
  }));
}

export function createXeroCalls(deps: ActivityDeps) {
  const guarded = releasingClaimOnConnectionLoss(deps);
  return timed(deps, heartbeatingAll({
    refreshContactIndexPage: refreshContactIndexPage(deps),
    pushBatch: guarded(pushBatch(deps, pushStrategies)),
    lookupExisting: guarded(lookupExisting(deps, pushStrategies)),
    reversePayment: guarded(reversePayment(deps)),
    refreshEnabledCurrencies: refreshEnabledCurrencies(deps),
    checkDemoCompany: checkDemoCompany(deps),
    emailInvoice: emailInvoice(deps),
    fetchOnlineInvoice: fetchOnlineInvoice(deps),
    refreshXeroCatalogue: refreshXeroCatalogue(deps),
    takeInXeroInvoices: takeInXeroInvoices(deps),
    takeInXeroEventBatch: takeInXeroEventBatch(deps),
    takeInXeroCreditNotes: takeInXeroCreditNotes(deps),
    takeInXeroContacts: takeInXeroContacts(deps),
    reconcilePaymentsPage: reconcilePaymentsPage(deps),
    reconcileInvoicesPage: reconcileInvoicesPage(deps),
    readOrganisationCalendar: readOrganisationCalendar(deps),
    postRevenueJournal: postRevenueJournal(deps),
    adoptRevenueJournal: adoptRevenueJournal(deps),
    verifyLinkImportPage: verifyLinkImportPage(deps),
  }));
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
