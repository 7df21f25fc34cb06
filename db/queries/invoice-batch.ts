/**
 * A push batch of invoices in ONE statement: each invoice with its lines, and what its contact is in Xero
 * (sync state) and in the platform (email, for the emailing rules).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { invoiceLines, invoices, type SyncState } from '../schema/index.ts';
import type { InvoiceWithLines } from './invoices.ts';
import { columnsOf, jsonRowOf, rowOf } from './table-rows.ts';

/** What is known of an invoice's contact. */
export interface InvoiceContact {
  /** Its sync state; undefined when the platform never sent the contact. */
  sync?: { state: SyncState; xeroId: string | null; lastError: string | null };
  email: string | null;
}

export interface InvoiceBatch {
  invoices: InvoiceWithLines[];
  /** By contact id. */
  contacts: Map<string, InvoiceContact>;
}

export async function getInvoiceBatch(db: DbOrTx, { orgId, invoiceIds }: { orgId: string; invoiceIds: string[] }): Promise<InvoiceBatch> {
  if (invoiceIds.length === 0) return { invoices: [], contacts: new Map() };
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${columnsOf(invoices, 'i')},
      coalesce((select json_agg(${jsonRowOf(invoiceLines, 'l')} order by l.line_no)
                from invoice_lines l where l.org_id = i.org_id and l.invoice_id = i.id), '[]') as lines_json,
      cs.state as contact_state, cs.xero_id as contact_xero_id, cs.last_error as contact_last_error, c.email as contact_email
    from invoices i
    left join sync_state cs on cs.org_id = i.org_id and cs.record_type = 'contact' and cs.record_id = i.contact_id
    left join contacts c on c.org_id = i.org_id and c.id = i.contact_id
    where i.org_id = ${orgId} and i.id = any(array(select jsonb_array_elements_text(${JSON.stringify(invoiceIds)}::jsonb)))`);
  const contacts = new Map<string, InvoiceContact>();
  const batch = rows.map((raw) => {
    const invoice = rowOf(invoices, raw);
    const state = raw['contact_state'] as SyncState | null;
    contacts.set(invoice.contactId, {
      sync: state ? { state, xeroId: raw['contact_xero_id'] as string | null, lastError: raw['contact_last_error'] as string | null } : undefined,
      email: (raw['contact_email'] as string | null) ?? null,
    });
    return { ...invoice, lines: (raw['lines_json'] as Array<Record<string, unknown>>).map((l) => rowOf(invoiceLines, l)) };
  });
  return { invoices: batch, contacts };
}
