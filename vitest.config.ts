import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real Postgres and one real Temporal dev server per run, shared by every test file.
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start workers and servers: two cores, so two files at a time.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
