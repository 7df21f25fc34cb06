/**
 * Reads back what Xero's webhooks announced: the invoices (payments, reversals, status), contacts (edits
 * made in Xero) and credit notes (credit used or voided in Xero) named by the organisation's unprocessed
 * events, through the pacer; then the online invoice links of invoices Xero approved meanwhile.
 */
import { patched } from '@temporalio/workflow';
import { addDrift, emptyDrift } from '../../lib/reconciliation-drift.ts';
import type { TakeInResult } from '../../activities/inbound/take-in-invoices.ts';
import type { InboundSummary } from '../messages.ts';
import { PATCHES } from '../patches.ts';
import { fetchOnlineInvoiceLinks } from './online-links.ts';
import type { OrgRun } from './run.ts';

/** Webhook batches (≤ 50 invoices + ≤ 50 contacts each) read per pass before pushes get a turn again. */
const MAX_EVENT_ROUNDS = 20;

/**
 * Reads what Xero webhooks announced: the invoices and contacts named by unprocessed events, up to 50 of
 * each per call; each call's effects and the events it covered commit together.
 */
export async function takeInXeroChanges(run: OrgRun): Promise<InboundSummary> {
  const { orgId, db, xero, pacer, state } = run;
  const effects = emptyDrift();
  const summary: InboundSummary = { invoices: 0, contacts: 0, calls: 0, effects: effects.counts };
  let previous = '';
  const toLink: string[] = [];
  // One activity a round (the batch picked and its invoices read together), and no round to find nothing left.
  const together = patched(PATCHES.eventBatchReadTogether);
  try {
    for (let round = 0; !state.paused; round++) {
      if (round === MAX_EVENT_ROUNDS) {
        state.readEventsAgain(); // more waiting: read after pushes have had a turn
        break;
      }
      let batch: { invoiceIds: string[]; contactIds: string[]; creditNoteIds?: string[] };
      let readAlready: TakeInResult | undefined;
      let lastRound = false;
      if (together) {
        const taken = await pacer.run(() => xero.takeInXeroEventBatch({ orgId }));
        batch = taken.batch;
        readAlready = taken.invoices;
        lastRound = !taken.moreInvoices && batch.contactIds.length === 0 && (batch.creditNoteIds ?? []).length === 0;
      } else {
        batch = await db.nextXeroEventBatch({ orgId });
      }
      const creditNoteIds = batch.creditNoteIds ?? [];
      if (batch.invoiceIds.length === 0 && batch.contactIds.length === 0 && creditNoteIds.length === 0) break;
      // The same batch twice means its events could not be marked processed: stop rather than spin; the
      // next signal or sweep tries again.
      const key = JSON.stringify(batch);
      if (key === previous) {
        state.status.lastError = `webhook events for ${key} stay unprocessed after reading them`;
        break;
      }
      previous = key;
      const [invoices, contacts, creditNotes] = await Promise.all([
        together ? readAlready : batch.invoiceIds.length > 0 ? pacer.run(() => xero.takeInXeroInvoices({ orgId, xeroInvoiceIds: batch.invoiceIds, fromEvents: true })) : undefined,
        batch.contactIds.length > 0 ? pacer.run(() => xero.takeInXeroContacts({ orgId, xeroContactIds: batch.contactIds })) : undefined,
        creditNoteIds.length > 0 && patched(PATCHES.creditNoteReadBack) ? pacer.run(() => xero.takeInXeroCreditNotes({ orgId, xeroCreditNoteIds: creditNoteIds })) : undefined,
      ]);
      for (const taken of [invoices, contacts]) {
        if (!taken) continue;
        summary.calls++;
        addDrift(effects, taken.effects);
      }
      if (creditNotes) {
        summary.calls++;
        summary.creditNotes = (summary.creditNotes ?? 0) + creditNotes.ours;
      }
      summary.invoices += invoices?.ours ?? 0;
      summary.contacts += contacts?.ours ?? 0;
      toLink.push(...(invoices?.toLink ?? []));
      if (lastRound) break;
    }
  } finally {
    if (effects.counts.invoicesRequeued > 0) state.drainAgain();
  }
  if (toLink.length > 0 && !state.paused && patched(PATCHES.onlineInvoiceLinks)) summary.calls += (await fetchOnlineInvoiceLinks(run, toLink)).calls;
  return summary;
}
