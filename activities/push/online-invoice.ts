/**
 * An approved invoice's online invoice link (`GET /Invoices/{id}/OnlineInvoice`, one call per invoice: that
 * is Xero's API), fetched once and stored, so the platform can show members a pay link. The main app hears
 * `invoice.synced` with it, in the same transaction that stores it. Nothing is asked of Xero when the link
 * is already stored, the organisation turned links off, or the invoice is not (or no longer) approved.
 */
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { getInvoiceRows, storeOnlineInvoiceUrl } from '../../db/queries/invoices.ts';
import { enqueueOutboundEvent } from '../../db/queries/outbound-events.ts';
import { loadEffectiveSettings } from '../../db/queries/settings.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { getSyncState } from '../../db/queries/sync-state.ts';

const LINKABLE = new Set(['AUTHORISED', 'PAID']);

export function fetchOnlineInvoice(deps: ActivityDeps) {
  return async ({ orgId, invoiceId }: { orgId: string; invoiceId: string }): Promise<{ stored: boolean; rateLimits?: ObservedRateLimits }> => {
    const [[invoice], sync, settings] = await Promise.all([
      getInvoiceRows(deps.db, { orgId, invoiceIds: [invoiceId] }),
      getSyncState(deps.db, { orgId, recordType: 'invoice', recordId: invoiceId }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
    ]);
    const xeroId = sync?.xeroId;
    if (!invoice || !xeroId || invoice.onlineInvoiceUrl || invoice.voidRequestedAt || !settings.onlineInvoiceLinks || !LINKABLE.has(invoice.xeroStatus ?? '')) {
      return { stored: false };
    }
    const result = await callXero(deps, orgId, (api, tenantId) => api.getOnlineInvoice(tenantId, xeroId));
    const url = result.ok ? result.body.onlineInvoices?.[0]?.onlineInvoiceUrl : undefined;
    if (!url) {
      await appendSyncLog(deps.db, [
        {
          orgId,
          recordType: 'invoice',
          recordId: invoiceId,
          action: 'online_invoice',
          outcome: 'failed',
          message: 'Xero gave no online invoice link for this invoice.',
          xeroMessage: result.ok ? null : result.failure.message,
        },
      ]);
      return { stored: false, rateLimits: result.rateLimits };
    }
    const stored = await deps.db.transaction(async (tx) => {
      const row = await storeOnlineInvoiceUrl(tx, { orgId, invoiceId, url });
      if (!row) return false; // another run stored it first: the event went with it
      await enqueueOutboundEvent(tx, {
        orgId,
        type: 'invoice.synced',
        recordKey: `invoice:${invoiceId}`,
        payload: {
          invoiceId,
          invoiceNumber: row.number,
          xeroInvoiceId: xeroId,
          status: row.xeroStatus,
          total: row.total,
          amountDue: row.amountDue,
          onlineInvoiceUrl: url,
        },
      });
      return true;
    });
    return { stored, rateLimits: result.rateLimits };
  };
}
