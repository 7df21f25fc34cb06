/**
 * Asks Xero to email one invoice to its contact (`POST /Invoices/{id}/Email`, one call). Sent once:
 * `emailed_at` is set on success. Xero refusing (a Demo Company cannot email, daily limit reached,
 * contact without email) is logged for the admin, not retried.
 */
import { and, eq } from 'drizzle-orm';
import type { ActivityDeps } from '../deps.ts';
import { callXero, type ObservedBudget } from '../xero/call.ts';
import { syncState } from '../../db/schema/index.ts';
import { markInvoiceEmailed } from '../../db/queries/invoices.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';

export function emailInvoice(deps: ActivityDeps) {
  return async ({ orgId, invoiceId }: { orgId: string; invoiceId: string }): Promise<{ emailed: boolean; budget?: ObservedBudget }> => {
    const [sync] = await deps.db
      .select({ xeroId: syncState.xeroId })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'invoice'), eq(syncState.recordId, invoiceId)));
    if (!sync?.xeroId) return { emailed: false };
    const result = await callXero(deps, orgId, (api, tenantId) => api.emailInvoice(tenantId, sync.xeroId!, {}, `xs-email-${orgId}-${invoiceId}`.slice(0, 128)));
    if (result.ok) {
      await markInvoiceEmailed(deps.db, { orgId, invoiceId });
      await appendSyncLog(deps.db, [{ orgId, recordType: 'invoice', recordId: invoiceId, action: 'email', outcome: 'ok', message: 'Xero emailed the invoice' }]);
      return { emailed: true, budget: result.budget };
    }
    await appendSyncLog(deps.db, [
      { orgId, recordType: 'invoice', recordId: invoiceId, action: 'email', outcome: 'failed', message: 'Xero did not email the invoice', xeroMessage: result.failure.message },
    ]);
    return { emailed: false, budget: result.budget };
  };
}
