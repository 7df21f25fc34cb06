/**
 * Reads up to 50 contacts named by CONTACT webhook events from Xero in ONE call (`GET /Contacts?IDs=`) and
 * records, for each of ours, what Xero holds differently from the platform (name, email, archived). A new
 * difference is announced to the main app (`contact.changed_in_xero`) once; the platform's contact is not
 * overwritten unless XERO_APPLY_CONTACT_EDITS says so. The events are marked processed in the same
 * transaction.
 */
import type { Contact } from 'xero-node';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { markWebhookEventsProcessed, unprocessedWebhookEventIds } from '../../db/queries/webhook-events.ts';
import { applyXeroContactEdits, findContactsForXero, upsertXeroContactViews, type OurContact, type XeroContactView } from '../../db/queries/xero-contact-views.ts';
import { enqueueOutboundEvent } from '../../db/queries/outbound-events.ts';
import type { ContactDifferences } from '../../db/schema/index.ts';
import { DRIFT_EXAMPLES_KEPT, emptyDrift } from '../../lib/reconciliation-drift.ts';
import { xeroInstant } from '../../xero/values.ts';
import type { TakeInResult } from './take-in-invoices.ts';
import { XERO_IDS_PER_CALL } from '../../workflows/constants.ts';

export function takeInXeroContacts(deps: ActivityDeps) {
  return async ({ orgId, xeroContactIds }: { orgId: string; xeroContactIds: string[] }): Promise<TakeInResult> => {
    const ids = [...new Set(xeroContactIds.map((id) => id.toLowerCase()))].slice(0, XERO_IDS_PER_CALL);
    const eventIds = await unprocessedWebhookEventIds(deps.db, { orgId, category: 'CONTACT', resourceIds: ids });
    // Archived contacts are the point here: ask for them too.
    const result = await callXero(deps, orgId, (api, tenantId) => api.getContacts(tenantId, undefined, undefined, undefined, ids, undefined, true));
    const found = result.ok ? (result.body.contacts ?? []).filter((c) => c.contactID) : [];
    return deps.db.transaction(async (tx) => {
      const effects = emptyDrift();
      if (!result.ok) {
        await appendSyncLog(tx, [
          { orgId, recordType: 'contact', action: 'read', outcome: 'failed', message: `Reading ${ids.length} contact(s) from Xero failed.`, xeroMessage: result.failure.message },
        ]);
      }
      const ours = await findContactsForXero(tx, {
        orgId,
        xeroIds: found.map((c) => c.contactID!),
        contactNumbers: found.map((c) => c.contactNumber).filter((n): n is string => !!n),
      });
      const byXeroId = new Map(ours.filter((o) => o.xeroId).map((o) => [o.xeroId!.toLowerCase(), o]));
      const byNumber = new Map(ours.filter((o) => !o.xeroId).map((o) => [o.contactId, o]));
      const views: XeroContactView[] = [];
      for (const xero of found) {
        const local = byXeroId.get(xero.contactID!.toLowerCase()) ?? (xero.contactNumber ? byNumber.get(xero.contactNumber) : undefined);
        if (!local) continue;
        const view = viewOf(local, xero);
        views.push(view);
        if (!view.announced) continue;
        effects.counts.contactsChangedInXero++;
        if (effects.examples.length < DRIFT_EXAMPLES_KEPT) {
          effects.examples.push({ kind: 'contactsChangedInXero', record: `contact:${local.contactId}`, xeroId: view.xeroContactId, detail: `changed in Xero: ${Object.keys(view.differences).join(', ')}` });
        }
        const apply = deps.applyXeroContactEdits === true && (view.differences.name || view.differences.email);
        if (apply) {
          await applyXeroContactEdits(tx, {
            orgId,
            contactId: local.contactId,
            ...(view.differences.name ? { name: view.name ?? local.name } : {}),
            ...(view.differences.email ? { email: view.email } : {}),
          });
        }
        await enqueueOutboundEvent(tx, {
          orgId,
          type: 'contact.changed_in_xero',
          recordKey: `contact:${local.contactId}`,
          payload: {
            contactId: local.contactId,
            xeroContactId: view.xeroContactId,
            changes: view.differences,
            xero: { name: view.name, email: view.email, archived: view.archived },
            appliedToPlatform: !!apply,
          },
        });
      }
      await upsertXeroContactViews(tx, { orgId, views });
      await markWebhookEventsProcessed(tx, { ids: eventIds });
      return { seen: found.length, ours: views.length, effects, rateLimits: result.rateLimits };
    });
  };
}

const normalisedEmail = (email: string | null | undefined) => (email ?? '').trim().toLowerCase();

/**
 * What Xero holds differently from the platform, and whether that is news. While the platform's own
 * change is still on its way to Xero (pending), Xero is simply behind: nothing is announced.
 */
function viewOf(local: OurContact, xero: Contact): XeroContactView {
  const name = xero.name ?? null;
  const email = xero.emailAddress || null;
  const archived = String(xero.contactStatus ?? '') === 'ARCHIVED';
  const differences: ContactDifferences = {};
  if (local.syncState !== 'pending') {
    if (name !== null && name.trim() !== local.name.trim()) differences.name = { platform: local.name, xero: name };
    if (normalisedEmail(email) !== normalisedEmail(local.email)) differences.email = { platform: local.email, xero: email };
    if (archived) differences.archived = { platform: false, xero: true };
  }
  const announced = Object.keys(differences).length > 0 && !sameXeroSide(differences, local.announced ?? {});
  return {
    contactId: local.contactId,
    xeroContactId: xero.contactID!,
    name,
    email,
    archived,
    xeroUpdatedAt: xeroInstant(xero.updatedDateUTC) ?? null,
    // Pending: keep what was last announced, so the same Xero edit is not announced again afterwards.
    differences: local.syncState === 'pending' ? (local.announced ?? {}) : differences,
    announced,
  };
}

/** Xero's side of two difference sets is the same (the platform side may have moved: that is not news from Xero). */
function sameXeroSide(a: ContactDifferences, b: ContactDifferences): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof ContactDifferences>);
  for (const key of keys) if (JSON.stringify(a[key]?.xero ?? null) !== JSON.stringify(b[key]?.xero ?? null)) return false;
  return true;
}
