/**
 * Xero's view of our credit notes, applied in the caller's transaction with the events for the main app (an
 * event exists if and only if its change committed):
 *   - status, total and credit left follow Xero; `credit_note.voided` when Xero voids (or deletes) one;
 *   - each use of the credit Xero lists (an allocation to an invoice, a refund payment) is recorded once by
 *     Xero's id; one made in Xero is announced (`credit_note.allocated` / `credit_note.refunded`, source
 *     `xero`); ours were announced when pushed;
 *   - a use matching one the platform is still pushing (its answer not stored yet) is left to that push,
 *     which adopts it: recording it here would make two.
 */
import type { CreditNote } from 'xero-node';
import type { Tx } from '../../db/client.ts';
import { recordXeroCreditNoteStates } from '../../db/queries/credit-notes.ts';
import { knownXeroCreditUses, recordXeroCreditUses, type XeroCreditUse } from '../../db/queries/credit-uses.ts';
import { enqueueOutboundEvents, type NewOutboundEvent } from '../../db/queries/outbound-events.ts';
import { findCreditNotesForXero, type OurCreditNote } from '../../db/queries/xero-credit-note-match.ts';
import { findInvoicesForXero } from '../../db/queries/xero-invoice-match.ts';
import { sameMoney, xeroDate, xeroMoney } from '../../xero/values.ts';

export interface XeroCreditNoteSnapshot {
  xeroId: string;
  number?: string;
  status: string;
  total?: string;
  remainingCredit?: string;
  allocations: Array<{ xeroId: string; xeroInvoiceId?: string; amount: string; date?: string }>;
  refunds: Array<{ xeroId: string; amount: string; date?: string; reference: string | null }>;
}

export function creditNoteSnapshotOf(note: CreditNote): XeroCreditNoteSnapshot | undefined {
  if (!note.creditNoteID || String(note.type) !== 'ACCRECCREDIT') return undefined;
  return {
    xeroId: note.creditNoteID,
    number: note.creditNoteNumber || undefined,
    status: String(note.status ?? ''),
    total: xeroMoney(note.total),
    remainingCredit: xeroMoney(note.remainingCredit),
    allocations: (note.allocations ?? [])
      .filter((a) => a.allocationID && !a.isDeleted)
      .map((a) => ({ xeroId: a.allocationID!, xeroInvoiceId: a.invoice?.invoiceID, amount: xeroMoney(a.amount) ?? '0.00', date: xeroDate(a.date) })),
    refunds: (note.payments ?? [])
      .filter((p) => p.paymentID && String(p.status ?? 'AUTHORISED') !== 'DELETED')
      .map((p) => ({ xeroId: p.paymentID!, amount: xeroMoney(p.amount) ?? '0.00', date: xeroDate(p.date), reference: p.reference || null })),
  };
}

const SETTLED = new Set(['VOIDED', 'DELETED']);

export async function applyXeroCreditNotes(tx: Tx, { orgId, notes }: { orgId: string; notes: XeroCreditNoteSnapshot[] }): Promise<{ ours: number; announced: number }> {
  const ours = await findCreditNotesForXero(tx, { orgId, xeroIds: notes.map((n) => n.xeroId), numbers: notes.map((n) => n.number).filter((n): n is string => !!n) });
  const byXeroId = new Map(ours.filter((o) => o.xeroId).map((o) => [o.xeroId!.toLowerCase(), o]));
  const byNumber = new Map(ours.filter((o) => !o.xeroId).map((o) => [o.number, o]));
  const pairs = notes
    .map((xero) => ({ xero, local: byXeroId.get(xero.xeroId.toLowerCase()) ?? (xero.number ? byNumber.get(xero.number) : undefined) }))
    .filter((p): p is { xero: XeroCreditNoteSnapshot; local: OurCreditNote } => !!p.local && (!!p.local.xeroId || !SETTLED.has(p.xero.status)));
  if (pairs.length === 0) return { ours: 0, announced: 0 };

  await recordXeroCreditNoteStates(tx, {
    orgId,
    states: pairs.map(({ local, xero }) => ({ creditNoteId: local.creditNoteId, status: xero.status, total: xero.total, remainingCredit: xero.remainingCredit })),
  });
  const known = await knownXeroCreditUses(tx, { orgId, creditNoteIds: pairs.map((p) => p.local.creditNoteId) });
  const invoiceIds = new Map(
    (await findInvoicesForXero(tx, { orgId, xeroIds: pairs.flatMap((p) => p.xero.allocations.map((a) => a.xeroInvoiceId).filter((id): id is string => !!id)) }))
      .filter((i) => i.xeroId)
      .map((i) => [i.xeroId!.toLowerCase(), i.invoiceId]),
  );

  const uses: XeroCreditUse[] = [];
  const events: NewOutboundEvent[] = [];
  for (const { local, xero } of pairs) {
    const base = { creditNoteId: local.creditNoteId, creditNoteNumber: local.number, xeroCreditNoteId: xero.xeroId };
    const recordKey = `credit_note:${local.creditNoteId}`;
    if (SETTLED.has(xero.status) && !SETTLED.has(local.xeroStatus ?? '')) {
      events.push({ orgId, type: 'credit_note.voided', recordKey, payload: { ...base, xeroStatus: xero.status } });
    }
    const ourAllocation = local.allocation;
    for (const a of xero.allocations) {
      if (known.has(a.xeroId.toLowerCase())) continue;
      const mine = ourAllocation?.xeroId?.toLowerCase() === a.xeroId.toLowerCase();
      const inFlight = !mine && ourAllocation && !ourAllocation.xeroId && ourAllocation.state === 'pending' && sameMoney(ourAllocation.amount, a.amount);
      if (inFlight) continue;
      uses.push({ xeroId: a.xeroId, creditNoteId: local.creditNoteId, kind: 'allocation', xeroInvoiceId: a.xeroInvoiceId, amount: a.amount, date: a.date, source: mine ? 'platform' : 'xero' });
      if (mine) continue;
      const invoiceId = a.xeroInvoiceId ? (invoiceIds.get(a.xeroInvoiceId.toLowerCase()) ?? null) : null;
      events.push({ orgId, type: 'credit_note.allocated', recordKey, payload: { ...base, xeroAllocationId: a.xeroId, invoiceId, xeroInvoiceId: a.xeroInvoiceId ?? null, amount: a.amount, date: a.date ?? null, source: 'xero' } });
    }
    const ourRefund = local.refund;
    for (const r of xero.refunds) {
      if (known.has(r.xeroId.toLowerCase())) continue;
      const mine = ourRefund?.xeroId?.toLowerCase() === r.xeroId.toLowerCase();
      const inFlight = !mine && ourRefund && !ourRefund.xeroId && ourRefund.state === 'pending' && sameMoney(ourRefund.amount, r.amount) && ourRefund.date === r.date;
      if (inFlight) continue;
      uses.push({ xeroId: r.xeroId, creditNoteId: local.creditNoteId, kind: 'refund', amount: r.amount, date: r.date, source: mine ? 'platform' : 'xero' });
      if (mine) continue;
      events.push({ orgId, type: 'credit_note.refunded', recordKey, payload: { ...base, xeroPaymentId: r.xeroId, amount: r.amount, date: r.date ?? null, reference: r.reference, source: 'xero' } });
    }
  }
  // Only uses recorded by this call are announced (a concurrent reader may have recorded some first).
  const fresh = new Set((await recordXeroCreditUses(tx, { orgId, uses })).map((u) => u.xeroId.toLowerCase()));
  const announced = events.filter((e) => {
    const id = (e.payload.xeroAllocationId ?? e.payload.xeroPaymentId) as string | undefined;
    return !id || fresh.has(id.toLowerCase());
  });
  await enqueueOutboundEvents(tx, announced);
  return { ours: pairs.length, announced: announced.length };
}
