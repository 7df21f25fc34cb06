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
 * This file holds the actor's loop, its messages and its hand-over; the passes themselves are in
 * tenant/: drain.ts (pushes), take-in.ts (webhook read-back), reconcile.ts (the sweep).
 *
 * Orchestration only: no I/O here, and activity TYPES only.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setDefaultSignalHandler,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import {
  pauseSignal,
  reconcileSignal,
  resumeSignal,
  statusQuery,
  wakeSignal,
  xeroEventsSignal,
  type TenantStatus,
} from './messages.ts';
import { XeroPacer, type Pacer, type PacingConfig } from './pacing.ts';
import { XeroPacerV1 } from './legacy/xero-pacer-v1.ts';
import { xeroTaskQueue } from './task-queues.ts';
import { drainPending } from './tenant/drain.ts';
import { CONNECTION_UNAVAILABLE, connectionUnavailable } from './tenant/failures.ts';
import { reconcileWithXero } from './tenant/reconcile.ts';
import type { TenantRun } from './tenant/run.ts';
import { takeInXeroChanges } from './tenant/take-in.ts';

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

/** Hand over to a fresh run well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 10_000;
/** Reading Xero back (webhook events, reconciliation) arrived with issue 7: older histories replay without it. */
const FROM_XERO_BACK = 'from-xero-back';
/** The rate budget learnt as pure state (rate-budget.ts): older runs replay with the pacer they began with. */
const RATE_BUDGET_V2 = 'rate-budget-v2';
/** Signals dispatched in arrival order even when several arrive before the first workflow task. */
const ORDERED_SIGNALS = 'ordered-signals';

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
  const rateBudgetV2 = patched(RATE_BUDGET_V2);

  let wakePending = input.wakePending ?? true;
  let eventsPending = input.eventsPending ?? wakePending;
  let reconcilePending = input.reconcilePending;
  let paused = input.paused;
  const status: TenantStatus = { orgId, phase: paused ? 'paused' : 'idle', pausedReason: paused?.reason, drains: 0, budget: { inFlight: 0 } };
  let pacer: Pacer | undefined = undefined; // set once the pacing configuration is read

  // Handlers first, before anything is awaited: a query during the first workflow task (while the pacing
  // configuration is being read) must find `status` registered, and signals must land in these flags.
  const onWake = () => {
    wakePending = true;
  };
  const onXeroEvents = () => {
    eventsPending = true;
  };
  const onPause = ({ reason }: { reason: string }) => {
    paused = { reason };
  };
  const onResume = () => {
    paused = undefined;
    wakePending = true;
  };
  const onReconcile = ({ trigger }: { trigger?: string }) => {
    reconcilePending = { trigger: trigger ?? 'manual' };
  };
  if (patched(ORDERED_SIGNALS)) {
    // Signals that arrive before the first workflow task are held by the SDK and, with a handler per
    // signal, dispatched in the order the handlers are registered: a resume then a pause (connect, then a
    // revoked grant, before the worker ran once) would end unpaused. One handler keeps arrival order.
    const byName: Record<string, (arg: never) => void> = {
      [wakeSignal.name]: onWake,
      [xeroEventsSignal.name]: onXeroEvents,
      [pauseSignal.name]: onPause,
      [resumeSignal.name]: onResume,
      [reconcileSignal.name]: onReconcile,
    };
    setDefaultSignalHandler((name, ...args) => byName[name]?.(args[0] as never));
  } else {
    setHandler(wakeSignal, onWake);
    setHandler(xeroEventsSignal, onXeroEvents);
    setHandler(pauseSignal, onPause);
    setHandler(resumeSignal, onResume);
    setHandler(reconcileSignal, onReconcile);
  }
  setHandler(statusQuery, () => ({
    ...status,
    phase: paused ? 'paused' : pacer?.waitingForBudget ? 'waiting_for_budget' : status.phase,
    pausedReason: paused?.reason,
    budget: pacer?.snapshot() ?? status.budget,
  }));

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
  pacer = rateBudgetV2 ? new XeroPacer(config) : new XeroPacerV1(config);

  const run: TenantRun = {
    orgId,
    steps,
    xero,
    pacer,
    config,
    status,
    paused: () => paused,
    wakeAgain: () => {
      wakePending = true;
    },
    readEventsAgain: () => {
      eventsPending = true;
    },
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
        status.lastDrain = await drainPending(run);
        status.lastError = undefined;
        // Records left pending (changed mid-push, adopted) go out in the next pass.
        if (status.lastDrain.requeued > 0) wakePending = true;
      }
      // Webhook events first, so that a sweep's drift is only what no webhook announced.
      if ((eventsNow || sweepNow) && !paused) {
        status.lastInbound = await takeInXeroChanges(run);
        status.lastInboundAt = new Date().toISOString();
        eventsRead = true;
      }
      if (sweepNow && !paused) {
        status.lastReconciliation = await reconcileWithXero(run, sweepNow.trigger);
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
