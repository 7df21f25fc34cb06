/**
 * Reconciliation's read watermarks (`xero_watermarks` feeds `payments` and `invoices`): Xero's own
 * UpdatedDateUTC values, never our clock, so clock skew between us and Xero cannot skip a change.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroWatermarks } from '../schema/index.ts';

/**
 * Moves a read watermark forward, never back (a slower sweep finishing late must not undo a newer one's
 * progress). Call once the effects of what was read up to `to` are committed.
 */
export async function advanceXeroWatermark(db: DbOrTx, { orgId, feed, to }: { orgId: string; feed: string; to: Date }): Promise<void> {
  await db
    .insert(xeroWatermarks)
    .values({ orgId, feed, modifiedSince: to })
    .onConflictDoUpdate({
      target: [xeroWatermarks.orgId, xeroWatermarks.feed],
      set: { modifiedSince: sql`greatest(${xeroWatermarks.modifiedSince}, excluded.modified_since)`, updatedAt: sql`now()` },
    });
}

export async function getXeroWatermark(db: DbOrTx, { orgId, feed }: { orgId: string; feed: string }): Promise<Date | undefined> {
  const [row] = await db.select().from(xeroWatermarks).where(and(eq(xeroWatermarks.orgId, orgId), eq(xeroWatermarks.feed, feed)));
  return row?.modifiedSince;
}
