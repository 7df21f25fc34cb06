/**
 * The platform's credit notes: header and lines (written like invoices), and what is to be done with their
 * credit (an allocation to an invoice, a refund), each a record of its own in sync_state keyed by the credit
 * note's id. A use of credit already made in Xero is frozen: Xero has no way to edit one.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { creditAllocations, creditNoteLines, creditNotes, creditRefunds, type LineTracking } from '../schema/index.ts';
import { chunks } from '../../lib/chunks.ts';
import { groupBy } from '../../lib/group-by.ts';
import { contentHash } from './content-hash.ts';
import { replaceDocuments } from './documents-with-lines.ts';
import { storeChanged, type IntakeResult } from './record-intake.ts';
import { getSyncState, type SyncStateRow } from './sync-state.ts';

export interface CreditNoteLineInput {
  serviceCode?: string | null;
  description: string;
  quantity: string;
  unitAmount: string;
  taxCode?: string | null;
  servicePeriod?: { start: string; end: string } | null;
  tracking?: LineTracking | null;
}

export interface CreditNoteInput {
  contactId: string;
  number: string;
  reference?: string | null;
  date: string;
  currencyCode?: string | null;
  brandingTheme?: string | null;
  lines: CreditNoteLineInput[];
  allocation?: { invoiceId: string; amount: string; date: string };
  refund?: { amount: string; date: string; reference?: string | null };
}

export type CreditNoteRow = typeof creditNotes.$inferSelect;
export type CreditNoteLineRow = typeof creditNoteLines.$inferSelect;
export type CreditNoteWithLines = CreditNoteRow & { lines: CreditNoteLineRow[] };
export type CreditAllocationRow = typeof creditAllocations.$inferSelect;
export type CreditRefundRow = typeof creditRefunds.$inferSelect;

/** An allocation or refund already made in Xero cannot change: Xero offers no edit of either. */
export class CreditUseFrozenError extends Error {
  override name = 'CreditUseFrozenError';
}

const CREDIT_NOTE_TABLES = { header: creditNotes, lines: creditNoteLines, parent: creditNoteLines.creditNoteId, parentKey: 'creditNoteId' };

/** Stores credit notes, their allocations and refunds, and queues what changed, in the caller's transaction. */
export async function upsertCreditNotes(tx: DbOrTx, { orgId, items }: { orgId: string; items: Array<{ id: string; creditNote: CreditNoteInput }> }): Promise<IntakeResult[]> {
  const notes = items.map(({ id, creditNote: cn }) => {
    const values = { contactId: cn.contactId, number: cn.number, reference: cn.reference ?? null, date: cn.date, currencyCode: cn.currencyCode ?? null, brandingTheme: cn.brandingTheme ?? null };
    const lines = cn.lines.map((line, i) => ({
      lineNo: i + 1,
      serviceCode: line.serviceCode ?? null,
      description: line.description,
      quantity: line.quantity,
      unitAmount: line.unitAmount,
      taxCode: line.taxCode ?? null,
      servicePeriodStart: line.servicePeriod?.start ?? null,
      servicePeriodEnd: line.servicePeriod?.end ?? null,
      tracking: line.tracking && Object.keys(line.tracking).length > 0 ? line.tracking : null,
    }));
    return { id, values, lines, hash: contentHash({ ...values, lines }) };
  });
  const noteResults = await storeChanged(tx, { orgId, recordType: 'credit_note', prepared: notes }, (toWrite) => replaceDocuments(tx, CREDIT_NOTE_TABLES, { orgId, documents: toWrite }));

  const allocations = items.flatMap(({ id, creditNote }) => (creditNote.allocation ? [{ id, values: creditNote.allocation, hash: contentHash(creditNote.allocation) }] : []));
  const allocationResults = await storeChanged(tx, { orgId, recordType: 'credit_allocation', prepared: allocations }, async (toWrite, existing) => {
    refuseFrozen(toWrite, existing, 'is already allocated in Xero and Xero allocations cannot be edited: raise another credit note for a different allocation');
    for (const part of chunks(toWrite, 1_000)) {
      await tx
        .insert(creditAllocations)
        .values(part.map((a) => ({ orgId, id: a.id, ...a.values })))
        .onConflictDoUpdate({
          target: [creditAllocations.orgId, creditAllocations.id],
          set: { invoiceId: sql`excluded.invoice_id`, amount: sql`excluded.amount`, date: sql`excluded.date`, updatedAt: sql`now()` },
        });
    }
  });

  const refunds = items.flatMap(({ id, creditNote }) => {
    if (!creditNote.refund) return [];
    const values = { amount: creditNote.refund.amount, date: creditNote.refund.date, reference: creditNote.refund.reference ?? null };
    return [{ id, values, hash: contentHash(values) }];
  });
  const refundResults = await storeChanged(tx, { orgId, recordType: 'credit_refund', prepared: refunds }, async (toWrite, existing) => {
    refuseFrozen(toWrite, existing, 'is already refunded in Xero and Xero payments cannot be edited: raise another credit note for a further refund');
    for (const part of chunks(toWrite, 1_000)) {
      await tx
        .insert(creditRefunds)
        .values(part.map((r) => ({ orgId, id: r.id, ...r.values })))
        .onConflictDoUpdate({
          target: [creditRefunds.orgId, creditRefunds.id],
          set: { amount: sql`excluded.amount`, date: sql`excluded.date`, reference: sql`excluded.reference`, updatedAt: sql`now()` },
        });
    }
  });

  const changed = new Set([...noteResults, ...allocationResults, ...refundResults].filter((r) => r.changed).map((r) => r.id));
  return items.map(({ id }) => ({ id, changed: changed.has(id) }));
}

function refuseFrozen(toWrite: Array<{ id: string }>, existing: Map<string, { xeroId: string | null }>, why: string): void {
  const frozen = toWrite.filter((r) => existing.get(r.id)?.xeroId).map((r) => r.id);
  if (frozen.length > 0) throw new CreditUseFrozenError(`Credit note ${frozen.join(', ')} ${why}.`);
}

export async function getCreditNotesWithLines(db: DbOrTx, { orgId, creditNoteIds }: { orgId: string; creditNoteIds: string[] }): Promise<CreditNoteWithLines[]> {
  if (creditNoteIds.length === 0) return [];
  const [rows, lines] = await Promise.all([
    db.select().from(creditNotes).where(and(eq(creditNotes.orgId, orgId), inArray(creditNotes.id, creditNoteIds))),
    db
      .select()
      .from(creditNoteLines)
      .where(and(eq(creditNoteLines.orgId, orgId), inArray(creditNoteLines.creditNoteId, creditNoteIds)))
      .orderBy(asc(creditNoteLines.creditNoteId), asc(creditNoteLines.lineNo)),
  ]);
  const byNote = groupBy(lines, (l) => l.creditNoteId);
  return rows.map((row) => ({ ...row, lines: byNote.get(row.id) ?? [] }));
}

export function getCreditAllocations(db: DbOrTx, { orgId, ids }: { orgId: string; ids: string[] }): Promise<CreditAllocationRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(creditAllocations).where(and(eq(creditAllocations.orgId, orgId), inArray(creditAllocations.id, ids)));
}

export function getCreditRefunds(db: DbOrTx, { orgId, ids }: { orgId: string; ids: string[] }): Promise<CreditRefundRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(creditRefunds).where(and(eq(creditRefunds.orgId, orgId), inArray(creditRefunds.id, ids)));
}

export interface CreditNoteRecord {
  creditNote: CreditNoteWithLines;
  sync: SyncStateRow | undefined;
  allocation?: { row: CreditAllocationRow; sync: SyncStateRow | undefined };
  refund?: { row: CreditRefundRow; sync: SyncStateRow | undefined };
}

/** One credit note with its lines, its allocation and refund, and the sync state of each. */
export async function getCreditNote(db: DbOrTx, { orgId, creditNoteId }: { orgId: string; creditNoteId: string }): Promise<CreditNoteRecord | undefined> {
  const [found] = await getCreditNotesWithLines(db, { orgId, creditNoteIds: [creditNoteId] });
  if (!found) return undefined;
  const ids = [creditNoteId];
  const [sync, [allocation], [refund], allocationSync, refundSync] = await Promise.all([
    getSyncState(db, { orgId, recordType: 'credit_note', recordId: creditNoteId }),
    getCreditAllocations(db, { orgId, ids }),
    getCreditRefunds(db, { orgId, ids }),
    getSyncState(db, { orgId, recordType: 'credit_allocation', recordId: creditNoteId }),
    getSyncState(db, { orgId, recordType: 'credit_refund', recordId: creditNoteId }),
  ]);
  return {
    creditNote: found,
    sync,
    allocation: allocation && { row: allocation, sync: allocationSync },
    refund: refund && { row: refund, sync: refundSync },
  };
}

export interface XeroCreditNoteState {
  creditNoteId: string;
  status?: string;
  total?: string;
  remainingCredit?: string;
}

/** Xero's status and money for a batch of our credit notes, in one statement. */
export async function recordXeroCreditNoteStates(db: DbOrTx, { orgId, states }: { orgId: string; states: XeroCreditNoteState[] }): Promise<void> {
  if (states.length === 0) return;
  const rows = JSON.stringify(states.map((s) => ({ id: s.creditNoteId, status: s.status ?? null, total: s.total ?? null, remaining: s.remainingCredit ?? null })));
  await db.execute(sql`
    update credit_notes c set
      xero_status = coalesce(r.status, c.xero_status),
      total = coalesce(r.total, c.total),
      remaining_credit = coalesce(r.remaining, c.remaining_credit),
      updated_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as r(id text, status text, total numeric, remaining numeric)
    where c.org_id = ${orgId} and c.id = r.id`);
}
