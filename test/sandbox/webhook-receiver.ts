/** A webhook endpoint for tests that verifies signatures as a Xero-compatible receiver must. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  raw: Buffer;
  signature: string | undefined;
  validSignature: boolean;
  body: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status to answer next; defaults to 200 for a good signature and 401 for a bad one. */
  failNext: number[];
  close(): Promise<void>;
}

/** Independent of the sandbox: base64(HMAC-SHA256(raw body, key)), compared in constant time. */
export function verifyXeroSignature(raw: Buffer, header: string | undefined, key: string): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', key).update(raw).digest();
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startReceiver(key: string, options: { misbehave?: 'always-200' } = {}): Promise<Receiver> {
  const received: Received[] = [];
  const failNext: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signature = req.headers['x-xero-signature'] as string | undefined;
      const validSignature = verifyXeroSignature(raw, signature, key);
      received.push({ raw, signature, validSignature, body: JSON.parse(raw.toString('utf8')) });
      const forced = failNext.shift();
      res.statusCode = forced ?? (validSignature || options.misbehave === 'always-200' ? 200 : 401);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/xero`,
    received,
    failNext,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
