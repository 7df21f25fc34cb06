import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { payments } from '../schema/index.ts';
import { chunks } from '../../lib/chunks.ts';
import { contentHash } from './content-hash.ts';
import { storeChanged, type IntakeResult } from './record-intake.ts';
import { getSyncState, type SyncStateRow } from './sync-state.ts';

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

/**
 * Stores receipts taken in the platform and queues the changed ones as payments for Xero. A receipt
 * already paid into Xero cannot change (Xero payments are deleted and made again, never edited).
 */
export async function upsertReceipts(tx: DbOrTx, { orgId, items }: { orgId: string; items: Array<{ id: string; receipt: ReceiptInput }> }): Promise<IntakeResult[]> {
  const prepared = items.map(({ id, receipt }) => {
    const values = { invoiceId: receipt.invoiceId, amount: receipt.amount, date: receipt.date, reference: receipt.reference ?? null };
    return { id, values, hash: contentHash(values) };
  });
  return storeChanged(tx, { orgId, recordType: 'payment', prepared }, async (toWrite, existing) => {
    const frozen = toWrite.filter((p) => existing.get(p.id)?.xeroId).map((p) => p.id);
    if (frozen.length > 0) {
      throw new ReceiptFrozenError(
        `Receipt ${frozen.join(', ')} is already a payment in Xero and Xero payments cannot be edited: reverse it (POST .../payments/{id}/reverse) and record a new receipt with a new id instead.`,
      );
    }
    const reversed = await reversedAmong(tx, { orgId, paymentIds: toWrite.map((p) => p.id) });
    if (reversed.length > 0) {
      throw new ReceiptFrozenError(`Receipt ${reversed.join(', ')} was reversed and cannot change: record a new receipt with a new id instead.`);
    }
    for (const part of chunks(toWrite, 1_000)) {
      await tx
        .insert(payments)
        .values(part.map((p) => ({ orgId, id: p.id, source: 'platform' as const, ...p.values })))
        .onConflictDoUpdate({
          target: [payments.orgId, payments.id],
          set: { invoiceId: sql`excluded.invoice_id`, amount: sql`excluded.amount`, date: sql`excluded.date`, reference: sql`excluded.reference`, updatedAt: sql`now()` },
          // A payment recorded from Xero is Xero's, not the platform's to overwrite.
          setWhere: sql`${payments.source} = 'platform'`,
        });
    }
  });
}

async function reversedAmong(tx: DbOrTx, { orgId, paymentIds }: { orgId: string; paymentIds: string[] }): Promise<string[]> {
  if (paymentIds.length === 0) return [];
  const rows = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), inArray(payments.id, paymentIds), isNotNull(payments.reversedAt)));
  return rows.map((r) => r.id);
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

/** Stores the Xero ids of pushed receipts (one statement for a batch), as soon as Xero has answered. */
export async function setPaymentXeroIds(db: DbOrTx, { orgId, ids }: { orgId: string; ids: Array<{ paymentId: string; xeroPaymentId: string }> }) {
  if (ids.length === 0) return;
  const rows = JSON.stringify(ids.map((i) => ({ id: i.paymentId, xero_payment_id: i.xeroPaymentId })));
  await db.execute(sql`
    update payments p set xero_payment_id = r.xero_payment_id, updated_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as r(id text, xero_payment_id text)
    where p.org_id = ${orgId} and p.id = r.id`);
}
