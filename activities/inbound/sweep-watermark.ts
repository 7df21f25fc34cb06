/**
 * Where a reconciliation feed starts reading: its watermark (Xero's own UpdatedDateUTC of the last record
 * read, a millisecond back, so ties at a page boundary are read again rather than skipped: applying Xero's
 * view twice changes nothing). Before the first sweep: a day before the organisation connected (what
 * happened in Xero before that is not ours to reconcile; the day absorbs any skew between our clock and Xero's).
 */
import type { DbOrTx } from '../../db/client.ts';
import { getConnection } from '../../db/queries/connections.ts';
import { getXeroWatermark } from '../../db/queries/xero-watermarks.ts';

export type SweepFeed = 'payments' | 'invoices';

const FIRST_SWEEP_LOOKBACK_MS = 24 * 60 * 60_000;

export async function sweepStart(db: DbOrTx, { orgId, feed }: { orgId: string; feed: SweepFeed }): Promise<Date | undefined> {
  const watermark = await getXeroWatermark(db, { orgId, feed });
  if (watermark) return watermark;
  const connectedAt = (await getConnection(db, { orgId }))?.connectedAt;
  return connectedAt ? new Date(connectedAt.getTime() - FIRST_SWEEP_LOOKBACK_MS) : undefined;
}

/** The watermark after a page whose newest record was changed at `newest`. */
export function nextWatermark(newest: string | undefined): string | undefined {
  return newest ? new Date(Date.parse(newest) - 1).toISOString() : undefined;
}
