/**
 * Reads which currencies the organisation's Xero is subscribed to (`GET /Currencies`, the base currency
 * included), one call, so invoices in a currency Xero would refuse are refused before they are sent. The
 * workflow asks for it at most daily, and only when a pending invoice or bill carries a currency not known
 * to be enabled.
 */
import { recordEnabledCurrencies } from '../../db/queries/xero-currencies.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';

export interface RefreshCurrenciesResult {
  /** Undefined when Xero refused the read (then invoices are sent, and Xero answers for each). */
  currencies?: string[];
  /** Absent when no call reached Xero. */
  rateLimits?: ObservedRateLimits;
}

export function refreshEnabledCurrencies(deps: ActivityDeps) {
  return async ({ orgId }: { orgId: string }): Promise<RefreshCurrenciesResult> => {
    const answer = await callXero(deps, orgId, (api, tenantId) => api.getCurrencies(tenantId));
    if (!answer.ok) {
      deps.logger.warn({ orgId, status: answer.failure.status, message: answer.failure.message }, "could not read the organisation's Xero currencies; invoices go out unchecked");
      return { rateLimits: answer.rateLimits };
    }
    const currencies = (answer.body.currencies ?? []).map((c) => String(c.code ?? '')).filter(Boolean);
    await recordEnabledCurrencies(deps.db, { orgId, currencies });
    return { currencies, rateLimits: answer.rateLimits };
  };
}
