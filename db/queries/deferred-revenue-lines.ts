import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { deferredRevenueLines, invoiceLines } from '../schema/index.ts';

export type DeferredRevenueLineRow = Omit<typeof deferredRevenueLines.$inferInsert, 'orgId' | 'recordedAt'>;

/**
 * What these invoices now hold on deferred revenue, as Xero answered their push: each invoice's rows are
 * replaced whole (a line edited out of the deferred account, or off the invoice, loses its row).
 */
export async function replaceDeferredRevenueLines(
  db: DbOrTx,
  { orgId, invoiceIds, lines }: { orgId: string; invoiceIds: string[]; lines: DeferredRevenueLineRow[] },
): Promise<void> {
  if (invoiceIds.length === 0) return;
  await db.delete(deferredRevenueLines).where(and(eq(deferredRevenueLines.orgId, orgId), inArray(deferredRevenueLines.invoiceId, invoiceIds)));
  if (lines.length > 0) await db.insert(deferredRevenueLines).values(lines.map((l) => ({ ...l, orgId })));
}

/** Invoice lines the platform sent with a service period (deferred or not): what recognition would cover. */
export async function countLinesWithServicePeriod(db: DbOrTx, { orgId }: { orgId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.orgId, orgId), isNotNull(invoiceLines.servicePeriodStart)));
  return row?.n ?? 0;
}
