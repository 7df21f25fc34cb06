/**
 * The organisation workflow's messages, defined once and used by the workflow and by the API.
 * Signals carry ids or nothing, never records: the database is the source of truth for the work.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** "There may be new pending work": the workflow re-reads the database. */
export const wakeSignal = defineSignal('wake');
/** "Xero webhook events for this organisation were stored": the workflow reads them from the database. */
export const xeroEventsSignal = defineSignal('xeroEvents');
/** Stop calling Xero for this organisation (disconnected, needs re-authorisation, plan without integrations). */
export const pauseSignal = defineSignal<[{ reason: string }]>('pause');
/** Reconnected / plan restored: carry on with whatever is pending. */
export const resumeSignal = defineSignal('resume');

export interface TenantStatus {
  orgId: string;
  phase: 'idle' | 'draining' | 'waiting_for_budget' | 'paused';
  pausedReason?: string;
  /** Completed drain passes in this run (resets on continue-as-new). */
  drains: number;
  lastDrainAt?: string;
  lastDrain?: DrainSummary;
}

export interface DrainSummary {
  processed: number;
  deferred: number;
  reason?: string;
}

export const statusQuery = defineQuery<TenantStatus>('status');
