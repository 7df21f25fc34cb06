/**
 * One Temporal Schedule per connected organisation, `xero-reconcile:{orgId}`: every RECONCILE_INTERVAL it
 * asks the organisation's workflow for a reconciliation sweep (workflows/reconcile-schedule.ts). Created or
 * unpaused when the organisation's sync starts or resumes, paused when it stops (disconnect, plan, needs
 * re-authorisation). Visible, pausable and triggerable in the
 * Temporal Web UI.
 *
 * Spread out: each organisation's runs fall at an offset within the interval derived from its id (so a
 * thousand organisations do not all sweep on the hour), plus Temporal's jitter on top.
 */
import { createHash } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleSpec,
} from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Logger } from '../../config/logger.ts';
import { reconcileScheduleId } from '../ids.ts';
import type { ReconcileScheduleInput } from '../reconcile-schedule.ts';
import { ConnectionStateAttribute, OrgIdAttribute, orgMemo, XeroTenantIdAttribute, type OrgConnectionFacts } from '../search-attributes.ts';

export interface ReconcileSchedules {
  /**
   * Creates the organisation's schedule, or unpauses it (bringing its interval and, given `facts`, its search
   * attributes up to date).
   */
  ensureRunning(orgId: string, facts?: OrgConnectionFacts): Promise<void>;
  /** Pauses it (no-op when the organisation has none); given `facts`, its search attributes follow. */
  pause(orgId: string, reason: string, facts?: OrgConnectionFacts): Promise<void>;
}

/**
 * The schedule's own search attributes (the Web UI's schedule list filters on them too). A schedule's memo is
 * set once, at creation: Temporal has no update for it.
 */
export function scheduleSearchAttributes(orgId: string, facts?: OrgConnectionFacts): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [{ key: OrgIdAttribute, value: orgId }];
  if (facts) pairs.push({ key: ConnectionStateAttribute, value: facts.state });
  if (facts?.xeroTenantId) pairs.push({ key: XeroTenantIdAttribute, value: facts.xeroTenantId });
  return pairs;
}

/** The sweeps it starts carry the organisation and its Xero organisation, so "this Xero organisation" lists them too. */
function actionSearchAttributes(orgId: string, facts?: OrgConnectionFacts): SearchAttributePair[] {
  return scheduleSearchAttributes(orgId, facts).filter((pair) => pair.key.name !== ConnectionStateAttribute.name);
}

/** Whether the schedule's search attributes already hold every one of `wanted`. */
function holds(current: ScheduleDescription, wanted: SearchAttributePair[]): boolean {
  return wanted.every((pair) => current.typedSearchAttributes?.get(pair.key) === pair.value);
}

export interface ReconcileScheduleOptions {
  /** The organisation workflows' task queue (TEMPORAL_TASK_QUEUE). */
  taskQueue: string;
  /** RECONCILE_INTERVAL. */
  intervalMs: number;
  logger: Logger;
}

/** Temporal rounds schedule times to seconds. */
const SECOND = 1_000;
const MAX_JITTER_MS = 5 * 60_000;

/** Where in each interval this organisation's runs fall: stable per organisation, spread across them. */
export function scheduleOffsetMs(orgId: string, intervalMs: number): number {
  const slots = Math.max(1, Math.floor(intervalMs / SECOND));
  return (createHash('sha256').update(orgId).digest().readUInt32BE(0) % slots) * SECOND;
}

export function reconcileScheduleSpec(orgId: string, intervalMs: number): ScheduleSpec {
  return {
    intervals: [{ every: intervalMs, offset: scheduleOffsetMs(orgId, intervalMs) }],
    // A tenth of the interval, at most 5 minutes: organisations sharing an offset still do not fire in lockstep.
    jitter: Math.max(SECOND, Math.min(MAX_JITTER_MS, Math.floor(intervalMs / 10 / SECOND) * SECOND)),
  };
}

export function createReconcileSchedules(client: Client, { taskQueue, intervalMs, logger }: ReconcileScheduleOptions): ReconcileSchedules {
  const action = (orgId: string, facts?: OrgConnectionFacts) => ({
    type: 'startWorkflow' as const,
    workflowType: 'xeroReconcileScheduleWorkflow',
    args: [{ orgId } satisfies ReconcileScheduleInput],
    taskQueue,
    // Temporal appends the scheduled time, so each run has its own id.
    workflowId: `xero-reconcile-run:${orgId}`,
    workflowExecutionTimeout: '10 minutes',
    typedSearchAttributes: actionSearchAttributes(orgId, facts),
    ...(facts ? { memo: orgMemo(facts) } : {}),
  });

  /**
   * Brings the schedule's search attributes (and its action's) to `facts`, when they differ. The update
   * states the pause it is part of: Temporal may apply an update after a pause or unpause sent later, and
   * an update carrying the old state would then undo it.
   */
  const keepAttributes = async (handle: ScheduleHandle, current: ScheduleDescription, orgId: string, facts: OrgConnectionFacts, paused: boolean) => {
    const wanted = scheduleSearchAttributes(orgId, facts);
    if (holds(current, wanted)) return;
    await handle.update((previous) => ({ ...previous, state: { ...previous.state, paused }, action: action(orgId, facts), typedSearchAttributes: wanted }));
  };

  const ensureRunning = async (orgId: string, facts?: OrgConnectionFacts) => {
    const scheduleId = reconcileScheduleId(orgId);
    const spec = reconcileScheduleSpec(orgId, intervalMs);
    try {
      await client.schedule.create({
        scheduleId,
        spec,
        action: action(orgId, facts),
        // A sweep still running when the next is due: skip it (the next one reads from the watermark anyway).
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
        state: { note: 'Xero connected: reconciliation sweeps of payments and invoices' },
        typedSearchAttributes: scheduleSearchAttributes(orgId, facts),
        ...(facts ? { memo: orgMemo(facts) } : {}),
      });
      logger.info({ orgId, scheduleId, intervalMs }, 'reconciliation schedule created');
      return;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    const handle = client.schedule.getHandle(scheduleId);
    const current = await handle.describe();
    const interval = current.spec.intervals?.[0];
    const wanted = scheduleSearchAttributes(orgId, facts);
    if (interval?.every !== intervalMs || interval.offset !== scheduleOffsetMs(orgId, intervalMs) || current.spec.jitter !== spec.jitter || !holds(current, wanted)) {
      // Running is what this call is for, whatever order Temporal applies this update and the unpause in.
      await handle.update((previous) => ({ ...previous, state: { ...previous.state, paused: false }, spec, action: action(orgId, facts), ...(facts ? { typedSearchAttributes: wanted } : {}) }));
    }
    if (current.state.paused) {
      await handle.unpause('Xero sync resumed');
      logger.info({ orgId, scheduleId }, 'reconciliation schedule unpaused');
    }
  };

  const pause = async (orgId: string, reason: string, facts?: OrgConnectionFacts) => {
    try {
      const handle = client.schedule.getHandle(reconcileScheduleId(orgId));
      if (facts) await keepAttributes(handle, await handle.describe(), orgId, facts, true);
      await handle.pause(`Xero sync paused: ${reason}`);
      logger.info({ orgId, reason }, 'reconciliation schedule paused');
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  };

  return { ensureRunning, pause };
}
