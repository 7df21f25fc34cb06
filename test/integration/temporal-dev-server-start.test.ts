/**
 * When the Temporal dev server cannot start, the error says why in the server's own words (a run that only
 * said "exited with code 1" could not be told apart from any other failure).
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTemporalDevServer } from '../../scripts/temporal-dev-server.ts';

describe('starting the Temporal dev server', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    // It only holds the port: whoever connects is let go at once.
    taken = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('on a port another process holds fails with what the server printed', async () => {
    await expect(startTemporalDevServer({ cliPath: inject('temporalCliPath'), port })).rejects.toThrow(
      new RegExp(`exited with code 1:\\n.*port ${port}.*address already in use`),
    );
  });
});
