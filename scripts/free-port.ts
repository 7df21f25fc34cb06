import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on loopback (tests must never clash on fixed ports). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a server on a free port. A port is free only when asked: between the probe and the server's own bind,
 * another process starting beside it (a test run starts PostgreSQL and Temporal at the same moment) may take it,
 * so a start that fails on an address in use is tried again on another port, up to `attempts` times.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if (attempt >= attempts || !/address already in use|EADDRINUSE/i.test(String((err as Error)?.message ?? err))) throw err;
    }
  }
}

/** True when something already listens on host:port (used to reuse a running dev service). */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    import('node:net').then(({ connect }) => {
      const socket = connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    }, () => resolve(false));
  });
}

/**
 * `count` free TCP ports on loopback at or above `base`, below `below`: for servers that store their ports in a
 * narrower type than the OS's ephemeral range (Temporal Server keeps its membership ports in a smallint).
 */
export async function freePortsFrom(base: number, count: number, { below = 32_768, host = '127.0.0.1' } = {}): Promise<number[]> {
  const ports: number[] = [];
  for (let port = base; port < below && ports.length < count; port++) {
    if (await canBind(port, host)) ports.push(port);
  }
  if (ports.length < count) throw new Error(`fewer than ${count} free ports between ${base} and ${below}`);
  return ports;
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
