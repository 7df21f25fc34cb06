/**
 * The revenue recognition pass: every month that has ended on the Xero organisation's calendar (as of the
 * request) and has no journal yet, oldest first, one Manual Journal each, every Xero call through the pacer.
 *
 *   - Nothing to recognise (no deferred lines, no journals to undo): no Xero call at all.
 *   - The Organisation is read first: its timezone decides which months have ended (and the schedule follows it).
 *   - Each month's journal is worked out and stored, lines included, before it is sent; the PUT carries an
 *     Idempotency-Key derived from the body. A retry of the PUT (the answer may have been lost after Xero
 *     posted it), or a month stored as sending by an earlier pass, is first looked up by its narration, a call
 *     of its own, and adopted when Xero has it: a month is never posted twice.
 *   - A journal Xero refuses stops the pass (later months wait, so they stay in order); its reason is stored
 *     and shown; the next pass works it out afresh.
 */
import type { ActivityFailure } from '@temporalio/workflow';
import type { RevenueRecognitionSummary } from '../messages.ts';
import { connectionUnavailable, expectActivityFailure, messageOf } from './failures.ts';
import type { OrgRun } from './run.ts';
import type { RevenueRequest } from './state.ts';

type Counted = <T extends { rateLimits?: unknown }>(result: T) => T;

export async function recogniseRevenue(run: OrgRun, request: RevenueRequest): Promise<RevenueRecognitionSummary> {
  const { orgId, db, xero, pacer, state } = run;
  const asOf = request.asOf ?? new Date().toISOString(); // workflow time: deterministic, replay-safe
  const summary: RevenueRecognitionSummary = { trigger: request.trigger, asOf, posted: [], adopted: [], empty: [], calls: 0 };
  const counted: Counted = (result) => {
    if (result.rateLimits) summary.calls++;
    return result;
  };
  const notes: string[] = [];
  let failure: ActivityFailure | undefined;
  try {
    if ((await db.revenueWork({ orgId })).any) {
      const calendar = counted(await pacer.run(() => xero.readOrganisationCalendar({ orgId })));
      if (!calendar.mapped) notes.push(`Xero's timezone ${calendar.xeroTimezone ?? '(none)'} is not one we map: months close on ${calendar.zone}`);
      if (calendar.zoneChanged) await db.alignRevenueSchedule({ orgId, zone: calendar.zone });
      const due = await db.revenuePeriodsDue({ orgId, asOf, zone: calendar.zone });
      summary.lastEnded = due.lastEnded;
      for (const period of due.periods) {
        if (state.paused) break;
        const claimed = await db.claimRevenueJournal({ orgId, period });
        if (claimed.state === 'empty') summary.empty.push(period);
        if (claimed.state !== 'sending') continue;
        const sent = await sendJournal(run, period, claimed.mayExist, counted);
        if (sent === 'posted') summary.posted.push(period);
        else if (sent === 'adopted') summary.adopted.push(period);
        else {
          notes.push(`${period}: Xero refused the journal (${sent.refused}); later months wait for it`);
          break;
        }
      }
      if (due.more && !state.paused) {
        notes.push('more months are due than one pass posts: the next pass carries on');
        state.recogniseAgain(request);
      }
    }
  } catch (err) {
    failure = expectActivityFailure(err);
    notes.push(`stopped: ${messageOf(failure)}`);
  }
  if (state.paused) notes.push(`paused (${state.paused.reason}): the next pass carries on`);
  if (notes.length > 0) summary.note = notes.join('; ');
  if (failure && connectionUnavailable(failure)) throw failure;
  if (failure) state.status.lastError = `revenue recognition ${summary.note}`;
  return summary;
}

/** One month's journal into Xero: looked up first when an earlier attempt may have reached it. */
async function sendJournal(run: OrgRun, period: string, mayExist: boolean, counted: Counted): Promise<'posted' | 'adopted' | { refused: string }> {
  const { orgId, xero, pacer } = run;
  for (let lookup = mayExist; ; lookup = true) {
    if (lookup) {
      const found = counted(await pacer.run(() => xero.adoptRevenueJournal({ orgId, period })));
      if (found.adopted) return 'adopted';
    }
    const sent = counted(await pacer.run(() => xero.postRevenueJournal({ orgId, period })));
    if (sent.outcome === 'failed') return { refused: sent.error };
    if (sent.outcome !== 'lookup') return 'posted';
  }
}
