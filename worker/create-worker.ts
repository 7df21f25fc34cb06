/**
 * Builds the workers of one process: the main one runs the organisation workflows and database steps;
 * the Xero one runs the activities that call Xero, on their own task queue, whose dispatch rate the
 * Temporal server caps at Xero's app-wide limit across every worker process (DESIGN: the app-wide cap
 * belongs to Temporal, not to a home-made limiter).
 */
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createDbSteps, createXeroCalls, type ActivityDeps } from '../activities/index.ts';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../config/env.ts';
import { xeroTaskQueue } from '../workflows/task-queues.ts';

// Under tsx this file is .ts; in the production build it is .js, and so is the workflows entry.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
export const workflowsPath = fileURLToPath(new URL(`../workflows/index${extension}`, import.meta.url));

/** The share of workflow task polls for the task queue itself rather than this worker's sticky queue. */
export const NON_STICKY_POLL_RATIO = 0.9;

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Xero's app-wide limit (calls per minute, all organisations). */
  appCallsPerMinute?: number;
  /** How long Xero's minute lasts (XERO_RATE_WINDOW_MS: shorter only against a time-scaled sandbox). */
  rateWindowMs?: number;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles `workflows/` itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** Workflows kept in memory between tasks (TEMPORAL_MAX_CACHED_WORKFLOWS); never the SDK's heap-sized default. */
  maxCachedWorkflows?: number;
}

export interface SyncWorkers {
  run(): Promise<void>;
  /** Stops polling; in-flight activities get `shutdownGraceTime` to finish. */
  shutdown(): void;
}

export async function createWorkers(options: CreateWorkerOptions): Promise<SyncWorkers> {
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    shutdownGraceTime: options.shutdownGraceTime ?? '30 seconds',
  };
  const [main, xero] = await Promise.all([
    Worker.create({
      ...common,
      ...workflowWorkerOptions(options),
      // Only the database steps: a Xero call can never run here, outside the rate-capped queue.
      activities: createDbSteps(options.deps),
    }),
    Worker.create({
      ...common,
      taskQueue: xeroTaskQueue(options.taskQueue),
      activities: createXeroCalls(options.deps),
      maxTaskQueueActivitiesPerSecond: appCallsPerSecond(options.appCallsPerMinute ?? 10_000, options.rateWindowMs ?? 60_000),
      maxConcurrentActivityTaskExecutions: 100,
    }),
  ]);
  return {
    run: async () => {
      await Promise.all([main.run(), xero.run()]);
    },
    shutdown: () => {
      // A worker may already be stopping: the SDK's own SIGINT/SIGTERM hook shuts workers down too.
      for (const worker of [main, xero]) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}

/** How the main worker runs the organisation workflows: its task queue, their code and how many it keeps. */
export function workflowWorkerOptions(options: Pick<CreateWorkerOptions, 'taskQueue' | 'workflowBundle' | 'maxCachedWorkflows'>) {
  return {
    taskQueue: options.taskQueue,
    // The SDK would size the cache from the heap limit, and bin/start-worker sets a small one: explicit, the
    // cache holds every organisation's workflow whatever the limit, so none is evicted and replayed.
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    // Nine in ten workflow task polls for the task queue itself, where every organisation's first task arrives
    // (and where tasks are shared out by organisation), one for this worker's sticky queue (the SDK's default
    // gives the sticky queue four in five): with many organisations woken at once, those already running would
    // otherwise keep the worker busy and run ahead while the rest wait to start.
    nonStickyToStickyPollRatio: NON_STICKY_POLL_RATIO,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
  } satisfies Partial<WorkerOptions>;
}

/**
 * The Xero queue's dispatch rate for Xero's app-wide limit. The server's limiter is a token bucket that may
 * start full (about a second's worth of dispatches at once), and Xero counts a fixed minute: a window that
 * opens on a full bucket sees that second on top of the minute's rate, so the rate leaves one second for it.
 */
export function appCallsPerSecond(callsPerWindow: number, windowMs: number): number {
  return callsPerWindow / (windowMs / 1000 + 1);
}
