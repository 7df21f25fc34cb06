/**
 * Payments found in Xero, recorded once by Xero's payment id (the partial unique index
 * `payments_xero_payment_uq` makes a second insert of the same payment a no-op, whoever races), and
 * payments deleted in Xero, reversed (never forgotten).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { payments, syncState, type SyncState } from '../schema/index.ts';

export interface InvoicePayment {
  id: string;
  invoiceId: string;
  amount: string;
  date: string;
  reference: string | null;
  source: 'platform' | 'xero';
  xeroPaymentId: string | null;
  reversedAt: Date | null;
  updatedAt: Date;
  /** A platform receipt's push state (null for payments recorded from Xero). */
  syncState: SyncState | null;
}

export async function listPaymentsOfInvoices(db: DbOrTx, { orgId, invoiceIds }: { orgId: string; invoiceIds: string[] }): Promise<InvoicePayment[]> {
  if (invoiceIds.length === 0) return [];
  return db
    .select({
      id: payments.id,
      invoiceId: payments.invoiceId,
      amount: payments.amount,
      date: payments.date,
      reference: payments.reference,
      source: payments.source,
      xeroPaymentId: payments.xeroPaymentId,
      reversedAt: payments.reversedAt,
      updatedAt: payments.updatedAt,
      syncState: syncState.state,
    })
    .from(payments)
    .leftJoin(syncState, and(eq(syncState.orgId, payments.orgId), eq(syncState.recordType, 'payment'), eq(syncState.recordId, payments.id)))
    .where(and(eq(payments.orgId, orgId), inArray(payments.invoiceId, invoiceIds)))
    .orderBy(payments.createdAt, payments.id);
}

/** Which of these Xero payment ids are recorded here, and whether reversed. */
export async function findPaymentsByXeroIds(
  db: DbOrTx,
  { orgId, xeroPaymentIds }: { orgId: string; xeroPaymentIds: string[] },
): Promise<Array<{ xeroPaymentId: string; reversed: boolean }>> {
  if (xeroPaymentIds.length === 0) return [];
  const rows = await db
    .select({ xeroPaymentId: payments.xeroPaymentId, reversedAt: payments.reversedAt })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), inArray(sql`lower(${payments.xeroPaymentId})`, xeroPaymentIds.map((id) => id.toLowerCase()))));
  return rows.map((r) => ({ xeroPaymentId: r.xeroPaymentId!.toLowerCase(), reversed: r.reversedAt !== null }));
}

export interface XeroPaymentToRecord {
  invoiceId: string;
  xeroPaymentId: string;
  amount: string;
  date: string;
  reference: string | null;
}

/** The local id of a payment made in Xero: derived from Xero's, so it is the same however it is found. */
export const xeroPaymentLocalId = (xeroPaymentId: string) => `xero-${xeroPaymentId.toLowerCase()}`;

/** Inserts the payments not recorded yet and returns those (each Xero payment once, whoever races). */
export async function insertXeroPayments(db: DbOrTx, { orgId, items }: { orgId: string; items: XeroPaymentToRecord[] }) {
  if (items.length === 0) return [];
  return db
    .insert(payments)
    .values(
      items.map((p) => ({
        orgId,
        id: xeroPaymentLocalId(p.xeroPaymentId),
        invoiceId: p.invoiceId,
        amount: p.amount,
        date: p.date,
        reference: p.reference,
        source: 'xero' as const,
        xeroPaymentId: p.xeroPaymentId,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: payments.id, invoiceId: payments.invoiceId, xeroPaymentId: payments.xeroPaymentId, amount: payments.amount, date: payments.date, reference: payments.reference });
}

/** Marks payments reversed (deleted in Xero); returns those that were not already. */
export async function reversePayments(db: DbOrTx, { orgId, paymentIds }: { orgId: string; paymentIds: string[] }) {
  if (paymentIds.length === 0) return [];
  return db
    .update(payments)
    .set({ reversedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(payments.orgId, orgId), inArray(payments.id, paymentIds), isNull(payments.reversedAt)))
    .returning({ id: payments.id, invoiceId: payments.invoiceId, xeroPaymentId: payments.xeroPaymentId, amount: payments.amount, source: payments.source });
}
