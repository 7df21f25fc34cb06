/**
 * Which platform invoices Xero's invoices are, and Xero's view of them recorded on ours. An invoice is ours
 * when its Xero id is in sync_state; one whose id we never learned (an answer lost in a crash) is recognised
 * by its number, our stable reference in Xero.
 */
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { invoices, syncState, type SyncState } from '../schema/index.ts';

export interface OurInvoice {
  invoiceId: string;
  number: string;
  /** Xero's total as Xero answered our last push (null until pushed). */
  total: string | null;
  amountPaid: string;
  amountDue: string | null;
  xeroStatus: string | null;
  onlineInvoiceUrl: string | null;
  /** From sync_state; null when we never learned it (matched by number). */
  xeroId: string | null;
  syncState: SyncState | null;
}

/**
 * Our invoices among Xero's `xeroIds` (any case) and, for those we hold no Xero id for, `numbers`.
 * `lock`: FOR UPDATE of the invoice rows, so two readers of the same invoice apply Xero's view one at a time.
 */
export async function findInvoicesForXero(
  db: DbOrTx,
  { orgId, xeroIds, numbers = [], lock = false }: { orgId: string; xeroIds: string[]; numbers?: string[]; lock?: boolean },
): Promise<OurInvoice[]> {
  if (xeroIds.length === 0 && numbers.length === 0) return [];
  const byId = xeroIds.length > 0 ? inArray(sql`lower(${syncState.xeroId})`, xeroIds.map((id) => id.toLowerCase())) : undefined;
  const byNumber = numbers.length > 0 ? and(isNull(syncState.xeroId), inArray(invoices.number, numbers)) : undefined;
  const query = db
    .select({
      invoiceId: invoices.id,
      number: invoices.number,
      total: invoices.total,
      amountPaid: invoices.amountPaid,
      amountDue: invoices.amountDue,
      xeroStatus: invoices.xeroStatus,
      onlineInvoiceUrl: invoices.onlineInvoiceUrl,
      xeroId: syncState.xeroId,
      syncState: syncState.state,
    })
    .from(invoices)
    .leftJoin(syncState, and(eq(syncState.orgId, invoices.orgId), eq(syncState.recordType, 'invoice'), eq(syncState.recordId, invoices.id)))
    .where(and(eq(invoices.orgId, orgId), or(byId, byNumber)))
    .orderBy(invoices.id);
  return lock ? query.for('update', { of: invoices }) : query;
}

/** Xero's status and money for one of our invoices (its total is left alone: that is what we pushed). */
export async function recordXeroInvoiceFigures(
  db: DbOrTx,
  { orgId, invoiceId, status, amountPaid, amountDue }: { orgId: string; invoiceId: string; status: string; amountPaid: string; amountDue: string },
): Promise<void> {
  await db
    .update(invoices)
    .set({ xeroStatus: status, amountPaid, amountDue, updatedAt: sql`now()` })
    .where(and(eq(invoices.orgId, orgId), eq(invoices.id, invoiceId)));
}
