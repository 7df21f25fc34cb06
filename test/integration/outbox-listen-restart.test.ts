/**
 * The outbox dispatcher keeps hearing commits after PostgreSQL is killed and started again (as in
 * `npm run drill -- --only postgres-kill`): postgres.js takes the LISTEN again on its new connection. With a
 * poll an hour apart, only the LISTEN can deliver the event enqueued after the restart. A PostgreSQL of this
 * file's own is killed with -9 under the running dispatcher.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../config/logger.ts';
import { createDatabase, type Database } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { enqueueOutboundEvent } from '../../db/queries/outbound-events.ts';
import { ensureOrganisation } from '../../db/queries/organisations.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../scripts/embedded-postgres.ts';
import { freePort } from '../../scripts/free-port.ts';
import { OutboxDispatcher, type OutboxDispatcherOptions } from '../../worker/outbox-dispatcher.ts';
import { eventually, newOrgId } from '../support/stack.ts';

const work = mkdtempSync(join(tmpdir(), 'outbox-listen-'));
chmodSync(work, 0o755); // the embedded server runs as the `postgres` user when we are root
let port: number;
let pg: EmbeddedPostgresHandle | undefined;
let database: Database;
let receiver: Server;
let url: string;
const delivered: string[] = [];

const startPostgres = async () => {
  pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port, database: 'outbox_listen', persistent: true, crashable: true });
};

beforeAll(async () => {
  port = await freePort();
  await startPostgres();
  database = createDatabase(pg!.url, { max: 3 });
  await applyMigrations(database);
  receiver = createServer((req, res) => {
    delivered.push(String(req.headers['x-xerosync-event-id']));
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
});
afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await database?.close();
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function enqueue(orgId: string, recordKey: string): Promise<string> {
  return database.db.transaction(async (tx) => (await enqueueOutboundEvent(tx, { orgId, type: 'invoice.paid', recordKey, payload: { recordKey } })).id);
}

/** A dispatcher whose poll is an hour apart: within a test, only its LISTEN brings an event out. */
function listeningDispatcher(listen: NonNullable<OutboxDispatcherOptions['listen']>): OutboxDispatcher {
  return new OutboxDispatcher({
    db: database.db,
    logger: createLogger({ level: 'silent' }),
    url,
    secret: randomBytes(32).toString('hex'),
    pollMs: 3_600_000,
    retryBaseMs: 100,
    listen,
  });
}

it('hears a commit made after PostgreSQL was killed and started again, with no poll to fall back on', async () => {
  const dispatcher = listeningDispatcher((channel, onNotify, onListen) => database.sql.listen(channel, onNotify, onListen));
  dispatcher.start();
  try {
    const orgId = newOrgId();
    await ensureOrganisation(database.db, { orgId });
    const before = await enqueue(orgId, 'invoice:before');
    await eventually(async () => delivered.includes(before));

    await pg!.crash();
    await startPostgres();
    // Enqueued once the server is back: nothing but the LISTEN, taken again, can bring it out within the test.
    const after = await eventually(async () => enqueue(orgId, 'invoice:after').catch(() => undefined), { timeoutMs: 30_000 });
    await eventually(async () => delivered.includes(after), { timeoutMs: 30_000 });
    expect(delivered.filter((id) => id === after)).toHaveLength(1);
  } finally {
    await dispatcher.stop();
  }
}, 90_000);

it('makes a pass each time the LISTEN is taken again, for what was committed while none was in effect', async () => {
  let listens = 0;
  // Notifications are dropped: this event can only come out through the pass made when the LISTEN is retaken.
  const dispatcher = listeningDispatcher((channel, _onNotify, onListen) =>
    database.sql.listen(channel, () => {}, () => {
      listens += 1;
      onListen();
    }),
  );
  dispatcher.start();
  try {
    await eventually(async () => listens === 1);
    const orgId = newOrgId();
    await ensureOrganisation(database.db, { orgId });
    const missed = await enqueue(orgId, 'invoice:missed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(delivered).not.toContain(missed);

    // Drop the LISTEN's own connection, as a restart or a network cut would; postgres.js reconnects and listens again.
    await database.sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%' and pid <> pg_backend_pid()`;
    await eventually(async () => listens >= 2);
    await eventually(async () => delivered.includes(missed));
    expect(delivered.filter((id) => id === missed)).toHaveLength(1);
  } finally {
    await dispatcher.stop();
  }
}, 60_000);
