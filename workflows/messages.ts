/**
 * The organisation workflow's messages, defined once and used by the workflow and by its clients.
 * Signals carry ids or nothing, never records: the database is the source of truth for the work.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DriftCounts } from '../lib/reconciliation-drift.ts';
import type { PacerSnapshot } from './pacing/pacer.ts';
import type { OrgConnectionFacts } from './search-attributes.ts';

/** "There may be new pending work": the workflow re-reads the database. */
export const wakeSignal = defineSignal('wake');
/** "Xero webhook events for this organisation were stored": the workflow reads them from the database. */
export const xeroEventsSignal = defineSignal('xeroEvents');
/** Stop calling Xero for this organisation (disconnected, needs re-authorisation, plan without integrations). */
export const pauseSignal = defineSignal<[{ reason: string }]>('pause');
/** Reconnected / plan restored: carry on with whatever is pending. */
export const resumeSignal = defineSignal('resume');
/**
 * "Sweep Xero for what no webhook announced" (the organisation's reconciliation schedule, or a person):
 * the workflow runs it between drains, through its own pacer. `trigger` says who asked, for the report.
 */
export const reconcileSignal = defineSignal<[{ trigger?: string }]>('reconcile');
/**
 * "The organisation's connection changed" (connected, tenant picked, disconnected, needs re-authorisation),
 * sent by the code that changed it, with the new state, Xero tenant id and the two names: small values the
 * workflow shows in the Temporal Web UI (search attributes, memo). It changes nothing the workflow does:
 * pause and resume still say that.
 */
export const connectionSignal = defineSignal<[OrgConnectionFacts]>('connection');

/**
 * "Post the revenue recognition journals that are due" (the organisation's monthly schedule, or a person):
 * every month ended by `asOf` (ISO instant; default: when the pass runs) on the Xero organisation's calendar
 * and not posted yet, in order, through the workflow's pacer. `trigger` says who asked.
 */
export const recogniseRevenueSignal = defineSignal<[{ trigger?: string; asOf?: string }]>('recogniseRevenue');

export interface DrainSummary {
  synced: number;
  failed: number;
  /** Left pending for the next pass (changed while in flight, adopted after a duplicate). */
  requeued: number;
  emailed: number;
  /** Online invoice links stored (absent before links existed). */
  links?: number;
  /** Xero calls made in this pass. */
  calls: number;
}

/** Xero changes read back after webhooks, in one pass. */
export interface InboundSummary {
  invoices: number;
  contacts: number;
  /** Of ours, credit notes read back (absent before they were). */
  creditNotes?: number;
  /** Payments recorded, reversed, invoices updated... (the same counts as a drift report). */
  effects: DriftCounts;
  calls: number;
}

export interface ReconciliationSummary {
  trigger: string;
  startedAt: string;
  finishedAt: string;
  calls: number;
  paymentsSeen: number;
  invoicesSeen: number;
  drift: DriftCounts;
  /** Why the sweep stopped early, if it did. */
  note?: string;
}

/** One recognition pass: the months it posted, adopted after a lost answer, or found nothing to move in. */
export interface RevenueRecognitionSummary {
  trigger: string;
  asOf: string;
  /** The latest month ended at `asOf` on the organisation's calendar (absent: nothing to recognise). */
  lastEnded?: string;
  posted: string[];
  adopted: string[];
  empty: string[];
  calls: number;
  /** Why the pass stopped early, if it did (a journal Xero refused, a pause, a backlog left for the next pass). */
  note?: string;
}

/** What the organisation's workflow is doing: pushing, reading webhook events back, sweeping Xero, or nothing. */
export const syncPhases = ['idle', 'pushing', 'reading_back', 'reconciling', 'recognising_revenue', 'paused'] as const;
export type SyncPhase = (typeof syncPhases)[number];

export interface OrgSyncStatus {
  orgId: string;
  phase: SyncPhase;
  /** Why the organisation is paused: not_connected, needs_reauth, disconnected, plan_required, or an admin's reason. */
  pausedReason?: string;
  /** The record type being pushed right now. */
  pushing?: string;
  /** Completed passes in this run (resets on continue-as-new). */
  drains: number;
  lastDrainAt?: string;
  lastDrain?: DrainSummary;
  /** The last unexpected failure (the workflow carries on; the records stay queued). */
  lastError?: string;
  lastInboundAt?: string;
  lastInbound?: InboundSummary;
  lastReconciliation?: ReconciliationSummary;
  lastRevenueRecognition?: RevenueRecognitionSummary;
  budget: PacerSnapshot;
}

export const statusQuery = defineQuery<OrgSyncStatus>('status');
