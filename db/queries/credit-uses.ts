/**
 * Uses of credit: the Xero ids of the allocations and refunds we pushed, and every use Xero has shown us
 * (ours and those made in Xero), recorded once by Xero's id so each is announced to the main app once.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroCreditUses, type CreditUseKind } from '../schema/index.ts';

/** Stores the Xero ids of pushed allocations or refunds (one statement for a batch), as soon as Xero answered. */
export async function setCreditUseXeroIds(
  db: DbOrTx,
  { orgId, kind, ids }: { orgId: string; kind: CreditUseKind; ids: Array<{ creditNoteId: string; xeroId: string }> },
): Promise<void> {
  if (ids.length === 0) return;
  const rows = JSON.stringify(ids.map((i) => ({ id: i.creditNoteId, xero_id: i.xeroId })));
  if (kind === 'allocation') {
    await db.execute(sql`
      update credit_allocations a set xero_allocation_id = r.xero_id, updated_at = now()
      from jsonb_to_recordset(${rows}::jsonb) as r(id text, xero_id text)
      where a.org_id = ${orgId} and a.id = r.id`);
  } else {
    await db.execute(sql`
      update credit_refunds f set xero_payment_id = r.xero_id, updated_at = now()
      from jsonb_to_recordset(${rows}::jsonb) as r(id text, xero_id text)
      where f.org_id = ${orgId} and f.id = r.id`);
  }
}

export interface XeroCreditUse {
  xeroId: string;
  creditNoteId: string;
  kind: CreditUseKind;
  xeroInvoiceId?: string | null;
  amount: string;
  date?: string | null;
  source: 'platform' | 'xero';
}

/** Records uses of credit Xero has shown; returns those not seen before (the ones to announce). */
export async function recordXeroCreditUses(db: DbOrTx, { orgId, uses }: { orgId: string; uses: XeroCreditUse[] }): Promise<XeroCreditUse[]> {
  if (uses.length === 0) return [];
  const inserted = await db
    .insert(xeroCreditUses)
    .values(uses.map((u) => ({ orgId, xeroId: u.xeroId.toLowerCase(), creditNoteId: u.creditNoteId, kind: u.kind, xeroInvoiceId: u.xeroInvoiceId ?? null, amount: u.amount, date: u.date ?? null, source: u.source })))
    .onConflictDoNothing()
    .returning({ xeroId: xeroCreditUses.xeroId });
  const fresh = new Set(inserted.map((r) => r.xeroId));
  return uses.filter((u) => fresh.has(u.xeroId.toLowerCase()));
}

/** The uses of these credit notes' credit already recorded (lower-cased Xero ids). */
export async function knownXeroCreditUses(db: DbOrTx, { orgId, creditNoteIds }: { orgId: string; creditNoteIds: string[] }): Promise<Set<string>> {
  if (creditNoteIds.length === 0) return new Set();
  const rows = await db
    .select({ xeroId: xeroCreditUses.xeroId })
    .from(xeroCreditUses)
    .where(and(eq(xeroCreditUses.orgId, orgId), inArray(xeroCreditUses.creditNoteId, creditNoteIds)));
  return new Set(rows.map((r) => r.xeroId));
}
