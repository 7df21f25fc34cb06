import { defineConfig } from 'vitest/config';

/**
 * Two lanes, both run by `npm test`:
 *   - `unit`: pure functions, no services (`npm run test:unit`, seconds);
 *   - `stack`: everything that runs against the real services: one embedded Postgres and one Temporal dev
 *     server per run (test/setup/global.ts), the Xero sandbox per file, the pages in a real browser
 *     (test/browser), and `npm run dev` end to end.
 */
export default defineConfig({
  test: {
    // Integration tests start workers and servers: two cores, so two files at a time.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'stack',
          include: ['test/{integration,sandbox,e2e,browser}/**/*.test.ts'],
          globalSetup: ['test/setup/global.ts'],
          // Every answer a server in a test process gives, for the secret audit after the run.
          setupFiles: ['test/setup/capture-answers.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
