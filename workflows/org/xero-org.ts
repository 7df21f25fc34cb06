/**
 * `xero-org:{orgId}`: the one actor per organisation that talks to Xero.
 *
 * Driven by the database: pending rows are the work, signals only wake it. Each pass drains the
 * organisation's pending records in dependency order (contacts, then invoices and bills, then payments),
 * in batches of up to 50 per call, paced by what Xero reports of the organisation's budget. A connection
 * that needs a person (not connected, re-authorisation, plan) pauses the organisation until a resume
 * signal; nothing is lost meanwhile, the records simply stay pending.
 *
 * From Xero back: after a drain it reads what Xero webhooks announced (invoices: payments, reversals,
 * status; contacts: edits made in Xero), and, when the organisation's reconciliation schedule asks, sweeps
 * Xero's payments and invoices for what no webhook announced. When its revenue schedule asks, it posts the
 * month's revenue recognition journals. All of it goes through the same pacer as the pushes, so the
 * organisation's budget has one owner.
 *
 * This file holds the actor's loop and its hand-over; its state and signal handlers are `OrgState`
 * (state.ts), the passes are drain.ts (pushes), take-in.ts (webhook read-back), reconcile.ts (the sweep) and
 * recognise.ts (revenue recognition journals).
 *
 * Orchestration only: no I/O here, and activity TYPES only.
 */
import { allHandlersFinished, condition, continueAsNew, patched, setDefaultSignalHandler, setHandler, workflowInfo } from '@temporalio/workflow';
import { connectionSignal, pauseSignal, recogniseRevenueSignal, reconcileSignal, resumeSignal, statusQuery, wakeSignal, xeroEventsSignal } from '../messages.ts';
import { PATCHES } from '../patches.ts';
import { XeroPacer } from '../pacing/pacer.ts';
import { dbSteps, readPacingConfig, xeroCalls } from './activities.ts';
import { drainPending } from './drain.ts';
import { connectionUnavailable, expectActivityFailure, messageOf } from './failures.ts';
import { recogniseRevenue } from './recognise.ts';
import { reconcileWithXero } from './reconcile.ts';
import type { OrgRun } from './run.ts';
import { OrgState, type OrgStateSnapshot, type PassPlan } from './state.ts';
import { takeInXeroChanges } from './take-in.ts';
import { XeroTurns } from './turns.ts';
import { OrgVisibility } from './visibility.ts';
import { connectionStates, type ConnectionState, type OrgConnectionFacts } from '../search-attributes.ts';

/**
 * Versioned input: a run may be replayed by newer code months later, so fields are only ever added,
 * optional, with a default that keeps old histories meaning what they meant.
 */
export interface OrgWorkflowInput {
  orgId: string;
  /** Carried whole across continue-as-new; absent for a first run. */
  state?: OrgStateSnapshot;
  /** Hand over to a fresh run past this many history events (default 10,000; tests use a small value). */
  maxHistoryEvents?: number;
}

/** Hand over to a fresh run well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 10_000;

export async function xeroOrgWorkflow(input: OrgWorkflowInput): Promise<void> {
  const { orgId } = input;
  const state = new OrgState(orgId, input.state);
  // The Web UI's view (search attributes, memo) follows every change of phase, pause and connection.
  const visibility = new OrgVisibility(orgId, state);
  state.onVisibleChange = () => visibility.update();

  // Handlers first, before anything is awaited: a query during the first workflow task must find `status`,
  // and signals must reach the state. Signals that arrive before the first workflow task are held by the SDK
  // and, with one handler per signal, dispatched in the order the handlers were registered: a resume then a
  // pause (connect, then a revoked grant, before a worker ran) would end unpaused. One handler keeps their
  // arrival order.
  const handlers: Record<string, (arg: never) => void> = {
    [wakeSignal.name]: () => state.wake(),
    [xeroEventsSignal.name]: () => state.xeroEvents(),
    [pauseSignal.name]: (arg: { reason: string }) => state.pause(arg),
    [resumeSignal.name]: () => state.resume(),
    [reconcileSignal.name]: (arg: { trigger?: string }) => state.reconcile(arg),
    [connectionSignal.name]: (facts: OrgConnectionFacts) => state.connectionChanged(facts),
    [recogniseRevenueSignal.name]: (arg: { trigger?: string; asOf?: string }) => state.recogniseRevenue(arg),
  };
  setDefaultSignalHandler((name, ...args) => handlers[name]?.(args[0] as never));
  setHandler(statusQuery, () => state.view());
  visibility.update();

  const config = await readPacingConfig();
  const pacer = new XeroPacer(config);
  state.pacer = pacer;
  const maxHistoryEvents = input.maxHistoryEvents ?? MAX_HISTORY_EVENTS;
  // A tenth of the length left for what a cut-short drain still finishes (batches in flight, emails, links).
  const historyBudget = Math.floor(maxHistoryEvents * 0.9);
  const fairShare = patched(PATCHES.xeroFairShare);
  // Each call's priority level by its turn in the pass (turns.ts); runs that began before it keep one level.
  const turns = fairShare && patched(PATCHES.xeroTurns) ? new XeroTurns((priorityKey) => xeroCalls(config, { orgId, priorityKey })) : undefined;
  const xero = turns?.calls ?? xeroCalls(config, fairShare ? { orgId } : undefined);
  const run: OrgRun = { orgId, db: dbSteps(), xero, turns, pacer, config, state, historyBudget };

  const handOver = () => workflowInfo().historyLength >= maxHistoryEvents || workflowInfo().continueAsNewSuggested || run.handOverDue === true;
  while (!handOver()) {
    await condition(() => state.hasWork() || workflowInfo().continueAsNewSuggested);
    if (workflowInfo().continueAsNewSuggested) break;
    await runPass(run, state.takePass());
  }

  // Hand over before the history grows large; signals still being handled finish first.
  await condition(allHandlersFinished);
  await continueAsNew<typeof xeroOrgWorkflow>({ orgId, state: state.snapshot(), maxHistoryEvents: input.maxHistoryEvents });
}

/** One pass: push what is pending, then read back what webhooks announced, then sweep and recognise revenue if asked. */
async function runPass(run: OrgRun, plan: PassPlan): Promise<void> {
  const { orgId, state } = run;
  run.turns?.newPass();
  const done = { readEvents: false, swept: false, recognised: false };
  try {
    if (plan.drain) {
      state.setPhase('pushing');
      state.status.lastDrain = await drainPending(run);
      state.status.lastError = undefined;
      // Records left pending (changed mid-push, adopted) go out in the next pass.
      if (state.status.lastDrain.requeued > 0 || run.handOverDue) state.drainAgain();
    }
    // Webhook events first, so that a sweep's drift is only what no webhook announced.
    if ((plan.readEvents || plan.sweep) && !state.paused) {
      state.setPhase('reading_back');
      state.status.lastInbound = await takeInXeroChanges(run);
      state.status.lastInboundAt = new Date().toISOString(); // workflow time: deterministic, replay-safe
      done.readEvents = true;
    }
    if (plan.sweep && !state.paused) {
      state.setPhase('reconciling');
      state.status.lastReconciliation = await reconcileWithXero(run, plan.sweep.trigger);
      done.swept = true;
    }
    // After the read-back and sweep: a void Xero announced is known before the month's journal is worked out.
    if (plan.recognise && !state.paused && patched(PATCHES.revenueRecognition)) {
      state.setPhase('recognising_revenue');
      state.status.lastRevenueRecognition = await recogniseRevenue(run, plan.recognise);
      done.recognised = true;
    }
  } catch (err) {
    const failure = expectActivityFailure(err);
    const unavailable = connectionUnavailable(failure);
    if (unavailable) {
      if (isConnectionState(unavailable.problem)) state.learnConnectionState(unavailable.problem);
      state.pause({ reason: unavailable.problem });
      await run.db.recordSyncPaused({ orgId, reason: unavailable.problem, message: unavailable.message });
    } else {
      // An activity gave up (its retries spent): the records stay queued and the next wake retries them.
      state.status.lastError = messageOf(failure);
    }
  }
  // Cut short by a pause: read back once the organisation resumes (an activity that gave up waits for the
  // next signal or sweep instead, rather than spinning on it).
  if (state.paused) state.putBack(plan, done);
  state.status.drains += 1;
  state.status.lastDrainAt = new Date().toISOString();
  state.setPhase('idle');
}

/** `plan_required` is a reason to pause, not a state of the connection. */
function isConnectionState(problem: string): problem is ConnectionState {
  return (connectionStates as readonly string[]).includes(problem);
}
