/**
 * `xero-tenant:{orgId}`: the one actor per organisation that talks to Xero.
 *
 * Driven by the database: pending rows are the work, signals only wake it. Each pass drains the
 * organisation's pending records in dependency order (contacts, then invoices and expenses, then
 * payments), in batches of up to 50 per call, paced by what Xero reports of the organisation's budget.
 * A connection that needs a person (not connected, re-authorisation, plan) pauses the organisation
 * until a resume signal; nothing is lost meanwhile, the records simply stay pending.
 *
 * From Xero back: after a drain it reads what Xero webhooks announced (invoices: payments, reversals,
 * status; contacts: edits made in Xero), and, when the organisation's reconciliation schedule asks, sweeps
 * Xero's payments and invoices for what no webhook announced. Both go through the same pacer as the
 * pushes, so the organisation's budget has one owner.
 *
 * Orchestration only: no I/O here, and activity TYPES only.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
  uuid4,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import {
  pauseSignal,
  reconcileSignal,
  resumeSignal,
  statusQuery,
  wakeSignal,
  xeroEventsSignal,
  type DrainSummary,
  type InboundSummary,
  type ReconciliationSummary,
  type TenantStatus,
} from './messages.ts';
import { addDrift, emptyDrift } from '../lib/reconciliation-drift.ts';
import { XeroPacer, type PacingConfig } from './pacing.ts';
import { xeroTaskQueue } from './task-queues.ts';

/**
 * Versioned input: a run may be replayed by newer code months later, so fields are only ever added,
 * optional, with a default that keeps old histories meaning what they meant.
 */
export interface TenantWorkflowInput {
  orgId: string;
  /** Carried across continue-as-new. */
  paused?: { reason: string };
  /** A wake that arrived while the previous run was handing over. Defaults to true: a fresh start drains once. */
  wakePending?: boolean;
  /**
   * Webhook events may be waiting to be read (carried across continue-as-new). Defaults to `wakePending`'s
   * value: runs handed over by code older than issue 7 folded this flag into `wakePending`.
   */
  eventsPending?: boolean;
  /** A reconciliation sweep was asked for and has not run yet (carried across continue-as-new). */
  reconcilePending?: { trigger: string };
  /** Hand over to a fresh run past this many history events (default 10,000; tests use a small value). */
  maxHistoryEvents?: number;
}

type PushActivity = 'pushContactBatch' | 'pushInvoiceBatch' | 'pushExpenseBatch' | 'pushPaymentBatch';

/** Dependency order: a contact exists before its invoice, an invoice before its payment. */
const PHASES: PushActivity[][] = [['pushContactBatch'], ['pushInvoiceBatch', 'pushExpenseBatch'], ['pushPaymentBatch']];
const BATCH_SIZE = 50;
/** Hand over to a fresh run well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 10_000;
const CONNECTION_UNAVAILABLE = 'XeroConnectionUnavailable';
/** Reading Xero back (webhook events, reconciliation) arrived with issue 7: older histories replay without it. */
const FROM_XERO_BACK = 'from-xero-back';
/** Webhook batches (≤ 50 invoices + ≤ 50 contacts each) read per pass before pushes get a turn again. */
const MAX_EVENT_ROUNDS = 20;
/** Pages per feed per sweep: a huge backlog is read over several sweeps (the watermark keeps the place). */
const MAX_SWEEP_PAGES = 50;

function connectionUnavailable(err: unknown): ApplicationFailure | undefined {
  const failure = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
  return failure?.type === CONNECTION_UNAVAILABLE ? failure : undefined;
}

function messageOf(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

export async function xeroTenantWorkflow(input: TenantWorkflowInput): Promise<void> {
  const { orgId } = input;
  const steps = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  const { pacingConfig } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });
  // Decided once, first thing, for the whole run: a run begun by code older than issue 7 keeps draining on
  // any signal and reads nothing back until it continues as new (carrying what was asked for meanwhile).
  const fromXeroBack = patched(FROM_XERO_BACK);

  let wakePending = input.wakePending ?? true;
  let eventsPending = input.eventsPending ?? wakePending;
  let reconcilePending = input.reconcilePending;
  let paused = input.paused;
  const config: PacingConfig = await pacingConfig();
  const xero = proxyActivities<Activities>({
    taskQueue: xeroTaskQueue(workflowInfo().taskQueue),
    // A Xero call that hangs is abandoned and retried; the batch's Idempotency-Key makes that safe.
    startToCloseTimeout: config.callTimeoutMs ?? 120_000,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      maximumAttempts: 25,
      nonRetryableErrorTypes: [CONNECTION_UNAVAILABLE],
    },
  });
  const pacer = new XeroPacer(config);
  const status: TenantStatus = { orgId, phase: paused ? 'paused' : 'idle', pausedReason: paused?.reason, drains: 0, budget: pacer.snapshot() };

  setHandler(wakeSignal, () => {
    wakePending = true;
  });
  setHandler(xeroEventsSignal, () => {
    eventsPending = true;
  });
  setHandler(pauseSignal, ({ reason }) => {
    paused = { reason };
  });
  setHandler(resumeSignal, () => {
    paused = undefined;
    wakePending = true;
  });
  setHandler(reconcileSignal, ({ trigger }) => {
    reconcilePending = { trigger: trigger ?? 'manual' };
  });
  setHandler(statusQuery, () => ({
    ...status,
    phase: paused ? 'paused' : pacer.waitingForBudget ? 'waiting_for_budget' : status.phase,
    pausedReason: paused?.reason,
    budget: pacer.snapshot(),
  }));

  /** Runs one pass over every kind of pending record; returns what it did. */
  const drain = async (): Promise<DrainSummary> => {
    const summary: DrainSummary = { synced: 0, failed: 0, requeued: 0, emailed: 0, calls: 0 };
    const toEmail: string[] = [];
    const work = await steps.pendingWork({ orgId });

    if (work.contactsToCreate > 0) {
      // Learn which contacts Xero already has, so new members are adopted rather than duplicated.
      let page = 1;
      let newestSeen: string | undefined;
      for (;;) {
        const result = await pacer.run(() => xero.refreshContactIndexPage({ orgId, page, newestSeen }));
        summary.calls++;
        newestSeen = result.newestSeen;
        if (!result.more) break;
        page++;
      }
    }

    for (const phase of PHASES) {
      const exhausted = new Set<PushActivity>();
      const lane = async (offset: number) => {
        for (let i = 0; i < phase.length; i++) {
          const activity = phase[(i + offset) % phase.length]!;
          while (!exhausted.has(activity) && !paused) {
            status.pushing = activity;
            const result = await pacer.run(() => xero[activity]({ orgId, claimId: `${orgId}:${uuid4()}` }));
            if (result.budget) summary.calls++;
            summary.synced += result.synced;
            summary.failed += result.failed;
            summary.requeued += result.requeued;
            toEmail.push(...(result.toEmail ?? []));
            if (result.claimed < BATCH_SIZE) exhausted.add(activity);
          }
        }
      };
      await Promise.all(Array.from({ length: config.concurrency }, (_, i) => lane(i)));
      if (paused) return summary;
    }

    for (const invoiceId of toEmail) {
      if (paused) break;
      const result = await pacer.run(() => xero.emailInvoice({ orgId, invoiceId }));
      if (result.budget) summary.calls++;
      if (result.emailed) summary.emailed++;
    }
    status.pushing = undefined;
    return summary;
  };

  /**
   * Reads what Xero webhooks announced: the invoices and contacts named by unprocessed events, up to 50 of
   * each per call; each call's effects and the events it covered commit together.
   */
  const takeInXeroChanges = async (): Promise<InboundSummary> => {
    const effects = emptyDrift();
    const summary: InboundSummary = { invoices: 0, contacts: 0, calls: 0, effects: effects.counts };
    status.reading = 'webhook_events';
    let previous = '';
    try {
      for (let round = 0; !paused; round++) {
        if (round === MAX_EVENT_ROUNDS) {
          eventsPending = true; // more waiting: read after pushes have had a turn
          break;
        }
        const batch = await steps.nextXeroEventBatch({ orgId });
        if (batch.invoiceIds.length === 0 && batch.contactIds.length === 0) break;
        // The same batch twice means its events could not be marked processed: stop, rather than spin.
        const key = JSON.stringify(batch);
        if (key === previous) throw new Error(`webhook events for ${key} stay unprocessed after reading them`);
        previous = key;
        const [invoices, contacts] = await Promise.all([
          batch.invoiceIds.length > 0 ? pacer.run(() => xero.takeInXeroInvoices({ orgId, xeroInvoiceIds: batch.invoiceIds, fromEvents: true })) : undefined,
          batch.contactIds.length > 0 ? pacer.run(() => xero.takeInXeroContacts({ orgId, xeroContactIds: batch.contactIds })) : undefined,
        ]);
        for (const taken of [invoices, contacts]) {
          if (!taken) continue;
          summary.calls++;
          addDrift(effects, taken.effects);
        }
        summary.invoices += invoices?.ours ?? 0;
        summary.contacts += contacts?.ours ?? 0;
      }
    } finally {
      status.reading = undefined;
      if (effects.counts.invoicesRequeued > 0) wakePending = true;
    }
    return summary;
  };

  /**
   * The reconciliation sweep: Xero's payments, then its sales invoices, changed since each feed's watermark,
   * compared with ours; what differs is repaired, and the drift report (what no webhook announced) stored.
   */
  const reconcile = async (trigger: string): Promise<ReconciliationSummary> => {
    const startedAt = new Date().toISOString(); // workflow time: deterministic, replay-safe
    const drift = emptyDrift();
    let calls = 0;
    let paymentsSeen = 0;
    let invoicesSeen = 0;
    const notes: string[] = [];
    let failure: unknown;
    status.reading = 'reconciliation';
    try {
      // Payments: which of our invoices have payments we have not applied. Those invoices are read by id
      // (their full payment lists) and applied; only then does the feed's watermark move.
      for (let page = 1, pages = 0; ; pages++) {
        if (paused) break;
        if (pages === MAX_SWEEP_PAGES) {
          notes.push('payments: page limit reached, the next sweep carries on');
          break;
        }
        const found = await pacer.run(() => xero.reconcilePaymentsPage({ orgId, page }));
        calls++;
        paymentsSeen += found.seen;
        for (let i = 0; i < found.invoicesToRefresh.length && !paused; i += BATCH_SIZE) {
          const ids = found.invoicesToRefresh.slice(i, i + BATCH_SIZE);
          const taken = await pacer.run(() => xero.takeInXeroInvoices({ orgId, xeroInvoiceIds: ids }));
          calls++;
          addDrift(drift, taken.effects);
        }
        if (paused) break;
        if (found.nextSince) await steps.advanceSweepWatermark({ orgId, feed: 'payments', to: found.nextSince });
        if (!found.more) break;
        page = found.advanced ? 1 : page + 1;
      }
      // Invoices: status, money and totals of ours, applied page by page (each page moves its watermark).
      for (let page = 1, pages = 0; ; pages++) {
        if (paused) break;
        if (pages === MAX_SWEEP_PAGES) {
          notes.push('invoices: page limit reached, the next sweep carries on');
          break;
        }
        const found = await pacer.run(() => xero.reconcileInvoicesPage({ orgId, page }));
        calls++;
        invoicesSeen += found.seen;
        addDrift(drift, found.effects);
        if (!found.more) break;
        page = found.advanced ? 1 : page + 1;
      }
    } catch (err) {
      failure = err;
      notes.push(`stopped: ${messageOf(err)}`);
    } finally {
      status.reading = undefined;
    }
    if (paused) notes.push(`paused (${paused.reason}): the next sweep carries on`);
    const note = notes.length > 0 ? notes.join('; ') : undefined;
    await steps.recordReconciliationRun({ orgId, trigger, startedAt, xeroCalls: calls, paymentsSeen, invoicesSeen, drift, note });
    if (drift.counts.invoicesRequeued > 0) wakePending = true;
    if (connectionUnavailable(failure)) throw failure;
    if (failure) status.lastError = `reconciliation ${note}`;
    return { trigger, startedAt, finishedAt: new Date().toISOString(), calls, paymentsSeen, invoicesSeen, drift: drift.counts, note };
  };

  const maxHistoryEvents = input.maxHistoryEvents ?? MAX_HISTORY_EVENTS;
  while (workflowInfo().historyLength < maxHistoryEvents && !workflowInfo().continueAsNewSuggested) {
    await condition(
      () => ((wakePending || eventsPending || (fromXeroBack && reconcilePending !== undefined)) && !paused) || workflowInfo().continueAsNewSuggested,
    );
    if (workflowInfo().continueAsNewSuggested) break;

    // Runs from before issue 7 drained on any signal and read nothing back: they replay (and carry on) that way.
    const drainNow = wakePending || !fromXeroBack;
    const eventsNow = fromXeroBack && eventsPending;
    const sweepNow = fromXeroBack ? reconcilePending : undefined;
    wakePending = false;
    eventsPending = false;
    if (fromXeroBack) reconcilePending = undefined;
    let eventsRead = false;
    let swept = false;
    status.phase = 'draining';
    try {
      if (drainNow) {
        status.lastDrain = await drain();
        status.lastError = undefined;
        // Records left pending (changed mid-push, adopted) go out in the next pass.
        if (status.lastDrain.requeued > 0) wakePending = true;
      }
      // Webhook events first, so that a sweep's drift is only what no webhook announced.
      if ((eventsNow || sweepNow) && !paused) {
        status.lastInbound = await takeInXeroChanges();
        status.lastInboundAt = new Date().toISOString();
        eventsRead = true;
      }
      if (sweepNow && !paused) {
        status.lastReconciliation = await reconcile(sweepNow.trigger);
        swept = true;
      }
    } catch (err) {
      const failure = connectionUnavailable(err);
      if (failure) {
        const problem = (failure.details?.[0] as { problem?: string } | undefined)?.problem ?? 'needs_reauth';
        paused = { reason: problem };
        await steps.recordSyncPaused({ orgId, reason: problem, message: failure.message });
      } else {
        // Unexpected: keep the actor alive; the records stay queued and the next wake retries them.
        status.lastError = err instanceof Error ? err.message : String(err);
      }
    }
    // Cut short by a pause: read back once the organisation resumes (an unexpected failure waits for the
    // next signal or sweep instead, rather than spinning on it).
    if (paused) {
      if (eventsNow && !eventsRead) eventsPending = true;
      if (sweepNow && !swept) reconcilePending ??= sweepNow;
    }
    status.drains += 1;
    status.lastDrainAt = new Date().toISOString(); // workflow time: deterministic, replay-safe
    status.phase = 'idle';
  }

  // Hand over before the history grows large; signals still being handled finish first.
  await condition(allHandlersFinished);
  await continueAsNew<typeof xeroTenantWorkflow>({ orgId, paused, wakePending, eventsPending, reconcilePending, maxHistoryEvents: input.maxHistoryEvents });
}
