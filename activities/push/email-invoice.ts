/**
 * Asking Xero to email invoices to their contacts (`POST /Invoices/{id}/Email`, one call each). Sent once:
 * `emailed_at` is set on success, and an invoice that has it is not sent again (a pass can ask twice, and
 * the call's Idempotency-Key only holds within Xero's window). Never from a Demo Company (Xero cannot email
 * from one): whether the organisation is one is read from Xero (`GET /Organisation`, its own call through
 * the pacer) at most once an hour per worker, and such invoices are logged as not emailed. Without a
 * settings scope that read is not possible: the invoices are then emailed and Xero's own refusal (a Demo
 * Company cannot email) is what the log shows. Xero refusing (daily limit reached, contact without email)
 * is logged for the admin, not retried.
 */
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { getSyncState } from '../../db/queries/sync-state.ts';
import { getInvoiceRows, markInvoiceEmailed } from '../../db/queries/invoices.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { SCOPE_NEEDS } from '../../xero/scopes.ts';

const DEMO_CHECK_TTL_MS = 60 * 60_000;

export function checkDemoCompany(deps: ActivityDeps) {
  const known = new Map<string, { demo: boolean; until: number }>();
  return async ({ orgId }: { orgId: string }): Promise<{ demoCompany: boolean; rateLimits?: ObservedRateLimits }> => {
    const cached = known.get(orgId);
    if (cached && cached.until > Date.now()) return { demoCompany: cached.demo };
    const found = await callXero(deps, orgId, (api, tenantId) => api.getOrganisations(tenantId), { needs: SCOPE_NEEDS.settingsRead });
    if (!found.ok && found.failure.kind === 'scope_missing') {
      // Organisation details need a settings scope the AMS guide's app does not have. Its production
      // deployments email (XERO_EMAIL_INVOICES=True), so the invoices go to Xero, and a Demo Company's
      // refusal is logged against each invoice (the invoice itself stays synced).
      deps.logger.info({ orgId, missingScope: found.failure.missingScope }, 'Demo Company not checked before emailing: the Xero app lacks accounting.settings.read');
      known.set(orgId, { demo: false, until: Date.now() + DEMO_CHECK_TTL_MS });
      return { demoCompany: false };
    }
    if (!found.ok) return { demoCompany: false, rateLimits: found.rateLimits }; // unknown: let Xero's own answer decide
    const demo = found.body.organisations?.[0]?.isDemoCompany === true;
    known.set(orgId, { demo, until: Date.now() + DEMO_CHECK_TTL_MS });
    return { demoCompany: demo, rateLimits: found.rateLimits };
  };
}

export function emailInvoice(deps: ActivityDeps) {
  return async ({ orgId, invoiceId, demoCompany }: { orgId: string; invoiceId: string; demoCompany: boolean }): Promise<{ emailed: boolean; rateLimits?: ObservedRateLimits }> => {
    const [sync, [invoice]] = await Promise.all([
      getSyncState(deps.db, { orgId, recordType: 'invoice', recordId: invoiceId }),
      getInvoiceRows(deps.db, { orgId, invoiceIds: [invoiceId] }),
    ]);
    if (!sync?.xeroId || !invoice || invoice.emailedAt) return { emailed: false };
    if (demoCompany) {
      await appendSyncLog(deps.db, [
        {
          orgId,
          recordType: 'invoice',
          recordId: invoiceId,
          action: 'email',
          outcome: 'skipped',
          message: 'Not emailed: Xero does not email from a Demo Company (set XERO_EMAIL_INVOICES=false or turn emailing off in the settings)',
        },
      ]);
      return { emailed: false };
    }
    const result = await callXero(deps, orgId, (api, tenantId) => api.emailInvoice(tenantId, sync.xeroId!, {}, `xs-email-${orgId}-${invoiceId}`.slice(0, 128)));
    if (result.ok) {
      await markInvoiceEmailed(deps.db, { orgId, invoiceId });
      await appendSyncLog(deps.db, [{ orgId, recordType: 'invoice', recordId: invoiceId, action: 'email', outcome: 'ok', message: 'Xero emailed the invoice' }]);
      return { emailed: true, rateLimits: result.rateLimits };
    }
    await appendSyncLog(deps.db, [
      { orgId, recordType: 'invoice', recordId: invoiceId, action: 'email', outcome: 'failed', message: 'Xero did not email the invoice', xeroMessage: result.failure.message },
    ]);
    return { emailed: false, rateLimits: result.rateLimits };
  };
}
