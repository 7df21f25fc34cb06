import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { payments } from '../schema/index.ts';
import { contentHash } from './content-hash.ts';
import { ensureOrganisation } from './organisations.ts';
import { getSyncState, markRecordPending, type SyncStateRow } from './sync-state.ts';

export interface ReceiptInput {
  invoiceId: string;
  amount: string;
  date: string;
  reference?: string | null;
}

export type PaymentRow = typeof payments.$inferSelect;

/** Xero payments cannot be edited, only deleted and made again: a receipt already in Xero is frozen. */
export class ReceiptFrozenError extends Error {
  override name = 'ReceiptFrozenError';
}

/** Stores a receipt taken in the platform and queues it as a payment for Xero. */
export async function upsertReceipt(
  tx: DbOrTx,
  { orgId, paymentId, receipt }: { orgId: string; paymentId: string; receipt: ReceiptInput },
): Promise<{ changed: boolean }> {
  await ensureOrganisation(tx, { orgId });
  const values = { invoiceId: receipt.invoiceId, amount: receipt.amount, date: receipt.date, reference: receipt.reference ?? null };
  const hash = contentHash(values);
  const existing = await getSyncState(tx, { orgId, recordType: 'payment', recordId: paymentId });
  if (existing?.contentHash === hash) return { changed: false };
  if (existing?.xeroId) {
    throw new ReceiptFrozenError('This receipt is already a payment in Xero and Xero payments cannot be edited: record a reversal and a new receipt instead.');
  }
  await tx
    .insert(payments)
    .values({ orgId, id: paymentId, source: 'platform', ...values })
    .onConflictDoUpdate({ target: [payments.orgId, payments.id], set: { ...values, updatedAt: sql`now()` }, setWhere: sql`${payments.source} = 'platform'` });
  return markRecordPending(tx, { orgId, recordType: 'payment', recordId: paymentId, hash });
}

export async function getPayment(
  db: DbOrTx,
  { orgId, paymentId }: { orgId: string; paymentId: string },
): Promise<{ payment: PaymentRow; sync: SyncStateRow | undefined } | undefined> {
  const [payment] = await db.select().from(payments).where(and(eq(payments.orgId, orgId), eq(payments.id, paymentId)));
  if (!payment) return undefined;
  return { payment, sync: await getSyncState(db, { orgId, recordType: 'payment', recordId: paymentId }) };
}

export async function getPaymentsByIds(db: DbOrTx, { orgId, paymentIds }: { orgId: string; paymentIds: string[] }): Promise<PaymentRow[]> {
  if (paymentIds.length === 0) return [];
  return db.select().from(payments).where(and(eq(payments.orgId, orgId), inArray(payments.id, paymentIds)));
}

export async function setPaymentXeroId(db: DbOrTx, { orgId, paymentId, xeroPaymentId }: { orgId: string; paymentId: string; xeroPaymentId: string }) {
  await db.update(payments).set({ xeroPaymentId, updatedAt: sql`now()` }).where(and(eq(payments.orgId, orgId), eq(payments.id, paymentId)));
}
