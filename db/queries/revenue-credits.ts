/**
 * What is left to recognise of invoices that credit notes were allocated to: per invoice, the share kept
 * (`kept / of`: the invoice's total less what was credited, over its total). Voids need nothing here (the
 * invoice's own Xero status says so).
 *
 * Not wired yet: credit notes and their allocations are not stored by this service in this version, so no
 * invoice is known to be credited and every standing invoice is recognised whole. Once allocations are
 * stored (per invoice, in the invoice's currency), this reads them; journal-plan.ts already applies the
 * share (the next journal moves the credited part of what was earned back, and recognises the rest).
 */
import type { DbOrTx } from '../client.ts';
import type { RecognisableShare } from '../../lib/revenue-schedule.ts';

export async function creditedSharesOfInvoices(_db: DbOrTx, { invoiceIds }: { orgId: string; invoiceIds: string[] }): Promise<Map<string, RecognisableShare>> {
  void invoiceIds;
  return new Map();
}
