/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL and exits. */
import { z } from 'zod';
import { createDatabase } from './client.ts';
import { applyMigrations, migrationsFolder } from './migrate.ts';

const url = z.string().regex(/^postgres(ql)?:\/\//).safeParse(process.env.DATABASE_URL);
if (!url.success) {
  console.error('DATABASE_URL: required (postgres://user:pass@host:port/db)');
  process.exit(1);
}
const database = createDatabase(url.data, { max: 2 });
await applyMigrations(database);
await database.close();
console.log(`migrations applied from ${migrationsFolder}`);
