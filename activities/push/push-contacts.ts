/**
 * Pushes one batch (≤ 50) of the organisation's pending contacts to Xero in ONE call
 * (`POST /Contacts?summarizeErrors=false`: creates and updates together), never creating a duplicate:
 *   - a record that already has a Xero id is updated;
 *   - otherwise an existing Xero contact is adopted (ContactNumber = our id, else email, else exact name),
 *     found in the contact index rather than with a lookup call per batch;
 *   - a retried batch replays under the same Idempotency-Key, and re-reads the index first so a contact
 *     created by a lost answer is adopted, not created again;
 *   - Xero's duplicate-name error leads to adoption (when allowed) or to a clear error on the record.
 */
import { Context } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import type { Contact } from 'xero-node';
import type { ActivityDeps } from '../deps.ts';
import { callXero, type ObservedBudget } from '../xero/call.ts';
import { contacts, syncState } from '../../db/schema/index.ts';
import { claimBatch, recordPushResults, type PushResult } from '../../db/queries/push-claims.ts';
import { findIndexedCandidates, upsertIndexedContacts, type IndexedXeroContact } from '../../db/queries/xero-contact-index.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { batchIdempotencyKey } from './idempotency.ts';
import { hintFor } from './hints.ts';
import { refreshContactIndexPage } from './contact-index.ts';

export const PUSH_BATCH_SIZE = 50;

export type ContactMatchField = 'contact_number' | 'email' | 'name';

export interface PushBatchInput {
  orgId: string;
  /** Named by the workflow; stable across retries of this activity. */
  claimId: string;
}

export interface PushBatchResult {
  claimed: number;
  synced: number;
  failed: number;
  /** Left pending (adopted after a duplicate error, or waiting for a dependency). */
  requeued: number;
  /** Absent when no Xero call was made. */
  budget?: ObservedBudget;
  /** Invoices to email now that they exist in Xero (invoice pushes only). */
  toEmail?: string[];
}

type ContactRow = typeof contacts.$inferSelect;

export function pushContactBatch(deps: ActivityDeps, matchOrder: ContactMatchField[] = ['contact_number', 'email', 'name']) {
  return async ({ orgId, claimId }: PushBatchInput): Promise<PushBatchResult> => {
    const claimed = await claimBatch(deps.db, { orgId, recordType: 'contact', claimId, limit: PUSH_BATCH_SIZE });
    if (claimed.length === 0) return { claimed: 0, synced: 0, failed: 0, requeued: 0 };

    // A retry may follow a lost answer: read what Xero created meanwhile before deciding to create.
    if (Context.current().info.attempt > 1) await refreshContactIndexPage(deps)({ orgId, page: 1 });

    const rows = await deps.db.select().from(contacts).where(and(eq(contacts.orgId, orgId), inArray(contacts.id, claimed.map((c) => c.recordId))));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const xeroIds = new Map(claimed.filter((c) => c.xeroId).map((c) => [c.recordId, c.xeroId!]));
    await adoptExisting(deps, orgId, rows.filter((r) => !xeroIds.has(r.id)), xeroIds, matchOrder);

    const batch = claimed.filter((c) => byId.has(c.recordId));
    const payload: Contact[] = batch.map((c) => toXeroContact(byId.get(c.recordId)!, xeroIds.get(c.recordId)));
    const key = batchIdempotencyKey(orgId, claimId, payload);
    const result = await callXero(deps, orgId, (api, tenantId) => api.updateOrCreateContacts(tenantId, { contacts: payload }, false, key));

    const results: PushResult[] = [];
    const indexed: Array<Parameters<typeof upsertIndexedContacts>[1][number]> = [];
    if (!result.ok) {
      // The whole request was refused (not per element): every record carries Xero's message.
      for (const c of batch) results.push({ recordId: c.recordId, version: c.version, outcome: 'failed', error: result.failure.message, hint: hintFor(result.failure.message) });
    } else {
      const answered = result.body.contacts ?? [];
      for (const [i, c] of batch.entries()) {
        const answer = answered[i];
        const errors = (answer?.validationErrors ?? []).map((e) => e.message ?? '').filter(Boolean);
        if (answer?.contactID && errors.length === 0) {
          results.push({ recordId: c.recordId, version: c.version, outcome: 'synced', xeroId: answer.contactID });
          indexed.push(indexRow(orgId, answer));
        } else {
          const message = errors.join(' ') || 'Xero did not return this contact';
          const adopted = isDuplicateName(errors) && matchOrder.includes('name') ? await adoptByName(deps, orgId, byId.get(c.recordId)!) : undefined;
          results.push(
            adopted
              ? { recordId: c.recordId, version: c.version, outcome: 'pending', xeroId: adopted }
              : { recordId: c.recordId, version: c.version, outcome: 'failed', error: message, hint: hintFor(message) },
          );
        }
      }
    }
    // Orphans: a claimed sync row whose contact row vanished cannot be pushed.
    for (const c of claimed.filter((c) => !byId.has(c.recordId))) results.push({ recordId: c.recordId, version: c.version, outcome: 'failed', error: 'The contact no longer exists in the platform.' });

    await deps.db.transaction(async (tx) => {
      await recordPushResults(tx, { orgId, recordType: 'contact', results });
      await upsertIndexedContacts(tx, indexed);
      await appendSyncLog(tx, pushLogEntries(orgId, 'contact', results));
    });
    return summarise(results, result.budget);
  };
}

export function summarise(results: PushResult[], budget?: ObservedBudget): PushBatchResult {
  return {
    claimed: results.length,
    synced: results.filter((r) => r.outcome === 'synced').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    requeued: results.filter((r) => r.outcome === 'pending').length,
    budget,
  };
}

/** One log row per failure (with Xero's words), one summary row for the successes. */
export function pushLogEntries(orgId: string, recordType: 'contact' | 'invoice' | 'payment' | 'expense', results: PushResult[]) {
  const synced = results.filter((r) => r.outcome === 'synced').length;
  return [
    ...results
      .filter((r) => r.outcome === 'failed')
      .map((r) => ({ orgId, recordType, recordId: r.recordId, action: 'push', outcome: 'failed' as const, message: r.hint ?? null, xeroMessage: r.error ?? null })),
    ...(synced > 0 ? [{ orgId, recordType, action: 'push', outcome: 'ok' as const, message: `${synced} ${recordType}${synced === 1 ? '' : 's'} synced` }] : []),
  ];
}

function toXeroContact(row: ContactRow, xeroId: string | undefined): Contact {
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

/** Fills `xeroIds` for records that match an existing Xero contact nobody else has adopted. */
async function adoptExisting(
  deps: ActivityDeps,
  orgId: string,
  unmatched: ContactRow[],
  xeroIds: Map<string, string>,
  matchOrder: ContactMatchField[],
): Promise<void> {
  if (unmatched.length === 0) return;
  const candidates = await findIndexedCandidates(deps.db, {
    orgId,
    contactNumbers: matchOrder.includes('contact_number') ? unmatched.map((r) => r.id) : [],
    emails: matchOrder.includes('email') ? unmatched.flatMap((r) => (r.email ? [r.email.toLowerCase()] : [])) : [],
    names: matchOrder.includes('name') ? unmatched.map((r) => r.name.toLowerCase()) : [],
  });
  if (candidates.length === 0) return;
  const taken = await alreadyAdopted(deps, orgId, candidates.map((c) => c.xeroContactId));
  for (const row of unmatched) {
    const match = matchOrder
      .map((field) => candidates.find((c) => !taken.has(c.xeroContactId) && matches(field, c, row)))
      .find((c) => c !== undefined);
    if (match) {
      xeroIds.set(row.id, match.xeroContactId);
      taken.add(match.xeroContactId);
    }
  }
}

function matches(field: ContactMatchField, c: IndexedXeroContact, row: ContactRow): boolean {
  if (field === 'contact_number') return c.contactNumber === row.id;
  if (field === 'email') return !!row.email && c.emailLower === row.email.toLowerCase();
  return c.nameLower === row.name.toLowerCase();
}

async function alreadyAdopted(deps: ActivityDeps, orgId: string, xeroContactIds: string[]): Promise<Set<string>> {
  const rows = await deps.db
    .select({ xeroId: syncState.xeroId })
    .from(syncState)
    .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'contact'), inArray(syncState.xeroId, xeroContactIds)));
  return new Set(rows.map((r) => r.xeroId!));
}

const DUPLICATE_NAME = /is already assigned to another contact/i;
function isDuplicateName(errors: string[]): boolean {
  return errors.some((e) => DUPLICATE_NAME.test(e));
}

/** Xero says the name is taken: find that contact (one call) and adopt it unless another record has. */
async function adoptByName(deps: ActivityDeps, orgId: string, row: ContactRow): Promise<string | undefined> {
  const where = `Name=="${row.name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const found = await callXero(deps, orgId, (api, tenantId) => api.getContacts(tenantId, undefined, where));
  if (!found.ok) return undefined;
  const candidate = (found.body.contacts ?? []).find((c) => c.contactID && c.contactStatus !== ('ARCHIVED' as never));
  if (!candidate?.contactID) return undefined;
  const taken = await alreadyAdopted(deps, orgId, [candidate.contactID]);
  if (taken.has(candidate.contactID)) return undefined;
  await upsertIndexedContacts(deps.db, [indexRow(orgId, candidate)]);
  return candidate.contactID;
}

function indexRow(orgId: string, c: Contact) {
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
