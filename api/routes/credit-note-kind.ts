/**
 * Credit notes as a kind of record (`PUT /api/orgs/{orgId}/credit-notes/{id}` and the batch form): stored
 * with their lines, their allocation and their refund, each with its own sync state. An allocation is
 * checked against what we know before anything is stored: its invoice must be one of ours, not voided, and
 * the amount not above what Xero last said is due.
 */
import type { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { CreditUseFrozenError, getCreditAllocations, getCreditNote, upsertCreditNotes, type CreditNoteRecord } from '../../db/queries/credit-notes.ts';
import { getInvoiceRows } from '../../db/queries/invoices.ts';
import { HttpError, type FieldError } from '../errors.ts';
import { creditNoteBody } from './record-bodies.ts';
import type { RecordKind } from './records.ts';
import { presentSyncState } from './sync-state-view.ts';

type CreditNoteBody = z.infer<typeof creditNoteBody>;

export const creditNoteKind: RecordKind<CreditNoteBody> = {
  type: 'credit_note',
  plural: 'credit-notes',
  body: creditNoteBody,
  writeMethod: 'put',
  store: async (tx, { orgId, items }) => {
    await refuseAllocationsBeyondWhatIsDue(tx, orgId, items);
    try {
      return await upsertCreditNotes(tx, {
        orgId,
        items: items.map(({ id, body: { invoiceId, amount, refund, ...note } }) => ({
          id,
          creditNote: { ...note, allocation: invoiceId && amount ? { invoiceId, amount, date: note.date } : undefined, refund },
        })),
      });
    } catch (err) {
      if (err instanceof CreditUseFrozenError) throw new HttpError(409, 'credit_in_xero', err.message);
      throw err;
    }
  },
  load: async (db, { orgId, id }) => {
    const found = await getCreditNote(db, { orgId, creditNoteId: id });
    return found && { record: presentCreditNote(found), sync: found.sync };
  },
};

function presentCreditNote({ creditNote, allocation, refund }: CreditNoteRecord) {
  return {
    ...creditNote,
    allocation: allocation
      ? { invoiceId: allocation.row.invoiceId, amount: allocation.row.amount, date: allocation.row.date, xeroAllocationId: allocation.row.xeroAllocationId, sync: presentSyncState(allocation.sync) }
      : null,
    refund: refund
      ? { amount: refund.row.amount, date: refund.row.date, reference: refund.row.reference, xeroPaymentId: refund.row.xeroPaymentId, sync: presentSyncState(refund.sync) }
      : null,
  };
}

/** New or changed allocations, checked against their invoices as we know them (an unchanged one was checked when it came). */
async function refuseAllocationsBeyondWhatIsDue(tx: DbOrTx, orgId: string, items: Array<{ id: string; body: CreditNoteBody }>): Promise<void> {
  const asked = items.filter((i) => i.body.invoiceId && i.body.amount);
  if (asked.length === 0) return;
  const existing = new Map((await getCreditAllocations(tx, { orgId, ids: asked.map((i) => i.id) })).map((a) => [a.id, a]));
  const changed = asked.filter(({ id, body }) => {
    const before = existing.get(id);
    return !before || before.invoiceId !== body.invoiceId || Number(before.amount) !== Number(body.amount);
  });
  const invoices = new Map((await getInvoiceRows(tx, { orgId, invoiceIds: changed.map((i) => i.body.invoiceId!) })).map((i) => [i.id, i]));
  const problems: FieldError[] = [];
  for (const { id, body } of changed) {
    const invoice = invoices.get(body.invoiceId!);
    if (!invoice) {
      problems.push({ path: 'body.invoiceId', message: `credit note ${id}: invoice ${body.invoiceId} is not known here: send the invoice (PUT .../invoices/{id}) before allocating credit to it` });
    } else if (invoice.voidRequestedAt || invoice.xeroStatus === 'VOIDED' || invoice.xeroStatus === 'DELETED') {
      problems.push({ path: 'body.invoiceId', message: `credit note ${id}: invoice ${invoice.number} is voided: credit cannot be allocated to it` });
    } else if (invoice.amountDue !== null && Number(body.amount) > Number(invoice.amountDue)) {
      problems.push({
        path: 'body.amount',
        message: `credit note ${id}: the allocation of ${body.amount} is more than invoice ${invoice.number} has due in Xero (${invoice.amountDue}): allocate at most that, and refund the rest`,
      });
    }
  }
  if (problems.length > 0) throw new HttpError(422, 'allocation_refused', `Allocation refused (nothing stored): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
}
