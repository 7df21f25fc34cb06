import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';

/** The database's clock (compared with timestamps the database wrote, so our clock's skew does not matter). */
export async function databaseNow(db: DbOrTx): Promise<Date> {
  const [row] = await db.execute<{ now: string }>(sql`select clock_timestamp() as now`);
  return new Date(row!.now);
}
