/**
 * Recognition's database steps (the main queue, no Xero call): which months are due, and each month's
 * journal worked out and stored before it is sent; plus the schedule's own step (a signal to the
 * organisation's workflow) and keeping the schedule on the organisation's time zone.
 */
import { Context } from '@temporalio/activity';
import { creditedSharesOfInvoices } from '../../db/queries/revenue-credits.ts';
import {
  deferredLinesWithInvoices,
  firstRecognitionPeriod,
  getRevenueJournal,
  hasRevenueToRecognise,
  journalProgress,
  lockRevenueJournals,
  movedSoFar,
  saveRevenueJournal,
} from '../../db/queries/revenue-journals.ts';
import { lastEndedPeriod, nextPeriod, periodEnd, periodsFrom } from '../../lib/revenue-periods.ts';
import { fromCents } from '../../lib/revenue-schedule.ts';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { createRevenueSchedules } from '../../workflows/client/revenue-schedules.ts';
import type { ActivityDeps } from '../deps.ts';
import { accountMovements, planJournal, type DeferredLineState } from './journal-plan.ts';
import { journalNarration } from './manual-journal.ts';

/** Months one pass posts at most; a longer backlog carries on in the next pass. */
export const MAX_PERIODS_PER_PASS = 36;

export function revenueWork({ db }: ActivityDeps) {
  return async ({ orgId }: { orgId: string }): Promise<{ any: boolean }> => ({ any: await hasRevenueToRecognise(db, { orgId }) });
}

export interface PeriodsDue {
  /** Months to post, oldest first: every month that has ended and is not settled yet. */
  periods: string[];
  /** More months are due than one pass posts. */
  more: boolean;
  /** The latest month ended at `asOf` on the organisation's calendar. */
  lastEnded: string;
}

/**
 * `asOf` is when the pass was asked for (the schedule's scheduled time, or now); never later than now, so no
 * month is posted before it has ended on the organisation's calendar.
 */
export function revenuePeriodsDue({ db }: ActivityDeps) {
  return async ({ orgId, asOf, zone }: { orgId: string; asOf: string; zone: string }): Promise<PeriodsDue> => {
    const now = new Date();
    const at = new Date(asOf) < now ? new Date(asOf) : now;
    const lastEnded = lastEndedPeriod(at, zone);
    const [progress, first] = await Promise.all([journalProgress(db, { orgId }), firstRecognitionPeriod(db, { orgId })]);
    const from = progress.lastSettled ? nextPeriod(progress.lastSettled) : (progress.firstOpen ?? first);
    const due = from ? periodsFrom(from, lastEnded) : [];
    return { periods: due.slice(0, MAX_PERIODS_PER_PASS), more: due.length > MAX_PERIODS_PER_PASS, lastEnded };
  };
}

export interface ClaimedJournal {
  state: 'sending' | 'posted' | 'empty';
  /** Sent before without an answer stored: look it up in Xero before sending again. */
  mayExist: boolean;
  /** Base-currency amount the journal moves from deferred revenue to revenue. */
  total: string;
}

/**
 * Works the month's journal out and stores it, lines included, before anything is sent (a refused one is
 * worked out afresh). A month already stored is returned as it is, so a retry sends exactly what was stored.
 */
export function claimRevenueJournal({ db }: ActivityDeps) {
  return async ({ orgId, period }: { orgId: string; period: string }): Promise<ClaimedJournal> =>
    db.transaction(async (tx) => {
      await lockRevenueJournals(tx, { orgId });
      const existing = await getRevenueJournal(tx, { orgId, period });
      if (existing && existing.state !== 'failed') {
        return { state: existing.state, mayExist: existing.state === 'sending' && existing.attempts > 0, total: existing.total };
      }
      const [rows, posted] = await Promise.all([deferredLinesWithInvoices(tx, { orgId }), movedSoFar(tx, { orgId, beforePeriod: period })]);
      const credited = await creditedSharesOfInvoices(tx, { orgId, invoiceIds: [...new Set(rows.map((r) => r.invoiceId))] });
      const lines: DeferredLineState[] = rows.map((r) => ({ ...r, credited: credited.get(r.invoiceId) }));
      const plan = planJournal({ period, lines, posted });
      const state = accountMovements(plan).length >= 2 ? 'sending' : 'empty';
      const total = fromCents(plan.reduce((n, l) => n + l.cents, 0n));
      await saveRevenueJournal(tx, {
        orgId,
        journal: {
          period,
          narration: journalNarration(orgId, period),
          journalDate: periodEnd(period),
          state,
          total,
          lines: plan.map(({ cents, ...line }) => ({ ...line, amount: fromCents(cents) })),
        },
      });
      return { state, mayExist: false, total };
    });
}

/** The recognition schedule's one step: ask the organisation's workflow for a pass (through its pacer). */
export function requestRevenueRecognition() {
  return async ({ orgId, trigger, asOf }: { orgId: string; trigger: string; asOf?: string }): Promise<void> => {
    const { client, info } = Context.current();
    // This activity runs on the organisation workflows' own (main) task queue.
    await createOrgWorkflows(client, info.taskQueue).recogniseRevenue(orgId, { trigger, asOf });
  };
}

/** The organisation's timezone changed in Xero (or was learnt): its schedule runs on it from now on. */
export function alignRevenueSchedule({ logger }: ActivityDeps) {
  return async ({ orgId, zone }: { orgId: string; zone: string }): Promise<void> => {
    const { client, info } = Context.current();
    await createRevenueSchedules(client, { taskQueue: info.taskQueue, logger }).moveToZone(orgId, zone);
  };
}
