/**
 * The reconciliation sweep: Xero's payments, then its sales invoices, changed since each feed's
 * watermark, compared with ours; what differs is repaired, and the drift report stored.
 */
import { patched, type ActivityFailure } from '@temporalio/workflow';
import { addDrift, emptyDrift } from '../../lib/reconciliation-drift.ts';
import { XERO_IDS_PER_CALL } from '../constants.ts';
import type { ReconciliationSummary } from '../messages.ts';
import { PATCHES } from '../patches.ts';
import { connectionUnavailable, expectActivityFailure, messageOf } from './failures.ts';
import { fetchOnlineInvoiceLinks } from './online-links.ts';
import type { OrgRun } from './run.ts';

/** Pages per feed per sweep: a huge backlog is read over several sweeps (the watermark keeps the place). */
const MAX_SWEEP_PAGES = 50;

/**
 * The reconciliation sweep: Xero's payments, then its sales invoices, changed since each feed's watermark,
 * compared with ours; what differs is repaired, and the drift report (what no webhook announced) stored.
 */
export async function reconcileWithXero(run: OrgRun, trigger: string): Promise<ReconciliationSummary> {
  const { orgId, db, xero, pacer, state } = run;
  const startedAt = new Date().toISOString(); // workflow time: deterministic, replay-safe
  const drift = emptyDrift();
  let calls = 0;
  let paymentsSeen = 0;
  let invoicesSeen = 0;
  const notes: string[] = [];
  const toLink: string[] = [];
  let failure: ActivityFailure | undefined;
  try {
    // Payments: which of our invoices have payments we have not applied. Those invoices are read by id
    // (their full payment lists) and applied; only then does the feed's watermark move.
    for (let page = 1, pages = 0; ; pages++) {
      if (state.paused) break;
      if (pages === MAX_SWEEP_PAGES) {
        notes.push('payments: page limit reached, the next sweep carries on');
        break;
      }
      const found = await pacer.run(() => xero.reconcilePaymentsPage({ orgId, page }));
      calls++;
      paymentsSeen += found.seen;
      for (let i = 0; i < found.invoicesToRefresh.length && !state.paused; i += XERO_IDS_PER_CALL) {
        const ids = found.invoicesToRefresh.slice(i, i + XERO_IDS_PER_CALL);
        const taken = await pacer.run(() => xero.takeInXeroInvoices({ orgId, xeroInvoiceIds: ids }));
        calls++;
        addDrift(drift, taken.effects);
        toLink.push(...(taken.toLink ?? []));
      }
      if (state.paused) break;
      if (found.nextSince) await db.advanceSweepWatermark({ orgId, feed: 'payments', to: found.nextSince });
      if (!found.more) break;
      page = found.advanced ? 1 : page + 1;
    }
    // Invoices: status, money and totals of ours, applied page by page (each page moves its watermark).
    for (let page = 1, pages = 0; ; pages++) {
      if (state.paused) break;
      if (pages === MAX_SWEEP_PAGES) {
        notes.push('invoices: page limit reached, the next sweep carries on');
        break;
      }
      const found = await pacer.run(() => xero.reconcileInvoicesPage({ orgId, page }));
      calls++;
      invoicesSeen += found.seen;
      addDrift(drift, found.effects);
      toLink.push(...(found.toLink ?? []));
      if (!found.more) break;
      page = found.advanced ? 1 : page + 1;
    }
    // Invoices Xero approved since we last looked, without a link yet.
    if (toLink.length > 0 && !state.paused && patched(PATCHES.onlineInvoiceLinks)) calls += (await fetchOnlineInvoiceLinks(run, toLink)).calls;
  } catch (err) {
    failure = expectActivityFailure(err);
    notes.push(`stopped: ${messageOf(failure)}`);
  }
  const pause = state.paused;
  if (pause) notes.push(`paused (${pause.reason}): the next sweep carries on`);
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  await db.recordReconciliationRun({ orgId, trigger, startedAt, xeroCalls: calls, paymentsSeen, invoicesSeen, drift, note });
  if (drift.counts.invoicesRequeued > 0) state.drainAgain();
  if (failure && connectionUnavailable(failure)) throw failure;
  if (failure) state.status.lastError = `reconciliation ${note}`;
  return { trigger, startedAt, finishedAt: new Date().toISOString(), calls, paymentsSeen, invoicesSeen, drift: drift.counts, note };
}
