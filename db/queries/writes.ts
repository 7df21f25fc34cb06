/**
 * Writes as values: a data-modifying statement (insert, update or delete, without RETURNING) that runs
 * alone, or as one step of a larger `with` statement, so the writes of a pushed batch commit together in
 * one statement (one round trip, no transaction to open and close).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';

export type Write = SQL;

/** Runs the writes one after the other (inside the caller's transaction, if any). */
export async function runWrites(db: DbOrTx, writes: Write[]): Promise<void> {
  for (const write of writes) await db.execute(write);
}

/** The writes as steps of a `with` statement: `, w0 as (... returning 1), w1 as (...)`; empty for none. */
export function writeSteps(writes: Write[], prefix = 'w'): SQL {
  if (writes.length === 0) return sql``;
  return sql.join(
    writes.map((w, i) => sql`, ${sql.raw(`${prefix}${i}`)} as (${w} returning 1)`),
    sql``,
  );
}
