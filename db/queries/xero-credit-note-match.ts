/**
 * Which platform credit notes Xero's credit notes are (by the Xero id in sync_state, or by number for one
 * whose id we never learned), with what the platform asked to do with their credit.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import type { SyncState } from '../schema/index.ts';

export interface OurCreditNote {
  creditNoteId: string;
  number: string;
  xeroStatus: string | null;
  xeroId: string | null;
  allocation: { xeroId: string | null; invoiceId: string; amount: string; date: string; state: SyncState | null } | null;
  refund: { xeroId: string | null; amount: string; date: string; reference: string | null; state: SyncState | null } | null;
}

export async function findCreditNotesForXero(db: DbOrTx, { orgId, xeroIds, numbers }: { orgId: string; xeroIds: string[]; numbers: string[] }): Promise<OurCreditNote[]> {
  if (xeroIds.length === 0 && numbers.length === 0) return [];
  const ids = JSON.stringify(xeroIds.map((id) => id.toLowerCase()));
  const rows = await db.execute<{
    id: string;
    number: string;
    xero_status: string | null;
    xero_id: string | null;
    a_xero_id: string | null;
    a_invoice_id: string | null;
    a_amount: string | null;
    a_date: string | null;
    a_state: SyncState | null;
    r_xero_id: string | null;
    r_amount: string | null;
    r_date: string | null;
    r_reference: string | null;
    r_state: SyncState | null;
  }>(sql`
    select c.id, c.number, c.xero_status, s.xero_id,
      a.xero_allocation_id as a_xero_id, a.invoice_id as a_invoice_id, a.amount::text as a_amount, a.date::text as a_date, sa.state as a_state,
      r.xero_payment_id as r_xero_id, r.amount::text as r_amount, r.date::text as r_date, r.reference as r_reference, sr.state as r_state
    from credit_notes c
    left join sync_state s on s.org_id = c.org_id and s.record_type = 'credit_note' and s.record_id = c.id
    left join credit_allocations a on a.org_id = c.org_id and a.id = c.id
    left join sync_state sa on sa.org_id = c.org_id and sa.record_type = 'credit_allocation' and sa.record_id = c.id
    left join credit_refunds r on r.org_id = c.org_id and r.id = c.id
    left join sync_state sr on sr.org_id = c.org_id and sr.record_type = 'credit_refund' and sr.record_id = c.id
    where c.org_id = ${orgId}
      and (lower(s.xero_id) in (select jsonb_array_elements_text(${ids}::jsonb))
        or (s.xero_id is null and c.number in (select jsonb_array_elements_text(${JSON.stringify(numbers)}::jsonb))))
    order by c.id
    for update of c`);
  return rows.map((r) => ({
    creditNoteId: r.id,
    number: r.number,
    xeroStatus: r.xero_status,
    xeroId: r.xero_id,
    allocation: r.a_invoice_id ? { xeroId: r.a_xero_id, invoiceId: r.a_invoice_id, amount: r.a_amount!, date: r.a_date!, state: r.a_state } : null,
    refund: r.r_amount ? { xeroId: r.r_xero_id, amount: r.r_amount, date: r.r_date!, reference: r.r_reference, state: r.r_state } : null,
  }));
}
