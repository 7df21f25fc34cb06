/**
 * Webhook events read back as soon as they are signalled, beside the passes rather than after them (behind
 * the `prompt-event-read-back` patch): a payment made in Xero is taken in while a long push pass runs, not
 * when it ends.
 *
 * One loop picks the next batch of what unprocessed events name (one database step at a time, so two reads
 * never name the same record) and starts its read; up to `READ_LANES` reads are under way at once, so events
 * that arrive during a read are read beside it instead of after it. Every read goes through the organisation's
 * pacer, as an urgent call: it takes the next free turn ahead of push batches, within the same 4 in flight and
 * the same minute and day budgets. At most `READ_LANES` of those turns are reads, so pushes keep the rest even
 * while a flood of events is read.
 *
 * The reconciliation sweep reads the events first, alone (`readAlone`), so that its drift is only what no
 * webhook announced.
 */
import { condition } from '@temporalio/workflow';
import { addDrift, emptyDrift, type DriftReport } from '../../lib/reconciliation-drift.ts';
import type { InboundSummary } from '../messages.ts';
import { fetchOnlineInvoiceLinks } from './online-links.ts';
import type { OrgRun } from './run.ts';
import { takeInXeroChanges } from './take-in.ts';

/** Reads under way at once: half the pacer's turns at most, the other half is the pushes'. */
const READ_LANES = 2;

interface EventBatch {
  invoiceIds: string[];
  contactIds: string[];
  creditNoteIds: string[];
}

export class EventReader {
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** A batch is being picked (one at a time: the next pick excludes what this one names). */
  private picking = false;
  /** Reads under way. */
  private reading = 0;
  /** The sweep is reading the events itself. */
  private held = false;
  /** A read ended: what it left (more than one call's worth, events it excluded) is picked next. */
  private pickAgain = false;
  private readonly underWay = { invoiceIds: new Set<string>(), contactIds: new Set<string>(), creditNoteIds: new Set<string>() };
  /** What the reads since the reader was last idle took in (the status query's `lastInbound`). */
  private summary: InboundSummary = newSummary();
  private effects: DriftReport = emptyDrift();
  /** The last batch read, as picked, and how many times in a row it was picked again after its read. */
  private lastRead = '';
  private repeats = 0;

  constructor(
    private readonly run: OrgRun,
    /** An activity failed: pause the organisation or note the error, as a pass does. */
    private readonly onFailure: (err: unknown) => Promise<void>,
  ) {}

  start(): void {
    this.loop ??= this.readAsSignalled();
  }

  /** Lets the reads under way finish and stops; events still unread are the next run's (eventsPending). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    await condition(() => this.reading === 0);
  }

  /** Reads every unprocessed event now, with no other read under way (the sweep's first step). */
  async readAlone(): Promise<InboundSummary> {
    while (this.picking || this.reading > 0 || this.held) await condition(() => !this.picking && this.reading === 0 && !this.held);
    this.held = true;
    try {
      return await takeInXeroChanges(this.run);
    } finally {
      this.held = false;
    }
  }

  private due(): boolean {
    const { state } = this.run;
    return !state.paused && !this.held && this.reading < READ_LANES && (state.eventsDue() || this.pickAgain);
  }

  private async readAsSignalled(): Promise<void> {
    const { orgId, db, state } = this.run;
    for (;;) {
      while (!this.stopping && !this.due()) await condition(() => this.stopping || this.due());
      if (this.stopping) return;
      state.takeEvents();
      this.pickAgain = false;
      this.picking = true;
      let batch: EventBatch;
      try {
        const excluding = { invoiceIds: [...this.underWay.invoiceIds], contactIds: [...this.underWay.contactIds], creditNoteIds: [...this.underWay.creditNoteIds] };
        const picked = await db.nextXeroEventBatch({ orgId, ...(this.reading > 0 ? { excluding } : {}) });
        batch = { invoiceIds: picked.invoiceIds, contactIds: picked.contactIds, creditNoteIds: picked.creditNoteIds ?? [] };
      } catch (err) {
        await this.onFailure(err);
        continue;
      } finally {
        this.picking = false;
      }
      if (batch.invoiceIds.length + batch.contactIds.length + batch.creditNoteIds.length === 0) {
        if (this.reading === 0) this.idle();
        continue;
      }
      const key = JSON.stringify(batch);
      this.repeats = key === this.lastRead ? this.repeats + 1 : 0;
      // Picked again right after its read: once is an event stored during that read; twice, its events could
      // not be marked processed. Stop rather than spin; the next signal or sweep tries again.
      if (this.repeats >= 2) {
        state.status.lastError = `webhook events for ${key} stay unprocessed after reading them`;
        this.lastRead = '';
        continue;
      }
      if (this.stopping) {
        state.readEventsAgain();
        return;
      }
      void this.read(batch, key);
    }
  }

  /** One batch: the invoices, contacts and credit notes it names, read in one call each, side by side. */
  private async read(batch: EventBatch, key: string): Promise<void> {
    const { orgId, xero, pacer, state } = this.run;
    this.reading++;
    if (state.status.phase === 'idle') state.setPhase('reading_back');
    for (const kind of ['invoiceIds', 'contactIds', 'creditNoteIds'] as const) for (const id of batch[kind]) this.underWay[kind].add(id);
    try {
      const urgent = { urgent: true };
      // Settled, not raced: a record stays excluded from the next pick until its own read has ended.
      const [invoices, contacts, creditNotes] = await settled([
        batch.invoiceIds.length > 0 ? pacer.run(() => xero.takeInXeroInvoices({ orgId, xeroInvoiceIds: batch.invoiceIds, fromEvents: true }), urgent) : undefined,
        batch.contactIds.length > 0 ? pacer.run(() => xero.takeInXeroContacts({ orgId, xeroContactIds: batch.contactIds }), urgent) : undefined,
        batch.creditNoteIds.length > 0 ? pacer.run(() => xero.takeInXeroCreditNotes({ orgId, xeroCreditNoteIds: batch.creditNoteIds }), urgent) : undefined,
      ] as const);
      this.lastRead = key;
      for (const taken of [invoices, contacts]) {
        if (!taken) continue;
        this.summary.calls++;
        addDrift(this.effects, taken.effects);
      }
      if (creditNotes) {
        this.summary.calls++;
        this.summary.creditNotes = (this.summary.creditNotes ?? 0) + creditNotes.ours;
      }
      this.summary.invoices += invoices?.ours ?? 0;
      this.summary.contacts += contacts?.ours ?? 0;
      // Invoices Xero put back to where we must push them again (deleted in Xero, for one).
      if ((invoices?.effects.counts.invoicesRequeued ?? 0) + (contacts?.effects.counts.invoicesRequeued ?? 0) > 0) state.drainAgain();
      const toLink = invoices?.toLink ?? [];
      if (toLink.length > 0 && !state.paused) this.summary.calls += (await fetchOnlineInvoiceLinks(this.run, toLink)).calls;
    } catch (err) {
      await this.onFailure(err);
      if (state.paused) state.readEventsAgain(); // read once the organisation resumes
    } finally {
      for (const kind of ['invoiceIds', 'contactIds', 'creditNoteIds'] as const) for (const id of batch[kind]) this.underWay[kind].delete(id);
      this.reading--;
      this.pickAgain = true;
    }
  }

  /** Nothing left to read: what was taken in is the status query's last read-back. */
  private idle(): void {
    const { state } = this.run;
    if (this.summary.calls > 0 || this.summary.invoices + this.summary.contacts > 0) {
      this.summary.effects = this.effects.counts;
      state.status.lastInbound = this.summary;
      state.status.lastInboundAt = new Date().toISOString(); // workflow time: deterministic, replay-safe
    }
    this.summary = newSummary();
    this.effects = emptyDrift();
    this.lastRead = '';
    this.repeats = 0;
    if (state.status.phase === 'reading_back') state.setPhase('idle');
  }
}

/** Every promise's value once all have settled; the first failure, if any, rethrown after that. */
async function settled<T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

function newSummary(): InboundSummary {
  return { invoices: 0, contacts: 0, calls: 0, effects: emptyDrift().counts };
}
