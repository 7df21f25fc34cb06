/**
 * Reads up to 50 of our sales invoices from Xero by id in ONE call (`GET /Invoices?IDs=`: longer lists have
 * failed at Xero) and applies Xero's view of them: payments recorded once, deleted ones reversed, status and
 * amounts followed. Fed by INVOICE webhook events (which are marked processed in the same transaction as
 * the effects) and by the reconciliation sweep (invoices whose payments changed).
 */
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { markWebhookEventsProcessed, unprocessedWebhookEventIds } from '../../db/queries/webhook-events.ts';
import { emptyDrift, type DriftReport } from '../../lib/reconciliation-drift.ts';
import { applyXeroInvoices, snapshotOf, type XeroInvoiceSnapshot } from './apply-xero-invoices.ts';
import { databaseNow } from '../../db/queries/database-now.ts';
import { XERO_IDS_PER_CALL } from '../../workflows/constants.ts';

export interface TakeInInvoicesInput {
  orgId: string;
  xeroInvoiceIds: string[];
  /** Also mark the organisation's unprocessed INVOICE events for these invoices processed, with the effects. */
  fromEvents?: boolean;
}

export interface TakeInResult {
  /** Records Xero returned, and how many of them are ours. */
  seen: number;
  ours: number;
  effects: DriftReport;
  /** Invoices Xero approved since we last looked: their online invoice links are to be fetched. */
  toLink?: string[];
  /** Absent when no call reached Xero. */
  rateLimits?: ObservedRateLimits;
}

export function takeInXeroInvoices(deps: ActivityDeps) {
  return async ({ orgId, xeroInvoiceIds, fromEvents = false }: TakeInInvoicesInput): Promise<TakeInResult> => {
    const ids = [...new Set(xeroInvoiceIds.map((id) => id.toLowerCase()))].slice(0, XERO_IDS_PER_CALL);
    // Read before asking Xero: its answer covers these events; any stored later stays for the next read.
    const eventIds = fromEvents ? await unprocessedWebhookEventIds(deps.db, { orgId, category: 'INVOICE', resourceIds: ids }) : [];
    const readStartedAt = await databaseNow(deps.db);
    const result = await callXero(deps, orgId, (api, tenantId) => api.getInvoices(tenantId, undefined, undefined, undefined, ids));
    const snapshots = result.ok ? (result.body.invoices ?? []).map(snapshotOf).filter((s): s is XeroInvoiceSnapshot => !!s) : [];
    return deps.db.transaction(async (tx) => {
      let applied = { ours: 0, effects: emptyDrift(), toLink: [] as string[] };
      if (result.ok) {
        applied = await applyXeroInvoices(tx, { orgId, invoices: snapshots, requested: ids, readStartedAt });
      } else {
        // Xero refused the question itself (not the connection: that throws): nothing to apply, and asking
        // again would be refused again, so the events are done with; the sweep looks again later.
        await appendSyncLog(tx, [
          { orgId, recordType: 'invoice', action: 'read', outcome: 'failed', message: `Reading ${ids.length} invoice(s) from Xero failed.`, xeroMessage: result.failure.message },
        ]);
      }
      await markWebhookEventsProcessed(tx, { ids: eventIds });
      return { seen: snapshots.length, ours: applied.ours, effects: applied.effects, toLink: applied.toLink.length > 0 ? applied.toLink : undefined, rateLimits: result.rateLimits };
    });
  };
}
