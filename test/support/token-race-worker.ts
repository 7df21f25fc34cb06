/**
 * A second worker process for the concurrent-refresh proof (test/integration/connections-refresh.test.ts):
 * its own database pool and its own token providers, wired exactly like the worker's
 * (xeroServicesFromEnv), driven over stdin/stdout one line at a time:
 *
 *   prepare expiry|unauthorized  → ready          (unauthorized: first reads the token Xero will "reject")
 *   go                           → {"fingerprints": [...], "errors": [...], "startedAt", "finishedAt"}
 *   exit
 *
 * Only fingerprints of tokens are printed, never the tokens.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { loadEnv } from '../../config/env.ts';
import { createLogger } from '../../config/logger.ts';
import { createDatabase } from '../../db/client.ts';
import { xeroServicesFromEnv } from '../../xero/from-env.ts';

const env = loadEnv(process.env);
const orgId = process.env.RACE_ORG_ID!;
const instances = Number(process.env.RACE_INSTANCES ?? 5);
const callsPerInstance = Number(process.env.RACE_CALLS_PER_INSTANCE ?? 5);

const database = createDatabase(env.DATABASE_URL, { max: 10 });
const logger = createLogger({ level: 'silent' });
// Several providers in one process: like several activity workers, none sharing in-memory state.
const providers = Array.from({ length: instances }, () => xeroServicesFromEnv({ env, db: database.db, logger }).tokens);
const fingerprint = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);
await database.sql`select 1`; // connected before the race starts

/** Opens the pool's connections before the race, so the race measures the lock, not connection set-up. */
async function warmPool(): Promise<void> {
  await Promise.all(Array.from({ length: 10 }, () => database.sql`select pg_sleep(0.005)`));
}

let mode = 'expiry';
let rejected = '';
for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === 'prepare') {
    mode = arg ?? 'expiry';
    if (mode === 'unauthorized') rejected = (await providers[0]!.forOrg(orgId)).accessToken;
    await warmPool();
    process.stdout.write('ready\n');
  } else if (command === 'go') {
    const startedAt = Date.now();
    const calls = providers.flatMap((p) =>
      Array.from({ length: callsPerInstance }, () => (mode === 'unauthorized' ? p.afterUnauthorized(orgId, rejected) : p.forOrg(orgId))),
    );
    const settled = await Promise.allSettled(calls);
    const fingerprints = settled.flatMap((s) => (s.status === 'fulfilled' ? [fingerprint(s.value.accessToken)] : []));
    const errors = settled.flatMap((s) => (s.status === 'rejected' ? [String((s.reason as Error)?.message ?? s.reason)] : []));
    process.stdout.write(`${JSON.stringify({ fingerprints, errors, startedAt, finishedAt: Date.now() })}\n`);
  } else if (command === 'exit') {
    break;
  }
}
await database.close();
// stdin may still hold the event loop open.
process.exit(0);
