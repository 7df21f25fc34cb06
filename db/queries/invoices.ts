import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { invoiceLines, invoices, type SyncState } from '../schema/index.ts';
import { groupBy } from '../../lib/group-by.ts';
import { contentHash } from './content-hash.ts';
import { replaceDocuments } from './documents-with-lines.ts';
import { storeChanged, type IntakeResult } from './record-intake.ts';
import { getSyncState, type SyncStateRow } from './sync-state.ts';

export interface InvoiceLineInput {
  serviceCode?: string | null;
  description: string;
  quantity: string;
  unitAmount: string;
  taxCode?: string | null;
  servicePeriod?: { start: string; end: string } | null;
}

export interface InvoiceInput {
  contactId: string;
  number: string;
  reference?: string | null;
  date: string;
  dueDate: string;
  currencyCode?: string | null;
  lines: InvoiceLineInput[];
}

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceWithLines = InvoiceRow & { lines: InvoiceLineRow[] };

/**
 * Stores the platform's invoices (replacing their lines) and queues the changed ones for Xero, in the
 * caller's transaction. `initialState` is `skipped` when the organisation has auto-sync off: such an
 * invoice is pushed on request (`POST .../invoices/{id}/sync`).
 */
export async function upsertInvoices(
  tx: DbOrTx,
  { orgId, items, initialState = 'pending' }: { orgId: string; items: Array<{ id: string; invoice: InvoiceInput }>; initialState?: SyncState },
): Promise<IntakeResult[]> {
  const prepared = items.map(({ id, invoice }) => {
    const values = {
      contactId: invoice.contactId,
      number: invoice.number,
      reference: invoice.reference ?? null,
      date: invoice.date,
      dueDate: invoice.dueDate,
      currencyCode: invoice.currencyCode ?? null,
    };
    const lines = invoice.lines.map((line, i) => ({
      lineNo: i + 1,
      serviceCode: line.serviceCode ?? null,
      description: line.description,
      quantity: line.quantity,
      unitAmount: line.unitAmount,
      taxCode: line.taxCode ?? null,
      servicePeriodStart: line.servicePeriod?.start ?? null,
      servicePeriodEnd: line.servicePeriod?.end ?? null,
    }));
    return { id, values, lines, hash: contentHash({ ...values, lines }) };
  });
  return storeChanged(tx, { orgId, recordType: 'invoice', prepared, state: initialState }, (toWrite) =>
    replaceDocuments(tx, INVOICE_TABLES, { orgId, documents: toWrite }),
  );
}

const INVOICE_TABLES = { header: invoices, lines: invoiceLines, parent: invoiceLines.invoiceId, parentKey: 'invoiceId' };

export async function getInvoice(
  db: DbOrTx,
  { orgId, invoiceId }: { orgId: string; invoiceId: string },
): Promise<{ invoice: InvoiceWithLines; sync: SyncStateRow | undefined } | undefined> {
  const [found] = await getInvoicesWithLines(db, { orgId, invoiceIds: [invoiceId] });
  if (!found) return undefined;
  return { invoice: found, sync: await getSyncState(db, { orgId, recordType: 'invoice', recordId: invoiceId }) };
}

export async function getInvoicesWithLines(db: DbOrTx, { orgId, invoiceIds }: { orgId: string; invoiceIds: string[] }): Promise<InvoiceWithLines[]> {
  if (invoiceIds.length === 0) return [];
  const [rows, lines] = await Promise.all([
    db.select().from(invoices).where(and(eq(invoices.orgId, orgId), inArray(invoices.id, invoiceIds))),
    db
      .select()
      .from(invoiceLines)
      .where(and(eq(invoiceLines.orgId, orgId), inArray(invoiceLines.invoiceId, invoiceIds)))
      .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.lineNo)),
  ]);
  const byInvoice = groupBy(lines, (l) => l.invoiceId);
  return rows.map((row) => ({ ...row, lines: byInvoice.get(row.id) ?? [] }));
}

export interface XeroInvoiceState {
  invoiceId: string;
  status?: string;
  total?: string;
  amountPaid?: string;
  amountDue?: string;
}

/** What Xero answered for a batch of invoices (status and amounts), in one statement. */
export async function recordXeroInvoiceStates(db: DbOrTx, { orgId, states }: { orgId: string; states: XeroInvoiceState[] }): Promise<void> {
  if (states.length === 0) return;
  const rows = JSON.stringify(
    states.map((s) => ({ id: s.invoiceId, status: s.status ?? null, total: s.total ?? null, amount_paid: s.amountPaid ?? null, amount_due: s.amountDue ?? null })),
  );
  await db.execute(sql`
    update invoices i set
      xero_status = coalesce(r.status, i.xero_status),
      total = coalesce(r.total, i.total),
      amount_paid = coalesce(r.amount_paid, i.amount_paid),
      amount_due = coalesce(r.amount_due, i.amount_due),
      updated_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as r(id text, status text, total numeric, amount_paid numeric, amount_due numeric)
    where i.org_id = ${orgId} and i.id = r.id`);
}

export async function markInvoiceEmailed(db: DbOrTx, { orgId, invoiceId }: { orgId: string; invoiceId: string }): Promise<void> {
  await db.update(invoices).set({ emailedAt: sql`now()` }).where(and(eq(invoices.orgId, orgId), eq(invoices.id, invoiceId)));
}
