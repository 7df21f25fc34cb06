/**
 * Receipts the platform reverses. Xero payments cannot be edited, only deleted (`POST /Payments/{id}` with
 * `{"Status":"DELETED"}`), so a reversal marks the receipt reversed and queues its deletion in Xero: the
 * receipt's own sync state goes back to pending, still holding Xero's payment id, and the organisation's
 * workflow deletes it through its pacer, one payment per call.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { payments, syncState } from '../schema/index.ts';
import { appendSyncLog } from './sync-log.ts';
import type { SyncStateRow } from './sync-state.ts';

/** A payment sync row (alias `s`) whose receipt the platform reversed: with a Xero id, it is a deletion to make. */
export const reversedReceipt = sql`exists (
  select 1 from payments p where p.org_id = s.org_id and p.id = s.record_id and p.reversed_at is not null)`;

export type ReversalRequest = 'not_found' | 'made_in_xero' | 'already_reversed' | 'reversed';

/**
 * Reverses a receipt taken in the platform: once, whoever asks twice. A receipt Xero never took needs no
 * call (its push finds it reversed and leaves Xero alone); one Xero holds is deleted there next.
 */
export async function requestReceiptReversal(tx: DbOrTx, { orgId, paymentId, requestedBy }: { orgId: string; paymentId: string; requestedBy?: string }): Promise<ReversalRequest> {
  const [payment] = await tx.select().from(payments).where(and(eq(payments.orgId, orgId), eq(payments.id, paymentId))).for('update');
  if (!payment) return 'not_found';
  if (payment.source !== 'platform') return 'made_in_xero';
  if (payment.reversedAt) return 'already_reversed';
  await tx.update(payments).set({ reversedAt: sql`now()`, updatedAt: sql`now()` }).where(and(eq(payments.orgId, orgId), eq(payments.id, paymentId)));
  // A new version: a push of the receipt in flight right now comes back to pending, and is deleted next.
  await tx
    .update(syncState)
    .set({ state: 'pending', version: sql`${syncState.version} + 1`, attempts: 0, lastError: null, lastErrorHint: null, updatedAt: sql`now()` })
    .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'payment'), eq(syncState.recordId, paymentId)));
  await appendSyncLog(tx, [
    {
      orgId,
      recordType: 'payment',
      recordId: paymentId,
      action: 'reversal_requested',
      outcome: 'ok',
      message: `Reversal requested${requestedBy ? ` by ${requestedBy}` : ''}: the payment is deleted in Xero next (if Xero holds it).`,
    },
  ]);
  return 'reversed';
}

/** Claims ONE reversed receipt whose payment Xero still holds (or finds the one this claim took before). */
export async function claimReversal(db: DbOrTx, { orgId, claimId }: { orgId: string; claimId: string }): Promise<SyncStateRow | undefined> {
  const held = () => db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.claimId, claimId)));
  const [already] = await held();
  if (already) return already;
  const claimed = await db.execute<{ record_id: string }>(sql`
    with next as (
      select s.record_id from sync_state s
      where s.org_id = ${orgId} and s.record_type = 'payment' and s.state = 'pending' and s.xero_id is not null
        and (s.claim_id is null or s.claimed_at < now() - interval '15 minutes')
        and ${reversedReceipt}
      order by s.updated_at
      limit 1
      for update of s skip locked)
    update sync_state u set claim_id = ${claimId}, claimed_at = now()
    where u.org_id = ${orgId} and u.record_type = 'payment' and u.record_id = any(array(select record_id from next))
    returning u.record_id`);
  if (claimed.length === 0) return undefined;
  const [row] = await held();
  return row;
}
