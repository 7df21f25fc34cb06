/**
 * The organisation workflow's two activity proxies, one per task queue, with their timeouts and retries:
 *   - `db`: database steps on the workflow's own task queue;
 *   - `xero`: one Xero call each, on the Xero task queue, whose dispatch rate the Temporal server caps at
 *     Xero's app-wide limit. Always run through the organisation's pacer.
 * Typed separately, so a database step cannot be scheduled on the rate-limited Xero queue.
 */
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { DbSteps, XeroCalls } from '../../activities/index.ts';
import { FailureType } from '../constants.ts';
import type { PacingConfig } from '../pacing/pacer.ts';
import { xeroTaskQueue } from '../task-queues.ts';

export type DbStepsProxy = ReturnType<typeof proxyActivities<DbSteps>>;
export type XeroCallsProxy = ReturnType<typeof proxyActivities<XeroCalls>>;

export function dbSteps(): DbStepsProxy {
  return proxyActivities<DbSteps>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
}

/** The pacing figures, read once per run through a local activity (no I/O) so they are recorded in history. */
export function readPacingConfig(): Promise<PacingConfig> {
  return proxyLocalActivities<DbSteps>({ startToCloseTimeout: '10 seconds' }).pacingConfig();
}

export function xeroCalls(config: PacingConfig): XeroCallsProxy {
  return proxyActivities<XeroCalls>({
    taskQueue: xeroTaskQueue(workflowInfo().taskQueue),
    // A Xero call that hangs is abandoned and retried; the batch's Idempotency-Key makes that safe.
    startToCloseTimeout: config.callTimeoutMs,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      maximumAttempts: 25,
      nonRetryableErrorTypes: [FailureType.connectionUnavailable, FailureType.readRefused],
    },
  });
}
