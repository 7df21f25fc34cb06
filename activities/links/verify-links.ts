/**
 * Verifying an import's Xero ids against Xero: one page of up to 50 distinct ids of one kind per call
 * (`GET /Contacts?IDs=` or `GET /Invoices?IDs=`, Xero's safe list length), through the import workflow's
 * pacer. An id Xero does not return is recorded as the problem of every row naming it.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Contacts, Invoices } from 'xero-node';
import { linkImportXeroIds, recordXeroIdProblems } from '../../db/queries/xero-links.ts';
import type { LinkableRecordType } from '../../db/schema/index.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { FailureType, XERO_IDS_PER_CALL } from '../../workflows/constants.ts';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';

export interface VerifyLinksPageInput {
  orgId: string;
  importId: string;
  recordType: LinkableRecordType;
  page: number;
}

export interface VerifyLinksPageResult {
  checked: number;
  unknown: number;
  rateLimits?: ObservedRateLimits;
}

export function verifyLinkImportPage(deps: ActivityDeps) {
  return async ({ orgId, importId, recordType, page }: VerifyLinksPageInput): Promise<VerifyLinksPageResult> => {
    const ids = await linkImportXeroIds(deps.db, { orgId, importId, recordType, page, pageSize: XERO_IDS_PER_CALL });
    if (ids.length === 0) return { checked: 0, unknown: 0 };
    const problems: Array<{ xeroId: string; problem: string }> = [];
    let rateLimits: ObservedRateLimits | undefined;
    if (recordType === 'contact') {
      // Archived contacts exist too: they are found, and linked.
      const result = await callXero(deps, orgId, (api, tenantId) => api.getContacts(tenantId, undefined, undefined, undefined, ids, undefined, true));
      if (!result.ok) throw refused('contacts', result.failure.message);
      rateLimits = result.rateLimits;
      const found = new Set(((result.body as Contacts).contacts ?? []).map((c) => String(c.contactID ?? '').toLowerCase()));
      for (const id of ids) if (!found.has(id)) problems.push({ xeroId: id, problem: 'no contact with this id in the connected Xero organisation' });
    } else {
      const result = await callXero(deps, orgId, (api, tenantId) => api.getInvoices(tenantId, undefined, undefined, undefined, ids));
      if (!result.ok) throw refused('invoices', result.failure.message);
      rateLimits = result.rateLimits;
      const found = new Map(((result.body as Invoices).invoices ?? []).map((i) => [String(i.invoiceID ?? '').toLowerCase(), String(i.type ?? '')]));
      for (const id of ids) {
        const type = found.get(id);
        if (type === undefined) problems.push({ xeroId: id, problem: 'no invoice with this id in the connected Xero organisation' });
        else if (type !== 'ACCREC') problems.push({ xeroId: id, problem: `this Xero document is a ${type === 'ACCPAY' ? 'bill (ACCPAY)' : type}, not a sales invoice` });
      }
    }
    await recordXeroIdProblems(deps.db, { orgId, importId, recordType, problems });
    return { checked: ids.length, unknown: problems.length, rateLimits };
  };
}

function refused(what: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.readRefused, message: `Xero refused to read ${what} by id: ${message}`, nonRetryable: true });
}
