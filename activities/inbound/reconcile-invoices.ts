/**
 * One page of the reconciliation sweep's invoices feed (`GET /Invoices` with `If-Modified-Since` from the
 * `invoices` watermark, sales invoices only, every status, oldest change first): ONE call. Xero's view of
 * each of ours is applied (payments, reversals, status, amounts; drift in totals re-queued) and the watermark
 * moves in the same transaction, so a page's effects and the fact that it was read commit together.
 */
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { advanceXeroWatermark } from '../../db/queries/xero-watermarks.ts';
import type { DriftReport } from '../../lib/reconciliation-drift.ts';
import { applyXeroInvoices, snapshotOf, type XeroInvoiceSnapshot } from './apply-xero-invoices.ts';
import { databaseNow } from '../../db/queries/database-now.ts';
import { readRefused, type SweepPageInput } from './reconcile-payments.ts';
import { nextWatermark, sweepStart } from './sweep-watermark.ts';
import { newestInstant } from '../../xero/values.ts';

export const INVOICES_PAGE_SIZE = 100;
/** Deleted ones too: Xero leaves them out of lists unless a status asks for them. */
const EVERY_STATUS = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'];

export interface InvoicesPageResult {
  seen: number;
  ours: number;
  more: boolean;
  /** Whether the watermark moved (if not, the workflow reads the next page from the same point). */
  advanced: boolean;
  effects: DriftReport;
  /** Ours Xero approved since we last looked: their online invoice links are to be fetched. */
  toLink?: string[];
  rateLimits: ObservedRateLimits;
}

export function reconcileInvoicesPage(deps: ActivityDeps) {
  return async ({ orgId, page }: SweepPageInput): Promise<InvoicesPageResult> => {
    const since = await sweepStart(deps.db, { orgId, feed: 'invoices' });
    const readStartedAt = await databaseNow(deps.db);
    const result = await callXero(deps, orgId, (api, tenantId) =>
      api.getInvoices(tenantId, since, 'Type=="ACCREC"', 'UpdatedDateUTC ASC', undefined, undefined, undefined, EVERY_STATUS, page, undefined, undefined, undefined, undefined, INVOICES_PAGE_SIZE),
    );
    if (!result.ok) throw readRefused('invoices', result.failure.message);
    const listed = result.body.invoices ?? [];
    const snapshots = listed.map(snapshotOf).filter((s): s is XeroInvoiceSnapshot => !!s);
    const next = nextWatermark(newestInstant(snapshots.map((s) => s.updatedAt)));
    const advanced = !!next && (!since || Date.parse(next) > since.getTime());
    const applied = await deps.db.transaction(async (tx) => {
      const done = await applyXeroInvoices(tx, { orgId, invoices: snapshots, readStartedAt });
      if (next) await advanceXeroWatermark(tx, { orgId, feed: 'invoices', to: new Date(next) });
      return done;
    });
    return {
      seen: snapshots.length,
      ours: applied.ours,
      more: listed.length >= INVOICES_PAGE_SIZE,
      advanced,
      effects: applied.effects,
      toLink: applied.toLink.length > 0 ? applied.toLink : undefined,
      rateLimits: result.rateLimits,
    };
  };
}
