/**
 * Organisations whose pending work may have missed its wake: the API committed the record but its
 * signal never reached Temporal. "Missed" = changed more than `olderThanMs` ago and not attempted since
 * the change; work the workflow has tried and deferred is its own business (it keeps its own timers), except
 * new contacts held by the Xero contact limit, which are due again when the hold's day is over.
 * At scale this wants `create index on sync_state (updated_at) where state = 'pending'`.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';

/** Only one worker sweeps at a time (a transaction-scoped advisory lock); the others skip the sweep. */
export const STALE_PENDING_SWEEP_LOCK = 728_361_101;

export async function tryLockStalePendingSweep(tx: DbOrTx): Promise<boolean> {
  const [row] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${STALE_PENDING_SWEEP_LOCK}) as locked`);
  return row?.locked === true;
}

export async function listOrgsWithStalePendingWork(
  db: DbOrTx,
  { olderThanMs, limit }: { olderThanMs: number; limit: number },
): Promise<Array<{ orgId: string; newestChange: string }>> {
  // Also: new contacts held by the organisation's Xero contact limit once the hold's day is over (they
  // were attempted, so only the hold's end says they are due again).
  const rows = await db.execute<{ org_id: string; newest_change: string }>(sql`
    select org_id, max(updated_at)::text as newest_change
    from sync_state s
    where state = 'pending'
      and ((updated_at <= now() - make_interval(secs => ${olderThanMs / 1000})
            and (last_attempt_at is null or last_attempt_at < updated_at))
        or (record_type = 'contact' and xero_id is null
            and exists (select 1 from xero_contact_limits l where l.org_id = s.org_id and l.retry_at <= now())))
    group by org_id
    order by min(updated_at)
    limit ${limit}`);
  return rows.map((r) => ({ orgId: r.org_id, newestChange: r.newest_change }));
}
