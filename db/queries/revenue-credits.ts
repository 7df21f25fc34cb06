/**
 * What is left to recognise of invoices that credit notes were allocated to: per invoice, the share kept
 * (`kept / of`: the invoice's total less what was credited, over its total, in cents). Only credit notes
 * whose lines carry a service period count: those post to deferred revenue, as the invoice's lines did, so
 * their credit comes off what is still to recognise; a credit note without one comes off revenue at once in
 * Xero and leaves recognition whole. Allocations are read as Xero last showed them
 * (`xero_credit_uses`). Voids need nothing here: the invoice's own Xero status says so.
 * journal-plan.ts applies the share: the next journal moves the credited part of what was earned back, and
 * recognises the rest.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import type { RecognisableShare } from '../../lib/revenue-schedule.ts';

export async function creditedSharesOfInvoices(db: DbOrTx, { orgId, invoiceIds }: { orgId: string; invoiceIds: string[] }): Promise<Map<string, RecognisableShare>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await db.execute<{ invoice_id: string; total_cents: string | null; credited_cents: string }>(sql`
    select s.record_id as invoice_id, round(i.total * 100)::bigint::text as total_cents, round(sum(u.amount) * 100)::bigint::text as credited_cents
    from sync_state s
    join invoices i on i.org_id = s.org_id and i.id = s.record_id
    join xero_credit_uses u on u.org_id = s.org_id and u.kind = 'allocation' and lower(u.xero_invoice_id) = lower(s.xero_id)
    where exists (select 1 from credit_note_lines l where l.org_id = u.org_id and l.credit_note_id = u.credit_note_id and l.service_period_start is not null)
      and s.org_id = ${orgId} and s.record_type = 'invoice' and s.record_id in (${sql.join(invoiceIds.map((id) => sql`${id}`), sql`, `)}) and s.xero_id is not null
    group by s.record_id, i.total`);
  const shares = new Map<string, RecognisableShare>();
  for (const row of rows) {
    const of = BigInt(row.total_cents ?? '0');
    if (of <= 0n) continue;
    const credited = BigInt(row.credited_cents);
    shares.set(row.invoice_id, { kept: credited >= of ? 0n : of - credited, of });
  }
  return shares;
}
