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
