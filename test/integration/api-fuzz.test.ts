/**
 * The API against hostile input, from its own OpenAPI document (test/fuzz): every operation, by every kind of
 * caller (none, forged, expired, each role here and in another organisation), with generated valid requests
 * and spoilt ones. No answer may be a 5xx, every answer must be one the document lists (status, media type,
 * body schema, problem codes), and none may repeat a secret (keys, client secrets, the caller's token).
 *
 * A short run here (a few requests per operation, well under a minute); `npm run fuzz` runs it long and prints
 * the figures (FUZZ_SECONDS, default 300; FUZZ_PER_OPERATION; FUZZ_SEED to replay a run; FUZZ_TRACE=<operationId,...>
 * prints those operations' requests and answers).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.ts';
import { prepareFuzzTarget, type FuzzTarget } from '../fuzz/fixture.ts';
import type { OpenApi } from '../fuzz/operations.ts';
import { fuzzApi, printableFigures } from '../fuzz/run.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

const LONG_SECONDS = process.env.FUZZ_SECONDS ? Number(process.env.FUZZ_SECONDS) : undefined;
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? (LONG_SECONDS ? 20 : 6));
const SEED = Number(process.env.FUZZ_SEED ?? randomBytes(4).readUInt32BE(0) % 1_000_000_000);

const webApp = { clientId: `WEB${randomBytes(8).toString('hex').toUpperCase()}`, clientSecret: randomBytes(24).toString('base64url') };
let sandbox: Sandbox;
let stack: TestStack;
let target: FuzzTarget;
let document: OpenApi;

beforeAll(async () => {
  // Limits far above what the fuzzer sends: a 429 from Xero would be a 503 of ours, and this is about input, not load.
  sandbox = await startTestSandbox({ clients: [{ ...webApp, kind: 'web' }], limits: { perMinute: 1_000_000, perDay: 10_000_000, appPerMinute: 10_000_000, inFlight: 100 } });
  stack = await startTestStack({
    xeroUrl: sandbox.url,
    env: { XERO_CLIENT_ID: webApp.clientId, XERO_CLIENT_SECRET: webApp.clientSecret, XERO_REDIRECT_URI: 'http://127.0.0.1:1/auth/callback/xero' },
  });
  target = await prepareFuzzTarget(stack, sandbox, { webAppSecret: webApp.clientSecret });
  document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as OpenApi;
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

describe('the API under fuzzing from its OpenAPI document', () => {
  it(
    'answers every operation as documented, with no 5xx and no secret repeated, whoever calls',
    async () => {
      const figures = await fuzzApi({
        baseUrl: stack.apiUrl,
        document,
        context: target.context,
        perOperation: PER_OPERATION,
        ...(LONG_SECONDS ? { seconds: LONG_SECONDS } : { rounds: 1 }),
        concurrency: 4,
        seed: SEED,
        trace: process.env.FUZZ_TRACE?.split(','),
      });
      console.log(printableFigures(figures));
      expect(figures.findings, printableFigures(figures)).toEqual([]);
      expect(figures.serverErrors).toBe(0);
      // Every operation was really exercised: sent to, and (but for a few that need a state no dice reach) answered.
      expect(Object.entries(figures.perOperation).filter(([, o]) => o.requests < PER_OPERATION).map(([id]) => id)).toEqual([]);
    },
    LONG_SECONDS ? (LONG_SECONDS + 120) * 1000 : 60_000,
  );
});
