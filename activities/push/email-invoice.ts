/**
 * Asks Xero to email one invoice to its contact (`POST /Invoices/{id}/Email`, one call). Sent once:
 * `emailed_at` is set on success. Never from a Demo Company: whether the organisation is one is read
 * from Xero once an hour per worker (GET /Organisation) and such invoices are logged as not emailed.
 * Xero refusing (daily limit reached, contact without email) is logged for the admin, not retried.
 */
import { and, eq } from 'drizzle-orm';
import type { ActivityDeps } from '../deps.ts';
import { callXero, type ObservedBudget } from '../xero/call.ts';
import { syncState } from '../../db/schema/index.ts';
import { markInvoiceEmailed } from '../../db/queries/invoices.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';

const DEMO_CHECK_TTL_MS = 60 * 60_000;

export function emailInvoice(deps: ActivityDeps) {
  const demoCompany = new Map<string, { demo: boolean; until: number }>();
  const isDemoCompany = async (orgId: string): Promise<{ demo: boolean; budget?: ObservedBudget }> => {
    const known = demoCompany.get(orgId);
    if (known && known.until > Date.now()) return { demo: known.demo };
    const found = await callXero(deps, orgId, (api, tenantId) => api.getOrganisations(tenantId));
    if (!found.ok) return { demo: false, budget: found.budget }; // unknown: let Xero's own answer decide
    const demo = found.body.organisations?.[0]?.isDemoCompany === true;
    demoCompany.set(orgId, { demo, until: Date.now() + DEMO_CHECK_TTL_MS });
    return { demo, budget: found.budget };
  };

  return async ({ orgId, invoiceId }: { orgId: string; invoiceId: string }): Promise<{ emailed: boolean; budget?: ObservedBudget }> => {
    const [sync] = await deps.db
      .select({ xeroId: syncState.xeroId })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'invoice'), eq(syncState.recordId, invoiceId)));
    if (!sync?.xeroId) return { emailed: false };
    const organisation = await isDemoCompany(orgId);
    if (organisation.demo) {
      await appendSyncLog(deps.db, [
        { orgId, recordType: 'invoice', recordId: invoiceId, action: 'email', outcome: 'skipped', message: 'Not emailed: Xero does not email from a Demo Company (set XERO_EMAIL_INVOICES=false or turn emailing off in the settings)' },
      ]);
      return { emailed: false, budget: organisation.budget };
    }
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
