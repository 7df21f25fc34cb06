/**
 * A connection that dies under a transaction (PostgreSQL killed, as in `npm run drill -- --only postgres-kill`;
 * here its backend terminated, which takes the same path every time) fails that transaction with
 * CONNECTION_CLOSED, and nothing else: no exception thrown from the driver's timers (which would end the worker
 * or the API process), and the pool's next query, on the reconnected connection, is answered. postgres.js 3.4.9
 * fails both without scripts/patch-postgres.mjs (npm install applies it).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../db/client.ts';
import { eventually } from '../support/stack.ts';

let database: Database;
let admin: Database;
const uncaught: unknown[] = [];
const recordUncaught = (err: unknown) => uncaught.push(err);

beforeAll(() => {
  // Two connections, as in a small pool: each round's transaction lands on the one the last round killed.
  database = createDatabase(inject('databaseUrl'), { max: 2 });
  admin = createDatabase(inject('databaseUrl'), { max: 1 });
  process.on('uncaughtException', recordUncaught);
});
afterAll(async () => {
  process.off('uncaughtException', recordUncaught);
  await database?.close();
  await admin?.close();
});

it('fails only the transaction whose connection died, and the pool answers the next query', async () => {
  for (let round = 0; round < 5; round++) {
    let backend: number | undefined;
    const outcome = database.db
      .transaction(async (tx) => {
        const [row] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        backend = row!.pid;
        await tx.execute(sql`select pg_sleep(5)`);
      })
      .then(
        () => 'committed',
        (err: { code?: string }) => err.code,
      );
    await eventually(async () => backend);
    await admin.db.execute(sql`select pg_terminate_backend(${backend})`);

    expect(await outcome).toBe('CONNECTION_CLOSED');
    const [answer] = await database.db.execute<{ one: number }>(sql`select 1 as one`);
    expect(answer!.one).toBe(1);
  }
  expect(uncaught).toEqual([]);
});
