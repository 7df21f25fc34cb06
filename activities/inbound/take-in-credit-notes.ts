/**
 * Reads up to 50 credit notes named by CREDITNOTE webhook events from Xero in ONE call (`GET /CreditNotes`
 * with a `where` on their ids: Xero documents no `IDs` filter for credit notes) and applies Xero's view of
 * ours: status, credit left, allocations and refunds made in Xero. The events are marked processed in the
 * same transaction as the effects.
 */
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { markWebhookEventsProcessed, unprocessedWebhookEventIds } from '../../db/queries/webhook-events.ts';
import { XERO_IDS_PER_CALL } from '../../workflows/constants.ts';
import { whereAnyGuid } from '../../xero/where.ts';
import { applyXeroCreditNotes, creditNoteSnapshotOf, type XeroCreditNoteSnapshot } from './apply-xero-credit-notes.ts';

export interface TakeInCreditNotesResult {
  seen: number;
  ours: number;
  /** Events queued for the main app (uses of credit made in Xero, voids). */
  announced: number;
  /** Absent when no call reached Xero. */
  rateLimits?: ObservedRateLimits;
}

export function takeInXeroCreditNotes(deps: ActivityDeps) {
  return async ({ orgId, xeroCreditNoteIds }: { orgId: string; xeroCreditNoteIds: string[] }): Promise<TakeInCreditNotesResult> => {
    const ids = [...new Set(xeroCreditNoteIds.map((id) => id.toLowerCase()))].slice(0, XERO_IDS_PER_CALL);
    // Read before asking Xero: its answer covers these events; any stored later stays for the next read.
    const eventIds = await unprocessedWebhookEventIds(deps.db, { orgId, category: 'CREDITNOTE', resourceIds: ids });
    const result = await callXero(deps, orgId, (api, tenantId) => api.getCreditNotes(tenantId, undefined, whereAnyGuid('CreditNoteID', ids)));
    const snapshots = result.ok ? (result.body.creditNotes ?? []).map(creditNoteSnapshotOf).filter((s): s is XeroCreditNoteSnapshot => !!s) : [];
    return deps.db.transaction(async (tx) => {
      let applied = { ours: 0, announced: 0 };
      if (result.ok) applied = await applyXeroCreditNotes(tx, { orgId, notes: snapshots });
      else {
        // Xero refused the question itself (not the connection: that throws): asking again would be refused again.
        await appendSyncLog(tx, [
          { orgId, recordType: 'credit_note', action: 'read', outcome: 'failed', message: `Reading ${ids.length} credit note(s) from Xero failed.`, xeroMessage: result.failure.message },
        ]);
      }
      await markWebhookEventsProcessed(tx, { ids: eventIds });
      return { seen: snapshots.length, ours: applied.ours, announced: applied.announced, rateLimits: result.rateLimits };
    });
  };
}
