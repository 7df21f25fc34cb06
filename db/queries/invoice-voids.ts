/**
 * Voiding an invoice from the platform: the request is recorded on the invoice (whose content stays as it
 * was) and its sync state is queued again, so the organisation's workflow sends Xero the status change at
 * its pace. Money already applied to the invoice (payments, credit) means it cannot be voided: Xero refuses
 * that too, and the way out is a credit note.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';

export interface MoneyApplied {
  /** Xero's last known figures show money paid or credited. */
  inXero: boolean;
  /** Receipts the platform recorded (not reversed). */
  receipts: number;
  /** Credit allocations to this invoice, pushed or on their way. */
  allocations: number;
}

/** What is known of money applied to the invoice, in Xero and in our records; undefined when there is no such invoice. */
export async function moneyAppliedToInvoice(db: DbOrTx, { orgId, invoiceId }: { orgId: string; invoiceId: string }): Promise<MoneyApplied | undefined> {
  const [row] = await db.execute<{ in_xero: boolean; receipts: number; allocations: number }>(sql`
    select
      (i.xero_status = 'PAID' or i.amount_paid > 0 or (i.total is not null and i.amount_due is not null and i.amount_due < i.total)) as in_xero,
      (select count(*)::int from payments p where p.org_id = i.org_id and p.invoice_id = i.id and p.reversed_at is null) as receipts,
      (select count(*)::int from credit_allocations a
         join sync_state s on s.org_id = a.org_id and s.record_type = 'credit_allocation' and s.record_id = a.id
         where a.org_id = i.org_id and a.invoice_id = i.id and s.state <> 'failed') as allocations
    from invoices i
    where i.org_id = ${orgId} and i.id = ${invoiceId}`);
  return row && { inXero: row.in_xero === true, receipts: row.receipts, allocations: row.allocations };
}

/**
 * Records the void request once (a second request changes nothing) and queues the invoice: pending when Xero
 * holds it or may be about to, skipped when it never reached Xero and is not on its way (nothing to undo).
 * Answers whether this call made the request.
 */
export async function requestInvoiceVoid(db: DbOrTx, { orgId, invoiceId }: { orgId: string; invoiceId: string }): Promise<boolean> {
  const marked = await db.execute(sql`
    update invoices set void_requested_at = now(), updated_at = now()
    where org_id = ${orgId} and id = ${invoiceId} and void_requested_at is null
    returning id`);
  if (marked.length === 0) return false;
  // A new version: a push in flight for the old content goes back to pending instead of ending synced.
  await db.execute(sql`
    update sync_state set
      state = case when xero_id is null and state <> 'pending' then 'skipped' else 'pending' end,
      version = version + 1,
      content_hash = content_hash || ':void',
      attempts = 0, last_error = null, last_error_hint = null, updated_at = now()
    where org_id = ${orgId} and record_type = 'invoice' and record_id = ${invoiceId}`);
  return true;
}
