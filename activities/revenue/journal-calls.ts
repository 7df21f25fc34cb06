/**
 * Recognition's Xero calls, one each, on the Xero queue and through the organisation's pacer:
 *   - the Organisation (its timezone decides when a month has ended; its base currency is what journals are in);
 *   - the month's Manual Journal PUT, under an Idempotency-Key derived from its body;
 *   - the lookup of a journal by its narration, when an earlier attempt may have reached Xero: found, it is
 *     adopted instead of being posted twice.
 */
import { Context } from '@temporalio/activity';
import type { ManualJournals, Organisations } from 'xero-node';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { countJournalAttempt, getRevenueJournal, markJournalFailed, markJournalPosted, revenueJournalLinesOf } from '../../db/queries/revenue-journals.ts';
import { getXeroOrganisationProfile, saveXeroOrganisationProfile } from '../../db/queries/xero-organisation-profiles.ts';
import { zoneOfXeroTimezone } from '../../lib/xero-timezones.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import type { ActivityDeps } from '../deps.ts';
import { validationMessages } from '../push/strategy.ts';
import { callXero } from '../xero-call.ts';
import { journalIdempotencyKey, manualJournalOf, narrationFilter } from './manual-journal.ts';

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export interface OrganisationCalendar {
  /** IANA zone whose months the journals follow. */
  zone: string;
  /** False when Xero's timezone is not one we map (the fallback zone is used). */
  mapped: boolean;
  xeroTimezone?: string;
  baseCurrency?: string;
  /** The zone differs from the one stored before (the schedule follows it). */
  zoneChanged: boolean;
  rateLimits?: ObservedRateLimits;
}

export function readOrganisationCalendar(deps: ActivityDeps) {
  return async ({ orgId }: { orgId: string }): Promise<OrganisationCalendar> => {
    const stored = await getXeroOrganisationProfile(deps.db, { orgId });
    const answer = await callXero(deps, orgId, (api, tenantId) => api.getOrganisations(tenantId));
    if (!answer.ok) {
      // Xero refused the read itself: carry on with what it said last time (or the fallback zone).
      const { zone, mapped } = zoneOfXeroTimezone(stored?.xeroTimezone);
      return { zone: stored?.timeZone ?? zone, mapped, baseCurrency: stored?.baseCurrency ?? undefined, zoneChanged: false, rateLimits: answer.rateLimits };
    }
    const organisation = (answer.body as Organisations).organisations?.[0];
    const xeroTimezone = organisation?.timezone ? String(organisation.timezone) : undefined;
    const baseCurrency = organisation?.baseCurrency ? String(organisation.baseCurrency) : undefined;
    const { zone, mapped } = zoneOfXeroTimezone(xeroTimezone);
    if (!mapped) deps.logger.warn({ orgId, xeroTimezone }, `Xero timezone not mapped: months close on ${zone}`);
    await saveXeroOrganisationProfile(deps.db, { orgId, xeroTimezone: xeroTimezone ?? null, timeZone: zone, baseCurrency: baseCurrency ?? null });
    return { zone, mapped, xeroTimezone, baseCurrency, zoneChanged: stored?.timeZone !== zone, rateLimits: answer.rateLimits };
  };
}

export type PostJournalOutcome =
  | { outcome: 'posted'; xeroJournalId: string; rateLimits?: ObservedRateLimits }
  /** An earlier attempt may have reached Xero: look it up (a call of its own) before sending again. */
  | { outcome: 'lookup'; rateLimits?: undefined }
  | { outcome: 'failed'; error: string; rateLimits?: ObservedRateLimits }
  /** Nothing to send: already posted (adopted meanwhile) or settled otherwise. */
  | { outcome: 'settled'; rateLimits?: undefined };

export function postRevenueJournal(deps: ActivityDeps) {
  return async ({ orgId, period }: { orgId: string; period: string }): Promise<PostJournalOutcome> => {
    // A retry may follow a PUT Xero acted on whose answer was lost.
    if (Context.current().info.attempt > 1) return { outcome: 'lookup' };
    const journal = await getRevenueJournal(deps.db, { orgId, period });
    if (journal?.state !== 'sending') return { outcome: 'settled' };
    const body = manualJournalOf(journal, await revenueJournalLinesOf(deps.db, { orgId, period }));
    await countJournalAttempt(deps.db, { orgId, period });
    const key = journalIdempotencyKey(orgId, period, body);
    const answer = await callXero(deps, orgId, (api, tenantId) => api.createManualJournals(tenantId, { manualJournals: [body] }, false, key));
    const element = answer.ok ? (answer.body as ManualJournals).manualJournals?.[0] : undefined;
    const errors = answer.ok ? validationMessages(element) : [answer.failure.message];
    const xeroJournalId = element?.manualJournalID;
    if (answer.ok && xeroJournalId && xeroJournalId !== ZERO_GUID && errors.length === 0) {
      await markJournalPosted(deps.db, { orgId, period, xeroJournalId, adopted: false });
      return { outcome: 'posted', xeroJournalId, rateLimits: answer.rateLimits };
    }
    const error = errors.join(' ') || 'Xero did not return the journal';
    await deps.db.transaction(async (tx) => {
      await markJournalFailed(tx, { orgId, period, error });
      await appendSyncLog(tx, [
        {
          orgId,
          recordType: 'revenue_journal',
          recordId: period,
          action: 'push',
          outcome: 'failed',
          message: `The revenue recognition journal for ${period} was refused: fix the accounts in Settings > Integrations > Xero; the next run posts it.`,
          xeroMessage: error,
        },
      ]);
    });
    return { outcome: 'failed', error, rateLimits: answer.rateLimits };
  };
}

export function adoptRevenueJournal(deps: ActivityDeps) {
  return async ({ orgId, period }: { orgId: string; period: string }): Promise<{ adopted: boolean; xeroJournalId?: string; rateLimits?: ObservedRateLimits }> => {
    const journal = await getRevenueJournal(deps.db, { orgId, period });
    if (journal?.state !== 'sending') return { adopted: journal?.state === 'posted', xeroJournalId: journal?.xeroJournalId ?? undefined };
    const answer = await callXero(deps, orgId, (api, tenantId) => api.getManualJournals(tenantId, undefined, narrationFilter(journal.narration)));
    if (!answer.ok) return { adopted: false, rateLimits: answer.rateLimits };
    // Ours by construction (the narration names the organisation and month); a voided or deleted one is not live.
    const found = ((answer.body as ManualJournals).manualJournals ?? []).find((m) => m.narration === journal.narration && String(m.status) === 'POSTED' && m.manualJournalID);
    if (!found) return { adopted: false, rateLimits: answer.rateLimits };
    await markJournalPosted(deps.db, { orgId, period, xeroJournalId: found.manualJournalID!, adopted: true });
    deps.logger.info({ orgId, period, xeroJournalId: found.manualJournalID }, 'revenue journal found in Xero by its narration: adopted');
    return { adopted: true, xeroJournalId: found.manualJournalID, rateLimits: answer.rateLimits };
  };
}
