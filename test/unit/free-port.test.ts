/**
 * A free port is free only when asked: a server started beside another (the test run starts PostgreSQL and
 * Temporal at once) may find it taken by the time it binds. Such a start goes again on another port; any
 * other failure is the caller's to see at once.
 */
import { describe, expect, it } from 'vitest';
import { onFreePort } from '../../scripts/free-port.ts';

const addressInUse = (port: number) => new Error(`Error: can't set frontend port ${port}: listen tcp 127.0.0.1:${port}: bind: address already in use`);

describe('starting a server on a free port', () => {
  it('asks for another port when the one it was given is taken before the server binds it', async () => {
    const tried: number[] = [];
    const started = await onFreePort(async (port) => {
      tried.push(port);
      if (tried.length === 1) throw addressInUse(port);
      return `listening on ${port}`;
    });
    expect(tried).toHaveLength(2);
    expect(started).toBe(`listening on ${tried[1]}`);
  });

  it('gives up after three ports, with the last failure', async () => {
    const tried: number[] = [];
    const start = onFreePort(async (port) => {
      tried.push(port);
      throw addressInUse(port);
    });
    await expect(start).rejects.toThrow(/address already in use/);
    expect(tried).toHaveLength(3);
  });

  it('does not try again when the start failed for another reason', async () => {
    let calls = 0;
    const start = onFreePort(async () => {
      calls++;
      throw new Error('temporal server start-dev exited with code 1:\nError: unknown flag: --nonsense');
    });
    await expect(start).rejects.toThrow(/unknown flag/);
    expect(calls).toBe(1);
  });
});
