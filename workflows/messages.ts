/**
 * The organisation workflow's messages, defined once and used by the workflow and by the API.
 * Signals carry ids or nothing, never records: the database is the source of truth for the work.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** "There may be new pending work": the workflow re-reads the database. */
export const wakeSignal = defineSignal('wake');
/** Stop calling Xero for this organisation (disconnected, needs re-authorisation, plan without integrations). */
export const pauseSignal = defineSignal<[{ reason: string }]>('pause');
export const resumeSignal = defineSignal('resume');

export interface TenantStatus {
  orgId: string;
  phase: 'idle' | 'draining' | 'paused';
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
