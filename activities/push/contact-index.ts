/**
 * Keeps `xero_contact_index` in step with the organisation's Xero contacts, one page (one call) per
 * activity, reading only what changed since the last watermark (`If-Modified-Since`).
 */
import type { Contact } from 'xero-node';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { getWatermark, setWatermark, upsertIndexedContacts } from '../../db/queries/xero-contact-index.ts';

export const CONTACT_PAGE_SIZE = 1000;

export interface ContactIndexPageInput {
  orgId: string;
  page: number;
  /** Newest UpdatedDateUTC seen on earlier pages of this pass (ISO), carried by the workflow. */
  newestSeen?: string;
}

export interface ContactIndexPageResult {
  indexed: number;
  more: boolean;
  newestSeen?: string;
  rateLimits: ObservedRateLimits;
}

export function refreshContactIndexPage(deps: ActivityDeps) {
  return async ({ orgId, page, newestSeen }: ContactIndexPageInput): Promise<ContactIndexPageResult> => {
    const since = await getWatermark(deps.db, { orgId, feed: 'contacts' });
    const result = await callXero(deps, orgId, (api, tenantId) =>
      api.getContacts(tenantId, since, undefined, undefined, undefined, page, true, undefined, undefined, CONTACT_PAGE_SIZE),
    );
    if (!result.ok) throw new Error(`Reading Xero contacts failed: ${result.failure.message}`);
    const contacts: Contact[] = result.body.contacts ?? [];
    await upsertIndexedContacts(deps.db, contacts.filter((c) => c.contactID && c.name).map((c) => indexRow(orgId, c)));
    const newest = [newestSeen, ...contacts.map((c) => (c.updatedDateUTC ? new Date(c.updatedDateUTC).toISOString() : undefined))]
      .filter((d): d is string => !!d)
      .sort()
      .at(-1);
    const more = contacts.length === CONTACT_PAGE_SIZE;
    // The watermark moves only after the last page, to Xero's own newest timestamp (never our clock).
    if (!more && newest) await setWatermark(deps.db, { orgId, feed: 'contacts', modifiedSince: new Date(newest) });
    return { indexed: contacts.length, more, newestSeen: newest, rateLimits: result.rateLimits };
  };
}

/** A Xero contact as the index keeps it (lower-cased: Xero compares emails and names case-insensitively). */
export function indexRow(orgId: string, c: Contact) {
  return {
    orgId,
    xeroContactId: c.contactID!,
    contactNumber: c.contactNumber || null,
    emailLower: c.emailAddress ? c.emailAddress.toLowerCase() : null,
    nameLower: (c.name ?? '').toLowerCase(),
    status: String(c.contactStatus ?? 'ACTIVE'),
    xeroUpdatedAt: c.updatedDateUTC ? new Date(c.updatedDateUTC) : null,
  };
}
