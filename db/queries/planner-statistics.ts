/**
 * Planner statistics for the tables a push reads by key. Autovacuum analyses a table once a tenth of it
 * changed, at most once a minute; an import (or a resync) changes most of an organisation's rows at once,
 * and pushing starts straight after. Until the next analysis the planner believes the organisation has a
 * handful of records, and picks plans (a hash join over a whole type, an index on the wrong column) that
 * make every batch cost as much as the queue. So a drain first brings the statistics up to date when a
 * table changed that much since its last analysis: one worker at a time, a fraction of a second per table.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';

/** Read by key in every batch (the queue, the records, what they depend on). */
const PUSHED_TABLES = [
  'sync_state', 'contacts', 'invoices', 'invoice_lines', 'expenses', 'expense_lines', 'payments',
  'credit_notes', 'credit_note_lines', 'credit_allocations', 'credit_refunds', 'xero_contact_index', 'deferred_revenue_lines',
];

/** Changed rows since the last analysis, beyond which ours runs (autovacuum's own trigger is lower, 50 + 10%). */
const STALE_ROWS = sql`greatest(1000, 0.2 * n_live_tup)`;

/** Analyses the tables whose statistics an import or resync has outdated; answers which it analysed. */
export async function refreshStaleStatistics(db: DbOrTx): Promise<string[]> {
  const stale = await db.execute<{ relname: string }>(sql`
    select relname from pg_stat_user_tables
    where schemaname = current_schema() and relname in ${PUSHED_TABLES} and n_mod_since_analyze > ${STALE_ROWS}`);
  if (stale.length === 0) return [];
  const tables = stale.map((t) => t.relname).filter((name) => PUSHED_TABLES.includes(name));
  return db.transaction(async (tx) => {
    // Another worker analysing right now does it for everyone.
    const [lock] = await tx.execute<{ taken: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext('xero-sync:analyze')) as taken`);
    if (!lock?.taken) return [];
    await tx.execute(sql.raw(`analyze ${tables.map((t) => `"${t}"`).join(', ')}`));
    return tables;
  });
}
