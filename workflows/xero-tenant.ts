/**
 * `xero-tenant:{orgId}`: the one actor per organisation that talks to Xero.
 *
 * Driven by the database: pending rows are the work, signals only wake it. Each pass drains the
 * organisation's pending records in dependency order (contacts, then invoices and expenses, then
 * payments), in batches of up to 50 per call, paced by what Xero reports of the organisation's budget.
 * A connection that needs a person (not connected, re-authorisation, plan) pauses the organisation
 * until a resume signal; nothing is lost meanwhile, the records simply stay pending.
 *
 * Orchestration only: no I/O here, and activity TYPES only.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
  uuid4,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { pauseSignal, resumeSignal, statusQuery, wakeSignal, xeroEventsSignal, type DrainSummary, type TenantStatus } from './messages.ts';
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
}

type PushActivity = 'pushContactBatch' | 'pushInvoiceBatch' | 'pushExpenseBatch' | 'pushPaymentBatch';

/** Dependency order: a contact exists before its invoice, an invoice before its payment. */
const PHASES: PushActivity[][] = [['pushContactBatch'], ['pushInvoiceBatch', 'pushExpenseBatch'], ['pushPaymentBatch']];
const BATCH_SIZE = 50;
/** Hand over to a fresh run well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 10_000;
const CONNECTION_UNAVAILABLE = 'XeroConnectionUnavailable';

export async function xeroTenantWorkflow(input: TenantWorkflowInput): Promise<void> {
  const { orgId } = input;
  const steps = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  const { pacingConfig } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

  let wakePending = input.wakePending ?? true;
  let eventsPending = false;
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

  while (workflowInfo().historyLength < MAX_HISTORY_EVENTS && !workflowInfo().continueAsNewSuggested) {
    await condition(() => ((wakePending || eventsPending) && !paused) || workflowInfo().continueAsNewSuggested);
    if (workflowInfo().continueAsNewSuggested) break;

    wakePending = false;
    eventsPending = false;
    status.phase = 'draining';
    try {
      status.lastDrain = await drain();
      status.lastError = undefined;
      // Records left pending (changed mid-push, adopted) go out in the next pass.
      if (status.lastDrain.requeued > 0) wakePending = true;
    } catch (err) {
      const failure = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
      if (failure?.type === CONNECTION_UNAVAILABLE) {
        const problem = (failure.details?.[0] as { problem?: string } | undefined)?.problem ?? 'needs_reauth';
        paused = { reason: problem };
        await steps.recordSyncPaused({ orgId, reason: problem, message: failure.message });
      } else {
        // Unexpected: keep the actor alive; the records stay queued and the next wake retries them.
        status.lastError = err instanceof Error ? err.message : String(err);
      }
    }
    status.drains += 1;
    status.lastDrainAt = new Date().toISOString(); // workflow time: deterministic, replay-safe
    status.phase = 'idle';
  }

  // Hand over before the history grows large; signals still being handled finish first.
  await condition(allHandlersFinished);
  await continueAsNew<typeof xeroTenantWorkflow>({ orgId, paused, wakePending: wakePending || eventsPending });
}
