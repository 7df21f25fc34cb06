/**
 * The gauges an operator scrapes (`/metrics`): how much waits across the whole deployment. Deliberately not
 * scoped by organisation: aggregates only, no organisation's data leaves them. Each is cheap: the outbox's
 * undelivered rows and the pending sync states are read through partial indexes that hold only those rows,
 * and the three statements run under a statement timeout so a slow database costs a scrape, not the worker.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import type { RecordType } from '../schema/index.ts';

export interface OperatorGauges {
  /** Events for the main app not yet delivered. */
  outboxDepth: number;
  /** When the oldest of them was written; null when none waits. */
  oldestUndeliveredAt: Date | null;
  /** Records waiting to be pushed, by type. */
  pendingByType: Partial<Record<RecordType, number>>;
}

export async function readOperatorGauges(db: Db, { timeoutMs }: { timeoutMs: number }): Promise<OperatorGauges> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`);
      const [outbox] = await tx.execute<{ depth: number; oldest: Date | string | null }>(sql`
        select count(*)::int as depth, min(created_at) as oldest from outbound_events where delivered_at is null`);
      const pending = await tx.execute<{ record_type: RecordType; n: number }>(sql`
        select record_type, count(*)::int as n from sync_state where state = 'pending' group by record_type`);
      return {
        outboxDepth: outbox?.depth ?? 0,
        oldestUndeliveredAt: outbox?.oldest ? new Date(outbox.oldest) : null,
        pendingByType: Object.fromEntries(pending.map((row) => [row.record_type, row.n])),
      };
    },
    { accessMode: 'read only' },
  );
}
