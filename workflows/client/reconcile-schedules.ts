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
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import type { Logger } from '../../config/logger.ts';
import { reconcileScheduleId } from '../ids.ts';
import type { ReconcileScheduleInput } from '../reconcile-schedule.ts';

export interface ReconcileSchedules {
  /** Creates the organisation's schedule, or unpauses it (bringing its interval up to date). */
  ensureRunning(orgId: string): Promise<void>;
  /** Pauses it (no-op when the organisation has none). */
  pause(orgId: string, reason: string): Promise<void>;
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
  const action = (orgId: string) => ({
    type: 'startWorkflow' as const,
    workflowType: 'xeroReconcileScheduleWorkflow',
    args: [{ orgId } satisfies ReconcileScheduleInput],
    taskQueue,
    // Temporal appends the scheduled time, so each run has its own id.
    workflowId: `xero-reconcile-run:${orgId}`,
    workflowExecutionTimeout: '10 minutes',
  });

  const ensureRunning = async (orgId: string) => {
    const scheduleId = reconcileScheduleId(orgId);
    const spec = reconcileScheduleSpec(orgId, intervalMs);
    try {
      await client.schedule.create({
        scheduleId,
        spec,
        action: action(orgId),
        // A sweep still running when the next is due: skip it (the next one reads from the watermark anyway).
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
        state: { note: 'Xero connected: reconciliation sweeps of payments and invoices' },
      });
      logger.info({ orgId, scheduleId, intervalMs }, 'reconciliation schedule created');
      return;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    const handle = client.schedule.getHandle(scheduleId);
    const current = await handle.describe();
    const interval = current.spec.intervals?.[0];
    if (interval?.every !== intervalMs || interval.offset !== scheduleOffsetMs(orgId, intervalMs) || current.spec.jitter !== spec.jitter) {
      await handle.update((previous) => ({ ...previous, spec, action: action(orgId) }));
    }
    if (current.state.paused) {
      await handle.unpause('Xero sync resumed');
      logger.info({ orgId, scheduleId }, 'reconciliation schedule unpaused');
    }
  };

  const pause = async (orgId: string, reason: string) => {
    try {
      await client.schedule.getHandle(reconcileScheduleId(orgId)).pause(`Xero sync paused: ${reason}`);
      logger.info({ orgId, reason }, 'reconciliation schedule paused');
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  };

  return { ensureRunning, pause };
}
