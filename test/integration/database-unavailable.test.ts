/**
 * The API while its database is away: record reads and writes answer 503 `database_unavailable` with
 * Retry-After and a problem+json body that says so (not a bare 500), and the same API process serves again
 * once the database is back. A PostgreSQL of this file's own is stopped and started under the running API.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/build.ts';
import { createDatabase, type Database } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { ensureOrganisation } from '../../db/queries/organisations.ts';
import { mintToken } from '../../scripts/dev-token.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../scripts/embedded-postgres.ts';
import { freePort } from '../../scripts/free-port.ts';
import { eventually, newOrgId, testEnv } from '../support/stack.ts';
import { testLogger } from '../support/secret-audit.ts';

const work = mkdtempSync(join(tmpdir(), 'db-unavailable-'));
chmodSync(work, 0o755); // the embedded server runs as the `postgres` user when we are root
let port: number;
let pg: EmbeddedPostgresHandle | undefined;
let database: Database;
let api: Awaited<ReturnType<typeof buildApi>>;
let server: Server;
let base: string;
let token: string;
const orgId = newOrgId();

const startPostgres = async () => {
  pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port, database: 'unavailable', persistent: true });
};

beforeAll(async () => {
  port = await freePort();
  await startPostgres();
  const env = testEnv({ databaseUrl: pg!.url });
  database = createDatabase(pg!.url, { max: 3 });
  await applyMigrations(database);
  await ensureOrganisation(database.db, { orgId });
  api = await buildApi({ env, db: database.db, logger: testLogger() });
  server = await new Promise((resolve) => {
    const s = api.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/orgs/${orgId}`;
  token = await mintToken(env.API_JWT_SECRET!, { role: 'service', orgId });
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await api?.close();
  await database?.close();
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
});

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe('a record read while PostgreSQL is down', () => {
  it('answers 503 database_unavailable with Retry-After, and answers again once the database is back', async () => {
    expect((await call('PUT', '/contacts/m-1', { name: 'Kept Member', email: 'kept@example.org' })).status).toBe(200);
    await pg!.stop();

    for (const [method, path, body] of [
      ['GET', '/contacts/m-1'],
      ['PUT', '/contacts/m-2', { name: 'Waiting Member', email: 'waiting@example.org' }],
    ] as const) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const problem = (await res.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 503, code: 'database_unavailable', title: 'Service Unavailable' });
      expect(String(problem.detail)).toMatch(/database is unavailable/);
      // Internals stay in the log: no query, no driver message.
      expect(JSON.stringify(problem)).not.toMatch(/select|ECONNREFUSED|postgres/i);
    }

    // Back, on the same data: the same API process answers without a restart.
    await startPostgres();
    const res = await eventually(async () => {
      const r = await call('GET', '/contacts/m-1');
      return r.status === 200 ? r : undefined;
    });
    expect(await res.json()).toMatchObject({ id: 'm-1', name: 'Kept Member' });
  });
});
