/**
 * Credit applied to an invoice (`PUT /CreditNotes/{id}/Allocations`: ONE credit note per call, so a batch is
 * one allocation). Never above what is due: checked first against what we know (the invoice's amount due
 * and the credit left, as Xero last answered), and Xero's own refusal is stored with a hint. After a retry,
 * an allocation Xero already made for us is found on the credit note and adopted, never made twice.
 */
import type { Allocation, Allocations, CreditNotes } from 'xero-node';
import type { Tx } from '../../db/client.ts';
import { getCreditAllocations, getCreditNotesWithLines, type CreditAllocationRow, type CreditNoteRow } from '../../db/queries/credit-notes.ts';
import { recordXeroCreditUses, setCreditUseXeroIds } from '../../db/queries/credit-uses.ts';
import { getInvoiceRows, type InvoiceRow } from '../../db/queries/invoices.ts';
import { enqueueOutboundEvents } from '../../db/queries/outbound-events.ts';
import { getSyncStates, type SyncStateRow } from '../../db/queries/sync-state.ts';
import { sameMoney, xeroDate } from '../../xero/values.ts';
import { money } from './invoice-mapping.ts';
import { validationMessages, type PushStrategy, type Settled } from './strategy.ts';

interface LoadedAllocations {
  allocations: Map<string, CreditAllocationRow>;
  notes: Map<string, CreditNoteRow>;
  noteSync: Map<string, SyncStateRow>;
  invoices: Map<string, InvoiceRow>;
  invoiceSync: Map<string, SyncStateRow>;
}

/** The allocation and the credit note (in Xero) it is made on. */
interface AllocationElement {
  creditNoteXeroId: string;
  allocation: Allocation;
}

const notInXero = (what: string, sync: SyncStateRow) => `${what} is not in Xero (${sync.state}${sync.lastError ? `: ${sync.lastError}` : ''}).`;

export const creditAllocationStrategy: PushStrategy<LoadedAllocations, AllocationElement, Allocation> = {
  // One credit note per call: `batchSizeOf('credit_allocation')` is 1.
  recordType: 'credit_allocation',
  async load(deps, orgId, claims) {
    const ids = claims.map((c) => c.recordId);
    const [allocations, notes, noteSync] = await Promise.all([
      getCreditAllocations(deps.db, { orgId, ids }),
      getCreditNotesWithLines(deps.db, { orgId, creditNoteIds: ids }),
      getSyncStates(deps.db, { orgId, recordType: 'credit_note', recordIds: ids }),
    ]);
    const invoiceIds = allocations.map((a) => a.invoiceId);
    const [invoices, invoiceSync] = await Promise.all([
      getInvoiceRows(deps.db, { orgId, invoiceIds }),
      getSyncStates(deps.db, { orgId, recordType: 'invoice', recordIds: invoiceIds }),
    ]);
    return {
      allocations: new Map(allocations.map((a) => [a.id, a])),
      notes: new Map(notes.map((n) => [n.id, n])),
      noteSync: new Map(noteSync.map((s) => [s.recordId, s])),
      invoices: new Map(invoices.map((i) => [i.id, i])),
      invoiceSync: new Map(invoiceSync.map((s) => [s.recordId, s])),
    };
  },
  prepare(claim, loaded) {
    const allocation = loaded.allocations.get(claim.recordId);
    const fail = (error: string, hint?: string): { settled: Settled } => ({ settled: { outcome: 'failed', error, hint } });
    if (!allocation) return fail('The allocation no longer exists in the platform.');
    // Xero has it: an allocation is never made twice (a resync or retry keeps it).
    if (claim.xeroId) return { settled: { outcome: 'synced', xeroId: claim.xeroId } };
    const note = loaded.notes.get(claim.recordId);
    const noteSync = loaded.noteSync.get(claim.recordId);
    if (!note || !noteSync) return fail(`Unknown credit note ${claim.recordId}.`);
    if (!noteSync.xeroId) return fail(notInXero(`Credit note ${note.number}`, noteSync), 'Fix the credit note, then retry its allocation.');
    const invoice = loaded.invoices.get(allocation.invoiceId);
    const invoiceSync = loaded.invoiceSync.get(allocation.invoiceId);
    if (!invoice || !invoiceSync) return fail(`Unknown invoice ${allocation.invoiceId}.`, 'Send the invoice (PUT .../invoices/{id}) before allocating credit to it.');
    if (!invoiceSync.xeroId) return fail(notInXero(`Invoice ${invoice.number}`, invoiceSync), 'Fix the invoice, then retry this allocation.');
    if (invoice.voidRequestedAt || invoice.xeroStatus === 'VOIDED' || invoice.xeroStatus === 'DELETED') {
      return fail(`Invoice ${invoice.number} is voided: credit cannot be allocated to it.`, 'Refund the credit instead (refund in the credit note), or allocate it to another invoice.');
    }
    const due = invoice.amountDue === null ? undefined : Number(invoice.amountDue);
    if (invoice.xeroStatus === 'PAID' || due === 0) {
      return fail(`Invoice ${invoice.number} is paid in full in Xero: nothing is due to allocate credit to.`, 'Refund the credit instead (refund in the credit note).');
    }
    if (due !== undefined && Number(allocation.amount) > due) {
      return fail(
        `The allocation of ${allocation.amount} is more than invoice ${invoice.number} has due in Xero (${invoice.amountDue}).`,
        'Allocate at most what is due, and refund the rest (refund in the credit note).',
      );
    }
    if (note.remainingCredit !== null && Number(allocation.amount) > Number(note.remainingCredit)) {
      return fail(`The allocation of ${allocation.amount} is more than credit note ${note.number} has left in Xero (${note.remainingCredit}).`, 'Allocate at most the credit left.');
    }
    return {
      element: {
        creditNoteXeroId: noteSync.xeroId,
        allocation: { invoice: { invoiceID: invoiceSync.xeroId }, amount: Number(allocation.amount), date: allocation.date },
      },
    };
  },
  send: (api, tenantId, elements, key) => api.createCreditNoteAllocation(tenantId, elements[0]!.creditNoteXeroId, { allocations: elements.map((e) => e.allocation) }, false, key),
  answered: (body) => ((body as Allocations).allocations ?? []).map((a) => ({ xeroId: a.allocationID, errors: validationMessages(a), answer: a })),
  store: (tx, { orgId, taken, loaded }) =>
    recordAllocationsMade(tx, orgId, loaded, taken.map(({ claim, answer }) => ({ creditNoteId: claim.recordId, xeroId: answer.allocationID! }))),
  lookup: {
    // The credit note, read by id, lists its allocations.
    find: (api, tenantId, { claims, loaded }) => api.getCreditNote(tenantId, loaded.noteSync.get(claims[0]!.recordId)!.xeroId!),
    match(body, { claims, loaded }) {
      const adopted = new Map<string, string>();
      for (const claim of claims) {
        const allocation = loaded.allocations.get(claim.recordId);
        const invoiceXeroId = allocation && loaded.invoiceSync.get(allocation.invoiceId)?.xeroId;
        const note = ((body as CreditNotes).creditNotes ?? [])[0];
        // The same invoice, amount and date: the allocation a lost answer made.
        const found = (note?.allocations ?? []).find(
          (a) => a.allocationID && a.invoice?.invoiceID?.toLowerCase() === invoiceXeroId?.toLowerCase() && sameMoney(money(a.amount), allocation!.amount) && xeroDate(a.date) === allocation!.date,
        );
        if (found?.allocationID) adopted.set(claim.recordId, found.allocationID);
      }
      return adopted;
    },
    // Adopted: made by an answer we never got, so never announced either.
    store: (tx, { orgId, adopted, loaded }) => recordAllocationsMade(tx, orgId, loaded, [...adopted].map(([creditNoteId, xeroId]) => ({ creditNoteId, xeroId }))),
  },
};

/** Allocations Xero has made for us: their ids, their use of credit (so read-back knows them), and `credit_note.allocated`. */
async function recordAllocationsMade(tx: Tx, orgId: string, loaded: LoadedAllocations, made: Array<{ creditNoteId: string; xeroId: string }>): Promise<void> {
  if (made.length === 0) return;
  const rows = made.map((m) => {
    const allocation = loaded.allocations.get(m.creditNoteId)!;
    return { ...m, allocation, invoiceXeroId: loaded.invoiceSync.get(allocation.invoiceId)?.xeroId ?? null };
  });
  await setCreditUseXeroIds(tx, { orgId, kind: 'allocation', ids: made });
  await recordXeroCreditUses(tx, {
    orgId,
    uses: rows.map((r) => ({ xeroId: r.xeroId, creditNoteId: r.creditNoteId, kind: 'allocation' as const, xeroInvoiceId: r.invoiceXeroId, amount: r.allocation.amount, date: r.allocation.date, source: 'platform' as const })),
  });
  await enqueueOutboundEvents(
    tx,
    rows.map((r) => ({
      orgId,
      type: 'credit_note.allocated' as const,
      recordKey: `credit_note:${r.creditNoteId}`,
      payload: {
        creditNoteId: r.creditNoteId,
        creditNoteNumber: loaded.notes.get(r.creditNoteId)?.number ?? null,
        xeroCreditNoteId: loaded.noteSync.get(r.creditNoteId)?.xeroId ?? null,
        xeroAllocationId: r.xeroId,
        invoiceId: r.allocation.invoiceId,
        xeroInvoiceId: r.invoiceXeroId,
        amount: r.allocation.amount,
        date: r.allocation.date,
        source: 'platform',
      },
    })),
  );
}
