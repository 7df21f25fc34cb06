/**
 * Refunds taken in the platform: a credit note's credit paid back out of the organisation's bank account,
 * as Xero payments against the credit note (`PUT /Payments`, several in one call). Never above the credit
 * left as far as we know (Xero's own refusal is stored with a hint); after a retry, a refund Xero already
 * made for us is found on its credit note and adopted, never paid twice.
 */
import type { CreditNotes, Payment, Payments } from 'xero-node';
import type { Tx } from '../../db/client.ts';
import { getCreditNotesWithLines, getCreditRefunds, type CreditNoteRow, type CreditRefundRow } from '../../db/queries/credit-notes.ts';
import { recordXeroCreditUses, setCreditUseXeroIds } from '../../db/queries/credit-uses.ts';
import { enqueueOutboundEvents } from '../../db/queries/outbound-events.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../db/queries/settings.ts';
import { getSyncStates, type SyncStateRow } from '../../db/queries/sync-state.ts';
import { sameMoney, xeroDate } from '../../xero/values.ts';
import { whereAnyGuid } from '../../xero/where.ts';
import { money } from './invoice-mapping.ts';
import { validationMessages, type PushStrategy, type Settled } from './strategy.ts';

interface LoadedRefunds {
  refunds: Map<string, CreditRefundRow>;
  notes: Map<string, CreditNoteRow>;
  noteSync: Map<string, SyncStateRow>;
  settings: EffectiveSettings;
}

export const creditRefundStrategy: PushStrategy<LoadedRefunds, Payment, Payment> = {
  recordType: 'credit_refund',
  async load(deps, orgId, claims) {
    const ids = claims.map((c) => c.recordId);
    const [refunds, notes, noteSync, settings] = await Promise.all([
      getCreditRefunds(deps.db, { orgId, ids }),
      getCreditNotesWithLines(deps.db, { orgId, creditNoteIds: ids }),
      getSyncStates(deps.db, { orgId, recordType: 'credit_note', recordIds: ids }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
    ]);
    return {
      refunds: new Map(refunds.map((r) => [r.id, r])),
      notes: new Map(notes.map((n) => [n.id, n])),
      noteSync: new Map(noteSync.map((s) => [s.recordId, s])),
      settings,
    };
  },
  prepare(claim, { refunds, notes, noteSync, settings }) {
    const refund = refunds.get(claim.recordId);
    const fail = (error: string, hint?: string): { settled: Settled } => ({ settled: { outcome: 'failed', error, hint } });
    if (!refund) return fail('The refund no longer exists in the platform.');
    // Xero has paid it: a refund is never paid twice (a resync or retry keeps it).
    if (claim.xeroId) return { settled: { outcome: 'synced', xeroId: claim.xeroId } };
    if (!settings.bankAccountCode) return fail('No bank account is set for payments and refunds.', 'Choose the bank account for payments in Settings > Integrations > Xero.');
    const note = notes.get(claim.recordId);
    const sync = noteSync.get(claim.recordId);
    if (!note || !sync) return fail(`Unknown credit note ${claim.recordId}.`);
    if (!sync.xeroId) {
      return fail(`Credit note ${note.number} is not in Xero (${sync.state}${sync.lastError ? `: ${sync.lastError}` : ''}).`, 'Fix the credit note, then retry its refund.');
    }
    if (note.remainingCredit !== null && Number(refund.amount) > Number(note.remainingCredit)) {
      return fail(`The refund of ${refund.amount} is more than credit note ${note.number} has left in Xero (${note.remainingCredit}).`, 'Refund at most the credit left on the credit note.');
    }
    return {
      element: { creditNote: { creditNoteID: sync.xeroId }, account: { code: settings.bankAccountCode }, amount: Number(refund.amount), date: refund.date, reference: refund.reference ?? undefined },
    };
  },
  send: (api, tenantId, payments, key) => api.createPayments(tenantId, { payments }, false, key),
  answered: (body) => ((body as Payments).payments ?? []).map((p) => ({ xeroId: p.paymentID, errors: validationMessages(p), answer: p })),
  store: (tx, { orgId, taken, loaded }) => recordRefundsMade(tx, orgId, loaded, taken.map(({ claim, answer }) => ({ creditNoteId: claim.recordId, xeroId: answer.paymentID! }))),
  lookup: {
    // The batch's credit notes (one `where` by id) list their refund payments.
    find: (api, tenantId, { claims, loaded }) => {
      const ids = claims.map((c) => loaded.noteSync.get(c.recordId)?.xeroId).filter((id): id is string => !!id);
      return api.getCreditNotes(tenantId, undefined, whereAnyGuid('CreditNoteID', ids));
    },
    match(body, { claims, loaded }) {
      const adopted = new Map<string, string>();
      const notes = (body as CreditNotes).creditNotes ?? [];
      for (const claim of claims) {
        const refund = loaded.refunds.get(claim.recordId);
        const xeroId = loaded.noteSync.get(claim.recordId)?.xeroId?.toLowerCase();
        const note = notes.find((n) => n.creditNoteID?.toLowerCase() === xeroId);
        // The same amount, date and reference on the same credit note: the refund a lost answer made.
        const found = (note?.payments ?? []).find(
          (p) => p.paymentID && refund && sameMoney(money(p.amount), refund.amount) && xeroDate(p.date) === refund.date && (p.reference ?? '') === (refund.reference ?? ''),
        );
        if (found?.paymentID) adopted.set(claim.recordId, found.paymentID);
      }
      return adopted;
    },
    // Adopted: made by an answer we never got, so never announced either.
    store: (tx, { orgId, adopted, loaded }) => recordRefundsMade(tx, orgId, loaded, [...adopted].map(([creditNoteId, xeroId]) => ({ creditNoteId, xeroId }))),
  },
};

/** Refunds Xero has made for us: their ids, their use of credit (so read-back knows them), and `credit_note.refunded`. */
async function recordRefundsMade(tx: Tx, orgId: string, loaded: LoadedRefunds, made: Array<{ creditNoteId: string; xeroId: string }>): Promise<void> {
  if (made.length === 0) return;
  const rows = made.map((m) => ({ ...m, refund: loaded.refunds.get(m.creditNoteId)! }));
  await setCreditUseXeroIds(tx, { orgId, kind: 'refund', ids: made });
  await recordXeroCreditUses(tx, {
    orgId,
    uses: rows.map((r) => ({ xeroId: r.xeroId, creditNoteId: r.creditNoteId, kind: 'refund' as const, amount: r.refund.amount, date: r.refund.date, source: 'platform' as const })),
  });
  await enqueueOutboundEvents(
    tx,
    rows.map((r) => ({
      orgId,
      type: 'credit_note.refunded' as const,
      recordKey: `credit_note:${r.creditNoteId}`,
      payload: {
        creditNoteId: r.creditNoteId,
        creditNoteNumber: loaded.notes.get(r.creditNoteId)?.number ?? null,
        xeroCreditNoteId: loaded.noteSync.get(r.creditNoteId)?.xeroId ?? null,
        xeroPaymentId: r.xeroId,
        amount: r.refund.amount,
        date: r.refund.date,
        reference: r.refund.reference,
        bankAccountCode: loaded.settings.bankAccountCode ?? null,
        source: 'platform',
      },
    })),
  );
}
