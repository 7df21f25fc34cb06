/**
 * Customer credit notes (ACCRECCREDIT, AUTHORISED) in batches (`POST /CreditNotes`: creates and updates in
 * one call), with lines mapped like an invoice's (accounts, tax types, items, tracking; Xero takes no
 * discounts on credit notes). "Credit Note # must be unique" means Xero holds one with our number (ours
 * from a lost answer, or made by hand): it is looked up by CreditNoteNumber and adopted, as is one a lost
 * answer created before a retry. The main app hears `credit_note.synced` with Xero's figures.
 */
import { CreditNote, type CreditNotes } from 'xero-node';
import { getCreditNotesWithLines, recordXeroCreditNoteStates, type CreditNoteWithLines } from '../../db/queries/credit-notes.ts';
import { enqueueOutboundEvents } from '../../db/queries/outbound-events.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../db/queries/settings.ts';
import { getSyncStates, type SyncStateRow } from '../../db/queries/sync-state.ts';
import { whereString } from '../../xero/where.ts';
import { loadNameContext, resolveDocumentNames, type NameContext } from './document-names.ts';
import { toXeroLine } from './document-lines.ts';
import { invoiceProblem, LINE_AMOUNT_TYPES, money, type ResolvedNames } from './invoice-mapping.ts';
import { validationMessages, type PushStrategy } from './strategy.ts';

interface LoadedCreditNotes {
  notes: Map<string, CreditNoteWithLines>;
  settings: EffectiveSettings;
  contactSync: Map<string, SyncStateRow>;
  names: NameContext;
}

const NUMBER_TAKEN = /Credit Note # must be unique/i;
const SETTLED_IN_XERO = new Set(['DELETED', 'VOIDED']);

export const creditNoteStrategy: PushStrategy<LoadedCreditNotes, CreditNote, CreditNote> = {
  recordType: 'credit_note',
  async load(deps, orgId, claims, options) {
    const [rows, settings, names] = await Promise.all([
      getCreditNotesWithLines(deps.db, { orgId, creditNoteIds: claims.map((c) => c.recordId) }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
      loadNameContext(deps.db, orgId, options),
    ]);
    const contactSync = await getSyncStates(deps.db, { orgId, recordType: 'contact', recordIds: rows.map((n) => n.contactId) });
    return { notes: new Map(rows.map((n) => [n.id, n])), settings, contactSync: new Map(contactSync.map((c) => [c.recordId, c])), names };
  },
  prepare(claim, { notes, settings, contactSync, names }) {
    const note = notes.get(claim.recordId);
    if (!note) return { settled: { outcome: 'failed', error: 'The credit note no longer exists in the platform.' } };
    const contact = contactSync.get(note.contactId);
    const problem = invoiceProblem(note, contact, settings);
    if (problem) return { settled: { outcome: 'failed', ...problem } };
    const resolved = resolveDocumentNames(note, settings, names);
    if ('missing' in resolved) return resolved;
    if ('problem' in resolved) return { settled: { outcome: 'failed', ...resolved.problem } };
    return { element: toXeroCreditNote(note, contact!.xeroId!, claim.xeroId, settings, resolved.names) };
  },
  send: (api, tenantId, creditNotes, key) => api.updateOrCreateCreditNotes(tenantId, { creditNotes }, false, 4, key),
  answered: (body) => ((body as CreditNotes).creditNotes ?? []).map((c) => ({ xeroId: c.creditNoteID, errors: validationMessages(c), answer: c })),
  isDuplicate: (errors) => errors.some((e) => NUMBER_TAKEN.test(e)),
  async store(tx, { orgId, taken, loaded }) {
    const states = taken.map(({ claim, answer }) => ({
      creditNoteId: claim.recordId,
      status: String(answer.status ?? ''),
      total: money(answer.total),
      remainingCredit: money(answer.remainingCredit),
    }));
    await recordXeroCreditNoteStates(tx, { orgId, states });
    await enqueueOutboundEvents(
      tx,
      taken.map(({ claim, answer }, i) => ({
        orgId,
        type: 'credit_note.synced' as const,
        recordKey: `credit_note:${claim.recordId}`,
        payload: {
          creditNoteId: claim.recordId,
          creditNoteNumber: loaded.notes.get(claim.recordId)!.number,
          xeroCreditNoteId: answer.creditNoteID,
          status: states[i]!.status,
          total: states[i]!.total ?? null,
          remainingCredit: states[i]!.remainingCredit ?? null,
        },
      })),
    );
  },
  lookup: {
    find: (api, tenantId, { claims, loaded }) => {
      const numbers = claims.map((c) => loaded.notes.get(c.recordId)?.number).filter((n): n is string => !!n);
      return api.getCreditNotes(tenantId, undefined, `Type=="ACCRECCREDIT" AND (${numbers.map((n) => `CreditNoteNumber==${whereString(n)}`).join(' OR ')})`);
    },
    match(body, { claims, loaded }) {
      // A voided or deleted credit note that shares our number is not one to update.
      const live = ((body as CreditNotes).creditNotes ?? []).filter((c) => c.creditNoteID && !SETTLED_IN_XERO.has(String(c.status)));
      const byNumber = new Map(live.map((c) => [c.creditNoteNumber?.toLowerCase(), c.creditNoteID!]));
      const adopted = new Map<string, string>();
      for (const claim of claims) {
        const id = byNumber.get(loaded.notes.get(claim.recordId)?.number.toLowerCase());
        if (id) adopted.set(claim.recordId, id);
      }
      return adopted;
    },
  },
};

export function toXeroCreditNote(note: CreditNoteWithLines, contactXeroId: string, xeroId: string | null, settings: EffectiveSettings, names: ResolvedNames): CreditNote {
  const currency = note.currencyCode ?? settings.currencyCode;
  const brandingThemeID = names.brandingThemeId ?? settings.brandingThemeId;
  return {
    ...(xeroId ? { creditNoteID: xeroId } : {}),
    type: CreditNote.TypeEnum.ACCRECCREDIT,
    contact: { contactID: contactXeroId },
    creditNoteNumber: note.number,
    reference: note.reference ?? undefined,
    date: note.date,
    ...(currency ? { currencyCode: currency as never } : {}),
    // Fully used (PAID) in Xero: sending AUTHORISED again would be refused as a status change.
    ...(note.xeroStatus === 'PAID' ? {} : { status: CreditNote.StatusEnum.AUTHORISED }),
    lineAmountTypes: LINE_AMOUNT_TYPES[settings.amountType],
    ...(brandingThemeID ? { brandingThemeID } : {}),
    lineItems: note.lines.map((line, i) => toXeroLine(line, settings, names.tracking?.[i])),
  };
}
