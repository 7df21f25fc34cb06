/**
 * The organisation workflow's two activity proxies, one per task queue, with their timeouts and retries:
 *   - `db`: database steps on the workflow's own task queue;
 *   - `xero`: one Xero call each, on the Xero task queue, whose dispatch rate the Temporal server caps at
 *     Xero's app-wide limit. Always run through the organisation's pacer.
 * Typed separately, so a database step cannot be scheduled on the rate-limited Xero queue.
 */
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { DbSteps, XeroCalls } from '../../activities/index.ts';
import { ACTIVITY_HEARTBEAT_TIMEOUT_MS, FailureType, XERO_ACTIVITY_OVERHEAD_MS } from '../constants.ts';
import type { PacingConfig } from '../pacing/pacer.ts';
import { orgFairnessKey } from '../fairness.ts';
import { xeroTaskQueue } from '../task-queues.ts';

export type DbStepsProxy = ReturnType<typeof proxyActivities<DbSteps>>;
export type XeroCallsProxy = ReturnType<typeof proxyActivities<XeroCalls>>;

export function dbSteps(): DbStepsProxy {
  return proxyActivities<DbSteps>({
    startToCloseTimeout: '1 minute',
    // A step lost with its worker is retried elsewhere within seconds, not after its minute.
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
}

/** The pacing figures, read once per run through a local activity (no I/O) so they are recorded in history. */
export function readPacingConfig(): Promise<PacingConfig> {
  return proxyLocalActivities<DbSteps>({ startToCloseTimeout: '10 seconds' }).pacingConfig();
}

/**
 * `fairShare`: the organisation whose calls these are, as the tasks' fairness key, so the server shares the
 * queue's rate (Xero's app-wide limit) round-robin between organisations. Absent on runs that began before it
 * (the scheduled commands would differ on replay). `priorityKey`: the tasks' priority level (1 first; see
 * turns.ts), absent on runs that began before turns.
 */
export function xeroCalls(config: PacingConfig, fairShare?: { orgId: string; priorityKey?: number }): XeroCallsProxy {
  return proxyActivities<XeroCalls>({
    ...(fairShare ? { priority: { fairnessKey: orgFairnessKey(fairShare.orgId), ...(fairShare.priorityKey ? { priorityKey: fairShare.priorityKey } : {}) } } : {}),
    taskQueue: xeroTaskQueue(workflowInfo().taskQueue),
    // The request itself is bounded by the call timeout (the activity gives up on a Xero that does not answer,
    // and retries under the same Idempotency-Key); this bounds the whole activity around it.
    startToCloseTimeout: config.callTimeoutMs + XERO_ACTIVITY_OVERHEAD_MS,
    // An attempt lost with its worker (kill -9) is retried within seconds: the retry's lookup adopts what
    // Xero did, so the organisation's pushes resume without a duplicate.
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      maximumAttempts: 25,
      nonRetryableErrorTypes: [FailureType.connectionUnavailable, FailureType.readRefused],
    },
  });
}
