/**
 * Members as Xero contacts (`POST /Contacts`: creates and updates in one call), never duplicated:
 *   - a record that already has a Xero id is updated;
 *   - otherwise an existing Xero contact is adopted (ContactNumber = our id, else email, else exact name, as
 *     the organisation's `contactMatching` setting allows), found in the contact index rather than with a
 *     call per batch;
 *   - Xero's "name already assigned" leads to a lookup by name and adoption (when matching by name is
 *     allowed), or to a clear error on the record;
 *   - after a retry, the lookup refreshes the index from Xero first, so a contact created by a lost answer
 *     is adopted, not created again;
 *   - Xero's "contact limit reached" (the Xero plan's cap) holds the organisation's new contacts: they wait,
 *     pending, with a hint, while updates go on; the next create Xero takes lifts the hold.
 */
import type { Contact, Contacts } from 'xero-node';
import { getContactsByIds, type ContactRow } from '../../db/queries/contacts.ts';
import { findAdoptableCandidates, getWatermark, indexedContactsWrites, upsertIndexedContacts, type IndexedXeroContact } from '../../db/queries/xero-contact-index.ts';
import { holdContactCreates, releaseContactCreatesWrite } from '../../db/queries/xero-contact-limits.ts';
import { anyMatches, CONTACT_LIMIT_REACHED, DUPLICATE_CONTACT_NAME } from '../../xero/refusals.ts';
import { type ContactMatchField } from '../../db/queries/settings.ts';
import { loadPushContext } from '../../db/queries/push-context.ts';
import type { ActivityDeps } from '../deps.ts';
import { CONTACT_PAGE_SIZE, indexRow } from './contact-index.ts';
import { CONTACT_LIMIT_HINT } from './hints.ts';
import { validationMessages, type PushStrategy } from './strategy.ts';
import { fromWire, toWire, wireElements } from '../../xero/wire.ts';
import { sendWire } from '../../xero/wire-call.ts';

export type { ContactMatchField } from '../../db/queries/settings.ts';

interface LoadedContacts {
  rows: Map<string, ContactRow>;
  /** Xero contacts adopted for records that had no Xero id yet. */
  adoptedIds: Map<string, string>;
  matchOrder: ContactMatchField[];
}

/** What is read of each contact Xero answers a push with: its id, its errors, and what the contact index keeps (indexRow). */
const CONTACT_ANSWER_FIELDS = ['contactID', 'validationErrors', 'contactNumber', 'emailAddress', 'name', 'contactStatus', 'updatedDateUTC'];

export const contactStrategy: PushStrategy<LoadedContacts, Contact, Contact> = {
  recordType: 'contact',
  async load(deps, orgId, claims) {
    // The settings in one statement (loadEffectiveSettings takes two), beside the batch's contacts.
    const [contacts, { settings }] = await Promise.all([
      getContactsByIds(deps.db, { orgId, contactIds: claims.map((c) => c.recordId) }),
      loadPushContext(deps.db, { orgId, defaults: deps.settingsDefaults }),
    ]);
    const rows = new Map(contacts.map((r) => [r.id, r]));
    // The organisation's own rule (`contactMatching`), else the deployment's XERO_CONTACT_MATCH.
    const matchOrder = settings.contactMatchOrder;
    const unmatched = claims.filter((c) => !c.xeroId && rows.has(c.recordId)).map((c) => rows.get(c.recordId)!);
    return { rows, matchOrder, adoptedIds: await adoptFromIndex(deps, orgId, unmatched, matchOrder) };
  },
  prepare(claim, { rows, adoptedIds }) {
    const row = rows.get(claim.recordId);
    if (!row) return { settled: { outcome: 'failed', error: 'The contact no longer exists in the platform.' } };
    return { element: toXeroContact(row, claim.xeroId ?? adoptedIds.get(row.id)) };
  },
  // Built and read in Xero's wire shape (xero/wire.ts): xero-node's serialiser was most of a batch's cost.
  send: (api, tenantId, contacts, key) => sendWire(api, toWire({ contacts }, 'Contacts'), () => api.updateOrCreateContacts(tenantId, { contacts: [] }, false, key)),
  answered: (body) =>
    wireElements(body, 'Contacts').map((raw) => {
      const c = fromWire<Contact>(raw, 'Contact', CONTACT_ANSWER_FIELDS);
      return { xeroId: c.contactID, errors: validationMessages(c), answer: c };
    }),
  isDuplicate: (errors, { matchOrder }) => matchOrder.includes('name') && anyMatches(DUPLICATE_CONTACT_NAME, errors),
  // Only a create can hit the plan's cap: an update of a contact Xero holds is never held back.
  deferral: (errors, claim) => (!claim.xeroId && anyMatches(CONTACT_LIMIT_REACHED, errors) ? { hint: CONTACT_LIMIT_HINT } : undefined),
  deferred: (tx, { orgId, xeroMessage }) => holdContactCreates(tx, { orgId, xeroMessage }),
  writes: ({ orgId, taken }) => ({
    writes: [
      ...indexedContactsWrites(taken.map((t) => indexRow(orgId, t.answer))),
      // Xero created one again (plan upgraded, contacts archived): the waiting ones may go.
      ...(taken.some((t) => !t.element.contactID) ? [releaseContactCreatesWrite(orgId)] : []),
    ],
  }),
  lookup: {
    // Duplicates: the contacts holding these names (one `where` for the batch). A retry: what changed in
    // Xero since the index was last read, which includes anything a lost answer created.
    async find(api, tenantId, { deps, orgId, claims, loaded, reason }) {
      if (reason === 'duplicates') {
        const names = claims.map((c) => loaded.rows.get(c.recordId)?.name).filter((n): n is string => !!n);
        return api.getContacts(tenantId, undefined, names.map((n) => `Name=="${escapeWhere(n)}"`).join(' OR '));
      }
      const since = await getWatermark(deps.db, { orgId, feed: 'contacts' });
      return api.getContacts(tenantId, since, undefined, undefined, undefined, 1, true, undefined, undefined, CONTACT_PAGE_SIZE);
    },
    match(body, { orgId, claims, loaded: { rows, matchOrder }, reason }) {
      const found = ((body as Contacts).contacts ?? []).filter((c) => c.contactID && String(c.contactStatus ?? 'ACTIVE') !== 'ARCHIVED');
      const candidates = found.map((c) => indexRow(orgId, c));
      const order: ContactMatchField[] = reason === 'duplicates' ? ['name'] : matchOrder;
      return matchContacts(claims.map((c) => rows.get(c.recordId)).filter((r): r is ContactRow => !!r), candidates, order, new Set());
    },
    async store(tx, { orgId, body }) {
      await upsertIndexedContacts(tx, ((body as Contacts).contacts ?? []).filter((c) => c.contactID && c.name).map((c) => indexRow(orgId, c)));
    },
  },
};

export function toXeroContact(row: ContactRow, xeroId: string | null | undefined): Contact {
  return {
    ...(xeroId ? { contactID: xeroId } : {}),
    // Our id travels as ContactNumber: the stable reference that finds this contact again after a crash.
    contactNumber: row.id,
    name: row.name,
    firstName: row.firstName ?? undefined,
    lastName: row.lastName ?? undefined,
    emailAddress: row.email ?? undefined,
    ...(row.phone ? { phones: [{ phoneType: 'DEFAULT' as never, phoneNumber: row.phone }] } : {}),
  };
}

/** Xero contacts in the index that match records without a Xero id, and that no record of ours stands for yet. */
async function adoptFromIndex(deps: ActivityDeps, orgId: string, unmatched: ContactRow[], matchOrder: ContactMatchField[]): Promise<Map<string, string>> {
  if (unmatched.length === 0) return new Map();
  const candidates = await findAdoptableCandidates(deps.db, {
    orgId,
    contactNumbers: matchOrder.includes('contact_number') ? unmatched.map((r) => r.id) : [],
    emails: matchOrder.includes('email') ? unmatched.flatMap((r) => (r.email ? [r.email.toLowerCase()] : [])) : [],
    names: matchOrder.includes('name') ? unmatched.map((r) => r.name.toLowerCase()) : [],
  });
  if (candidates.length === 0) return new Map();
  return matchContacts(unmatched, candidates, matchOrder, new Set());
}

/** For each record, the first candidate matching by the fields in order; each candidate adopted once. */
function matchContacts(
  records: ContactRow[],
  candidates: Array<Pick<IndexedXeroContact, 'xeroContactId' | 'contactNumber' | 'emailLower' | 'nameLower'>>,
  matchOrder: ContactMatchField[],
  taken: Set<string>,
): Map<string, string> {
  const adopted = new Map<string, string>();
  for (const row of records) {
    const match = matchOrder
      .map((field) => candidates.find((c) => !taken.has(c.xeroContactId.toLowerCase()) && matches(field, c, row)))
      .find((c) => c !== undefined);
    if (match) {
      adopted.set(row.id, match.xeroContactId);
      taken.add(match.xeroContactId.toLowerCase());
    }
  }
  return adopted;
}

function matches(field: ContactMatchField, c: Pick<IndexedXeroContact, 'contactNumber' | 'emailLower' | 'nameLower'>, row: ContactRow): boolean {
  if (field === 'contact_number') return c.contactNumber === row.id;
  if (field === 'email') return !!row.email && c.emailLower === row.email.toLowerCase();
  return c.nameLower === row.name.toLowerCase();
}

/** A string literal inside Xero's `where` filter. */
function escapeWhere(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
