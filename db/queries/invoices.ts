import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { invoiceLines, invoices, type LineTracking, type SyncState } from '../schema/index.ts';
import { groupBy } from '../../lib/group-by.ts';
import { contentHash } from './content-hash.ts';
import { replaceDocuments } from './documents-with-lines.ts';
import { runWrites, type Write } from './writes.ts';
import { storeChanged, type IntakeResult } from './record-intake.ts';
import { getSyncState, type SyncStateRow } from './sync-state.ts';

export interface InvoiceLineInput {
  serviceCode?: string | null;
  description: string;
  quantity: string;
  unitAmount: string;
  taxCode?: string | null;
  servicePeriod?: { start: string; end: string } | null;
  discountRate?: string | null;
  discountAmount?: string | null;
  tracking?: LineTracking | null;
}

export interface InvoiceInput {
  contactId: string;
  number: string;
  reference?: string | null;
  date: string;
  dueDate: string;
  currencyCode?: string | null;
  brandingTheme?: string | null;
  lines: InvoiceLineInput[];
}

/** A voided invoice keeps what it said: Xero refuses to edit a voided or deleted invoice, and so do we. */
export class InvoiceVoidedError extends Error {
  override name = 'InvoiceVoidedError';
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
      // Hashed only when set, so invoices stored before these existed keep their hash (no needless re-push).
      ...optional({ discountRate: line.discountRate, discountAmount: line.discountAmount, tracking: line.tracking && Object.keys(line.tracking).length > 0 ? line.tracking : null }),
    }));
    const hash = contentHash({ ...values, ...optional({ brandingTheme: invoice.brandingTheme }), lines });
    return { id, values: { ...values, brandingTheme: invoice.brandingTheme ?? null }, lines, hash };
  });
  return storeChanged(tx, { orgId, recordType: 'invoice', prepared, state: initialState }, async (toWrite) => {
    const voided = await voidedInvoiceIds(tx, { orgId, invoiceIds: toWrite.map((d) => d.id) });
    if (voided.length > 0) {
      throw new InvoiceVoidedError(`Invoice ${voided.join(', ')} was voided and can no longer change: raise a new invoice (or a credit note) instead.`);
    }
    await replaceDocuments(tx, INVOICE_TABLES, { orgId, documents: toWrite });
  });
}

/** The properties whose value is set (neither null nor undefined). */
function optional<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

async function voidedInvoiceIds(db: DbOrTx, { orgId, invoiceIds }: { orgId: string; invoiceIds: string[] }): Promise<string[]> {
  if (invoiceIds.length === 0) return [];
  const rows = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.orgId, orgId), inArray(invoices.id, invoiceIds), isNotNull(invoices.voidRequestedAt)));
  return rows.map((r) => r.id);
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

/** Invoice headers without their lines (what a payment or allocation needs to know of its invoice). */
export function getInvoiceRows(db: DbOrTx, { orgId, invoiceIds }: { orgId: string; invoiceIds: string[] }): Promise<InvoiceRow[]> {
  if (invoiceIds.length === 0) return Promise.resolve([]);
  return db.select().from(invoices).where(and(eq(invoices.orgId, orgId), inArray(invoices.id, [...new Set(invoiceIds)])));
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
  await runWrites(db, xeroInvoiceStatesWrites({ orgId, states }));
}

/** `recordXeroInvoiceStates` as a write (none for no states). */
export function xeroInvoiceStatesWrites({ orgId, states }: { orgId: string; states: XeroInvoiceState[] }): Write[] {
  if (states.length === 0) return [];
  const rows = JSON.stringify(
    states.map((s) => ({ id: s.invoiceId, status: s.status ?? null, total: s.total ?? null, amount_paid: s.amountPaid ?? null, amount_due: s.amountDue ?? null })),
  );
  return [
    sql`
    with r as (select * from jsonb_to_recordset(${rows}::jsonb) as r(id text, status text, total numeric, amount_paid numeric, amount_due numeric))
    update invoices i set
      xero_status = coalesce(r.status, i.xero_status),
      total = coalesce(r.total, i.total),
      amount_paid = coalesce(r.amount_paid, i.amount_paid),
      amount_due = coalesce(r.amount_due, i.amount_due),
      updated_at = now()
    from r
    -- The id list makes this a primary-key lookup per invoice, never a scan of the organisation's invoices.
    where i.org_id = ${orgId} and i.id = any(array(select id from r)) and i.id = r.id`,
  ];
}

export async function markInvoiceEmailed(db: DbOrTx, { orgId, invoiceId }: { orgId: string; invoiceId: string }): Promise<void> {
  await db.update(invoices).set({ emailedAt: sql`now()` }).where(and(eq(invoices.orgId, orgId), eq(invoices.id, invoiceId)));
}

/** Stores an invoice's online invoice link once; answers the invoice when this call stored it. */
export async function storeOnlineInvoiceUrl(db: DbOrTx, { orgId, invoiceId, url }: { orgId: string; invoiceId: string; url: string }): Promise<InvoiceRow | undefined> {
  const [row] = await db
    .update(invoices)
    .set({ onlineInvoiceUrl: url, updatedAt: sql`now()` })
    .where(and(eq(invoices.orgId, orgId), eq(invoices.id, invoiceId), isNull(invoices.onlineInvoiceUrl)))
    .returning();
  return row;
}
