/**
 * Applies the committed drizzle-kit migrations. Idempotent, and safe when several processes start at
 * once (API and worker): an advisory lock lets one migrate while the others wait.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from './client.ts';

const MIGRATION_LOCK = 728_361_001;

// Beside this file in the repo; the production build copies them beside the emitted JS as well.
export const migrationsFolder = [new URL('./migrations', import.meta.url), new URL('../../db/migrations', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(dir))!;

export async function applyMigrations({ db, sql }: Database): Promise<void> {
  const lock = await sql.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db, { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    lock.release();
  }
}
