import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { invoiceLines, type deferredRevenueLines } from '../schema/index.ts';
import { runWrites, type Write } from './writes.ts';

export type DeferredRevenueLineRow = Omit<typeof deferredRevenueLines.$inferInsert, 'orgId' | 'recordedAt'>;

/**
 * What these invoices now hold on deferred revenue, as Xero answered their push: each invoice's rows are
 * replaced whole (a line edited out of the deferred account, or off the invoice, loses its row).
 */
export async function replaceDeferredRevenueLines(
  db: DbOrTx,
  args: { orgId: string; invoiceIds: string[]; lines: DeferredRevenueLineRow[] },
): Promise<void> {
  await runWrites(db, deferredRevenueLinesWrites(args));
}

/**
 * `replaceDeferredRevenueLines` as writes that touch disjoint rows (so they may run as steps of one
 * statement): the invoices' rows not among the new ones go, the new ones are written over what was there.
 */
export function deferredRevenueLinesWrites({ orgId, invoiceIds, lines }: { orgId: string; invoiceIds: string[]; lines: DeferredRevenueLineRow[] }): Write[] {
  if (invoiceIds.length === 0) return [];
  // The rows as one json parameter: this runs for every batch of invoices pushed.
  const rows = JSON.stringify(
    lines.map((l) => ({
      invoice_id: l.invoiceId, line_no: l.lineNo, deferred_account_code: l.deferredAccountCode, revenue_account_code: l.revenueAccountCode,
      service_start: l.serviceStart, service_end: l.serviceEnd, line_amount: l.lineAmount, tax_amount: l.taxAmount,
      line_amount_types: l.lineAmountTypes, currency_code: l.currencyCode, currency_rate: l.currencyRate, net_amount: l.netAmount,
    })),
  );
  const incoming = sql`jsonb_to_recordset(${rows}::jsonb) as n(invoice_id text, line_no int, deferred_account_code text,
      revenue_account_code text, service_start date, service_end date, line_amount numeric, tax_amount numeric, line_amount_types text,
      currency_code text, currency_rate numeric, net_amount numeric)`;
  const removed = sql`
    delete from deferred_revenue_lines d
    where d.org_id = ${orgId} and d.invoice_id = any(array(select jsonb_array_elements_text(${JSON.stringify(invoiceIds)}::jsonb)))
      and not exists (select 1 from ${incoming} where n.invoice_id = d.invoice_id and n.line_no = d.line_no)`;
  if (lines.length === 0) return [removed];
  const written = sql`
    insert into deferred_revenue_lines (org_id, invoice_id, line_no, deferred_account_code, revenue_account_code, service_start, service_end,
      line_amount, tax_amount, line_amount_types, currency_code, currency_rate, net_amount)
    select ${orgId}, n.invoice_id, n.line_no, n.deferred_account_code, n.revenue_account_code, n.service_start, n.service_end,
      n.line_amount, n.tax_amount, n.line_amount_types, n.currency_code, n.currency_rate, n.net_amount
    from ${incoming}
    on conflict (org_id, invoice_id, line_no) do update set
      deferred_account_code = excluded.deferred_account_code, revenue_account_code = excluded.revenue_account_code,
      service_start = excluded.service_start, service_end = excluded.service_end, line_amount = excluded.line_amount,
      tax_amount = excluded.tax_amount, line_amount_types = excluded.line_amount_types, currency_code = excluded.currency_code,
      currency_rate = excluded.currency_rate, net_amount = excluded.net_amount, recorded_at = now()`;
  return [removed, written];
}

/** Invoice lines the platform sent with a service period (deferred or not): what recognition would cover. */
export async function countLinesWithServicePeriod(db: DbOrTx, { orgId }: { orgId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.orgId, orgId), isNotNull(invoiceLines.servicePeriodStart)));
  return row?.n ?? 0;
}
