/**
 * Every HTTP answer a server in this test process gives, kept for the secret audit (test/support/secret-audit.ts):
 * status, headers and body, whoever built the app (startTestStack, a test's own buildApi, a fake main app).
 * The sandbox's answers are Xero's and carry tokens by design: its ports are left out.
 */
import { ServerResponse } from 'node:http';
import { rememberAnswer, xeroSidePorts } from '../support/secret-audit.ts';

const MAX_KEPT = 1024 * 1024;
const kept = new WeakMap<ServerResponse, Buffer[]>();

function keep(res: ServerResponse, chunk: unknown, encoding?: unknown): void {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
  const chunks = kept.get(res) ?? [];
  const size = chunks.reduce((n, c) => n + c.length, 0);
  if (size >= MAX_KEPT) return;
  const buffer = typeof chunk === 'string' ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding) : Buffer.from(chunk as Uint8Array);
  chunks.push(buffer);
  kept.set(res, chunks);
}

const write = ServerResponse.prototype.write;
const end = ServerResponse.prototype.end;

ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  keep(this, chunk, rest[0]);
  return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof write;

ServerResponse.prototype.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
  keep(this, chunk, rest[0]);
  if (!xeroSidePorts.has(this.socket?.localPort ?? -1)) {
    rememberAnswer({
      method: this.req?.method,
      url: this.req?.url,
      status: this.statusCode,
      headers: this.getHeaders(),
      body: Buffer.concat(kept.get(this) ?? []).toString('utf8'),
    });
  }
  kept.delete(this);
  return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
} as typeof end;
