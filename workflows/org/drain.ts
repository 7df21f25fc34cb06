/**
 * One pass over the organisation's pending records, in dependency order (contacts, then invoices and
 * bills, then payments and credit notes, then what is done with credit), in batches of up to 50 a call,
 * `concurrency` lanes at a time, each call through the pacer; then the emails Xero should send for invoices
 * it now holds, and the online invoice links of those it approved.
 *
 * A batch that needs a look at what Xero already has (a retry after an answer may have been lost, or Xero
 * saying a record exists) gets that lookup as a Xero call of its own, through the pacer like every other,
 * and is then pushed again under the same claim. So does a batch naming a tracking option or branding
 * theme our copy of the organisation's Xero lists does not know: the list is read again first.
 *
 * Since v0.1.0, behind patches (workflows/patches.ts; runs begun before them replay as they were):
 *   - currency refresh: before pushing, when a pending invoice or bill carries a currency not known to be
 *     enabled and Xero's list was not read today, one paced read of the organisation's currencies, so the
 *     invoices Xero would refuse are refused before they are sent;
 *   - payment reversals: after the payments, the receipts the platform reversed are deleted in Xero, one
 *     payment per paced call;
 *   - credit notes, their allocations and refunds as phases of their own; Xero's catalogues read again on a
 *     miss; online invoice links fetched after the batches;
 *   - history budget: past `run.historyBudget` history events no lane takes a new batch (each lane pushes at
 *     least one per pass, so every run makes progress); the batches in flight, the emails and links of what
 *     was pushed still complete, and the run hands over (`handOverDue`) with another drain pending;
 *   - push lanes sized to what was pending when the pass began: a kind with nothing pending gets no claim,
 *     a phase no more lanes than it has batches due, and a kind is done once its count is claimed (an empty
 *     claim is an activity on the Xero queue all the same, where it spends the app-wide limit).
 */
import { patched, uuid4, workflowInfo } from '@temporalio/workflow';
import type { PushBatchResult, PushedRecordType } from '../../activities/push/push-batch.ts';
import { batchSizeOf } from '../constants.ts';
import type { DrainSummary } from '../messages.ts';
import { PATCHES } from '../patches.ts';
import { fetchOnlineInvoiceLinks } from './online-links.ts';
import type { OrgRun } from './run.ts';

/** Dependency order: a contact exists before its invoice, an invoice before its payment (v0.1.0). */
const PHASES: PushedRecordType[][] = [['contact'], ['invoice', 'expense'], ['payment']];
/** With credit notes: one after its invoice, its allocation after both, a refund after its credit note. */
const PHASES_WITH_CREDIT: PushedRecordType[][] = [['contact'], ['invoice', 'expense'], ['payment', 'credit_note'], ['credit_allocation', 'credit_refund']];
const CREDIT_KINDS = new Set<PushedRecordType>(['credit_note', 'credit_allocation', 'credit_refund']);

/** Runs one pass over every kind of pending record; returns what it did. */
export async function drainPending(run: OrgRun): Promise<DrainSummary> {
  const { orgId, db, xero, pacer, config, state } = run;
  const summary: DrainSummary = { synced: 0, failed: 0, requeued: 0, emailed: 0, calls: 0 };
  const counted = <T extends { rateLimits?: unknown }>(result: T): T => {
    if (result.rateLimits) summary.calls++;
    return result;
  };
  const toEmail: string[] = [];
  const toLink: string[] = [];
  const phases = patched(PATCHES.creditNotes) ? PHASES_WITH_CREDIT : PHASES;
  // Only asked once the history is that long, so runs that never get there record no marker.
  const historySpent = (): boolean => {
    if (run.handOverDue) return true;
    if (run.historyBudget === undefined || workflowInfo().historyLength < run.historyBudget || !patched(PATCHES.historyBudget)) return false;
    run.handOverDue = true;
    summary.handedOver = true;
    return true;
  };
  const work = await db.pendingWork({ orgId });
  // The database's view of the connection, for the Web UI (absent from answers recorded before it was read).
  if (work.connection) state.learnConnection(work.connection);

  if (work.currencyCheckDue && patched(PATCHES.currencyRefresh)) {
    counted(await pacer.run(() => xero.refreshEnabledCurrencies({ orgId })));
  }

  if (work.contactsToCreate > 0) {
    // Learn which contacts Xero already has, so new members are adopted rather than duplicated.
    for (let page = 1, newestSeen: string | undefined; ; page++) {
      const result = counted(await pacer.run(() => xero.refreshContactIndexPage({ orgId, page, newestSeen })));
      newestSeen = result.newestSeen;
      if (!result.more) break;
    }
  }

  const pushOneBatch = async (recordType: PushedRecordType): Promise<number> => {
    const claimId = `${orgId}:${uuid4()}`;
    const first = counted(await pacer.run(() => xero.pushBatch({ orgId, recordType, claimId })));
    let result: PushBatchResult = first;
    let refreshed = false;
    for (;;) {
      tally(summary, result);
      toEmail.push(...(result.toEmail ?? []));
      toLink.push(...(result.toLink ?? []));
      const refresh = result.refresh;
      if (refresh && !refreshed && !state.paused && patched(PATCHES.xeroCatalogues)) {
        for (const kind of refresh) counted(await pacer.run(() => xero.refreshXeroCatalogue({ orgId, kind })));
        refreshed = true;
        result = counted(await pacer.run(() => xero.pushBatch({ orgId, recordType, claimId, catalogueRefreshed: true })));
        continue;
      }
      if (!result.lookup || state.paused) break;
      const reason = result.lookup;
      const looked = counted(await pacer.run(() => xero.lookupExisting({ orgId, recordType, claimId, reason })));
      tally(summary, looked);
      if (looked.stillClaimed === 0 || state.paused) break;
      result = counted(await pacer.run(() => xero.pushBatch({ orgId, recordType, claimId, ...(refreshed ? { catalogueRefreshed: true } : {}) })));
    }
    return first.claimed;
  };

  // Records that become pending during the pass come with a wake of their own: the next pass takes them.
  const sized = patched(PATCHES.pushLanesSizedToPending);
  for (const phase of phases) {
    // Kinds added since v0.1.0 are skipped when nothing of theirs was pending (no empty claim per pass).
    const exhausted = new Set<PushedRecordType>(phase.filter((t) => (sized || CREDIT_KINDS.has(t)) && !work.pending[t]));
    // Sized: what each kind had pending and has not been claimed yet, and its claims under way (each may take
    // a whole batch), so a lane starts a claim only for records no claim under way can be taking.
    const left = new Map(phase.map((t) => [t, work.pending[t] ?? 0]));
    const underWay = new Map(phase.map((t) => [t, 0]));
    const batchesDue = phase.reduce((n, t) => n + (exhausted.has(t) ? 0 : Math.ceil(left.get(t)! / batchSizeOf(t))), 0);
    const lane = async (offset: number) => {
      for (let i = 0; i < phase.length; i++) {
        const recordType = phase[(i + offset) % phase.length]!;
        for (let pushed = 0; !exhausted.has(recordType) && !state.paused && !(pushed > 0 && historySpent()); pushed++) {
          if (sized && left.get(recordType)! - underWay.get(recordType)! * batchSizeOf(recordType) <= 0) break;
          state.status.pushing = recordType;
          underWay.set(recordType, underWay.get(recordType)! + 1);
          const claimed = await pushOneBatch(recordType);
          underWay.set(recordType, underWay.get(recordType)! - 1);
          if (claimed < batchSizeOf(recordType)) exhausted.add(recordType);
          if (sized) {
            left.set(recordType, left.get(recordType)! - claimed);
            if (left.get(recordType)! <= 0) exhausted.add(recordType);
          }
        }
      }
    };
    const lanes = sized ? Math.min(config.concurrency, batchesDue) : config.concurrency;
    await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
    if (state.paused) return summary;
    if (run.handOverDue) break;
  }

  if ((work.reversals ?? 0) > 0 && !run.handOverDue && patched(PATCHES.paymentReversals)) {
    state.status.pushing = 'payment';
    for (;;) {
      const claimId = `${orgId}:${uuid4()}`;
      const reversed = counted(await pacer.run(() => xero.reversePayment({ orgId, claimId })));
      tally(summary, reversed);
      if (reversed.claimed === 0 || state.paused) break;
    }
    if (state.paused) return summary;
  }
  state.status.pushing = undefined;

  if (toEmail.length > 0 && !state.paused) {
    const organisation = counted(await pacer.run(() => xero.checkDemoCompany({ orgId })));
    for (const invoiceId of toEmail) {
      if (state.paused) break;
      const result = counted(await pacer.run(() => xero.emailInvoice({ orgId, invoiceId, demoCompany: organisation.demoCompany })));
      if (result.emailed) summary.emailed++;
    }
  }
  if (toLink.length > 0 && !state.paused && patched(PATCHES.onlineInvoiceLinks)) {
    const links = await fetchOnlineInvoiceLinks(run, toLink);
    summary.calls += links.calls;
    summary.links = links.stored;
  }
  return summary;
}

function tally(summary: DrainSummary, result: { synced: number; failed: number; requeued: number }): void {
  summary.synced += result.synced;
  summary.failed += result.failed;
  summary.requeued += result.requeued;
}
