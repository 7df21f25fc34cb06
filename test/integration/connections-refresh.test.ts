/**
 * The concurrent-refresh proof: two worker processes (this one and a spawned child, each with its own
 * database pool and five token providers wired like the worker's) ask for the same organisation's token
 * fifty times at once, at expiry and after a 401. Xero (the sandbox) must see exactly one refresh and no
 * invalid_grant, and every caller must get the same new token.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { createDatabase, type Database } from '../../db/client.ts';
import { xeroConnections } from '../../db/schema/index.ts';
import { createSecretBox } from '../../lib/secret-box.ts';
import { xeroServicesFromEnv } from '../../xero/from-env.ts';
import type { XeroAccessProvider } from '../../xero/access.ts';
import { newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
import { connectWithConsent } from '../support/xero-consent.ts';
import { testLogger } from '../support/secret-audit.ts';

const INSTANCES_PER_PROCESS = 5;
const CALLS_PER_INSTANCE = 5; // 2 processes × 5 providers × 5 calls = 50 concurrent requests
const webApp = { clientId: `WEB${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url') };

let sandbox: Sandbox;
let stack: TestStack;
let parentDb: Database;
let parentProviders: XeroAccessProvider[];
let child: ChildProcessWithoutNullStreams;
let childLines: AsyncIterator<string>;
let orgId: string;

/** The child gets the same configuration as the stack, as the environment strings a worker reads. */
function childEnvironment(): NodeJS.ProcessEnv {
  const env = stack.env;
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    API_JWT_SECRET: env.API_JWT_SECRET,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    XERO_API_URL: env.XERO_API_URL,
    XERO_IDENTITY_URL: env.XERO_IDENTITY_URL,
    XERO_LOGIN_URL: env.XERO_LOGIN_URL,
    XERO_CLIENT_ID: webApp.clientId,
    XERO_CLIENT_SECRET: webApp.clientSecret,
    RACE_ORG_ID: orgId,
    RACE_INSTANCES: String(INSTANCES_PER_PROCESS),
    RACE_CALLS_PER_INSTANCE: String(CALLS_PER_INSTANCE),
  };
}

async function nextLine(): Promise<string> {
  const { value, done } = await childLines.next();
  if (done) throw new Error('the second worker process exited early');
  return value;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ clients: [{ ...webApp, kind: 'web' }] });
  stack = await startTestStack({
    xeroUrl: sandbox.url,
    env: { XERO_CLIENT_ID: webApp.clientId, XERO_CLIENT_SECRET: webApp.clientSecret, XERO_REDIRECT_URI: 'http://127.0.0.1:1/auth/callback/xero' },
  });
  orgId = newOrgId();
  const tenant = sandbox.control.createOrganisation({ name: `Race ${randomUUID().slice(0, 6)}` });
  const { result } = await connectWithConsent(stack, orgId, { tenantIds: [tenant.tenantId], user: `u-${orgId}` });
  expect(result.body.code).toBe('connected');

  // This process's side: its own pool, its own providers, wired like the worker's.
  parentDb = createDatabase(inject('databaseUrl'), { max: 10 });
  const logger = testLogger();
  parentProviders = Array.from({ length: INSTANCES_PER_PROCESS }, () => xeroServicesFromEnv({ env: stack.env, db: parentDb.db, logger }).tokens);

  const script = fileURLToPath(new URL('../support/token-race-worker.ts', import.meta.url));
  child = spawn(process.execPath, ['--import', 'tsx', script], { env: childEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[token-race-worker] ${chunk.toString()}`));
  const lines: Interface = createInterface({ input: child.stdout });
  childLines = lines[Symbol.asyncIterator]();
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end('exit\n');
    await exited;
  }
  await parentDb?.close();
  await stack?.close();
  await sandbox?.close();
});

const fingerprint = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

async function storedToken() {
  const [row] = await stack.database.db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
  return { token: createSecretBox(stack.env.ENCRYPTION_KEY).decrypt(row!.accessTokenEnc!, `access_token:${orgId}`), expiresAt: row!.tokenExpiresAt! };
}

/** Both processes fire at once; answers the 50 outcomes, the wall time, and the sandbox's refresh counters. */
async function race(mode: 'expiry' | 'unauthorized') {
  child.stdin.write(`prepare ${mode}\n`);
  const rejected = mode === 'unauthorized' ? (await parentProviders[0]!.forOrg(orgId)).accessToken : '';
  await Promise.all(Array.from({ length: 10 }, () => parentDb.sql`select pg_sleep(0.005)`)); // pool open before the race
  expect(await nextLine()).toBe('ready');
  const before = sandbox.control.counters().tokens;

  const startedAt = Date.now();
  child.stdin.write('go\n');
  const local = Promise.allSettled(
    parentProviders.flatMap((p) => Array.from({ length: CALLS_PER_INSTANCE }, () => (mode === 'unauthorized' ? p.afterUnauthorized(orgId, rejected) : p.forOrg(orgId)))),
  ).then((outcomes) => ({ outcomes, finishedAt: Date.now() }));
  type ChildResult = { fingerprints: string[]; errors: string[]; startedAt: number; finishedAt: number };
  const [{ outcomes: mine, finishedAt }, theirs] = await Promise.all([local, nextLine().then((l) => JSON.parse(l) as ChildResult)]);
  const elapsedMs = Math.max(finishedAt, theirs.finishedAt) - startedAt;
  // The two processes' request windows overlapped: this was a race, not two turns.
  expect(theirs.startedAt).toBeLessThan(finishedAt);
  expect(startedAt).toBeLessThan(theirs.finishedAt);

  const after = sandbox.control.counters().tokens;
  const fingerprints = [...mine.flatMap((s) => (s.status === 'fulfilled' ? [fingerprint(s.value.accessToken)] : [])), ...theirs.fingerprints];
  const errors = [...mine.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : [])), ...theirs.errors];
  const figures = { mode, requests: fingerprints.length + errors.length, refreshes: after.refreshed - before.refreshed, invalidGrants: after.invalidGrant - before.invalidGrant, elapsedMs, parentMs: finishedAt - startedAt, childMs: theirs.finishedAt - theirs.startedAt };
  console.log(`concurrent refresh (${mode}): ${JSON.stringify(figures)}`);
  return { fingerprints, errors, figures, rejected };
}

describe('token refresh across two worker processes', () => {
  it('50 concurrent token requests at expiry: exactly one refresh at Xero, no invalid_grant, one shared new token', async () => {
    const old = await storedToken();
    // At expiry: our row says so, and the sandbox's clock agrees (the old access token no longer works there).
    await stack.database.db.update(xeroConnections).set({ tokenExpiresAt: sql`now()` }).where(eq(xeroConnections.orgId, orgId));
    sandbox.control.advanceClock(31 * 60_000);

    const { fingerprints, errors, figures } = await race('expiry');
    expect(errors).toEqual([]);
    expect(figures).toMatchObject({ requests: 50, refreshes: 1, invalidGrants: 0 });
    const fresh = await storedToken();
    expect(fresh.token).not.toBe(old.token);
    expect(new Set(fingerprints)).toEqual(new Set([fingerprint(fresh.token)]));
    expect(fresh.expiresAt.getTime() - Date.now()).toBeGreaterThan(25 * 60_000);
    // The shared token works at Xero.
    const connections = await fetch(`${sandbox.url}/connections`, { headers: { authorization: `Bearer ${fresh.token}` } });
    expect(connections.status).toBe(200);
  });

  it('50 concurrent callers after a 401 on the same token: exactly one refresh, everyone gets its replacement', async () => {
    const { fingerprints, errors, figures, rejected } = await race('unauthorized');
    expect(errors).toEqual([]);
    expect(figures).toMatchObject({ requests: 50, refreshes: 1, invalidGrants: 0 });
    const fresh = await storedToken();
    expect(fresh.token).not.toBe(rejected);
    expect(new Set(fingerprints)).toEqual(new Set([fingerprint(fresh.token)]));
  });
});
