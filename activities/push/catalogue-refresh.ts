/**
 * Reads one of the organisation's Xero lists again (tracking categories, branding themes: ONE call) when
 * a push met a name our copy does not know, and stores it. A refused read is logged; the batch then goes
 * on with what is known, and its records say what could not be checked.
 */
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import type { XeroCatalogueKind } from '../../db/schema/index.ts';
import { saveXeroCatalogue } from '../../db/queries/xero-catalogues.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { CATALOGUE_READS } from '../../xero/catalogues.ts';

export function refreshXeroCatalogue(deps: ActivityDeps) {
  return async ({ orgId, kind }: { orgId: string; kind: XeroCatalogueKind }): Promise<{ refreshed: boolean; rateLimits?: ObservedRateLimits }> => {
    const { read, reduce } = CATALOGUE_READS[kind];
    const result = await callXero(deps, orgId, read);
    if (!result.ok) {
      await appendSyncLog(deps.db, [{ orgId, action: 'read', outcome: 'failed', message: `Reading Xero's ${kind.replace('_', ' ')} failed.`, xeroMessage: result.failure.message }]);
      return { refreshed: false, rateLimits: result.rateLimits };
    }
    await saveXeroCatalogue(deps.db, { orgId, kind, entries: reduce(result.body) });
    return { refreshed: true, rateLimits: result.rateLimits };
  };
}
