/**
 * `Idempotency-Key` on PUT and POST. Xero remembers a key for about six minutes: a replay of the same
 * request within that window gets the first answer again without the work being repeated; the same key on
 * a different method, URL or body is a 400. Keys are at most 128 characters. Rate limits are checked before
 * the key, so a replay still costs a call.
 */
import { createHash } from 'node:crypto';
import { MINUTE } from './clock.ts';
import type { SandboxStore } from './store.ts';

export const IDEMPOTENCY_WINDOW = 6 * MINUTE;
export const MAX_KEY_LENGTH = 128;

export interface StoredReply {
  status: number;
  body?: unknown;
}

interface Entry {
  fingerprint: string;
  reply: StoredReply;
  expiresAt: number;
}

export type IdempotencyOutcome =
  | { kind: 'fresh' }
  | { kind: 'replay'; reply: StoredReply }
  | { kind: 'conflict' }
  | { kind: 'too-long' };

export function fingerprint(method: string, url: string, rawBody: Buffer | undefined): string {
  return createHash('sha256').update(method.toUpperCase()).update('\n').update(url).update('\n').update(rawBody ?? Buffer.alloc(0)).digest('hex');
}

export class IdempotencyCache {
  #entries = new Map<string, Entry>();

  constructor(private readonly store: SandboxStore) {}

  reset(): void {
    this.#entries.clear();
  }

  #scope(clientId: string, tenantId: string, key: string): string {
    return `${clientId}\u0000${tenantId}\u0000${key}`;
  }

  check(clientId: string, tenantId: string, key: string, print: string): IdempotencyOutcome {
    if (key.length > MAX_KEY_LENGTH) return { kind: 'too-long' };
    const scope = this.#scope(clientId, tenantId, key);
    const entry = this.#entries.get(scope);
    if (!entry || this.store.clock.now() >= entry.expiresAt) return { kind: 'fresh' };
    if (entry.fingerprint !== print) return { kind: 'conflict' };
    return { kind: 'replay', reply: entry.reply };
  }

  remember(clientId: string, tenantId: string, key: string, print: string, reply: StoredReply): void {
    const now = this.store.clock.now();
    // Drop expired entries now and then so a long benchmark does not grow without bound.
    if (this.#entries.size > 10_000) for (const [k, e] of this.#entries) if (now >= e.expiresAt) this.#entries.delete(k);
    this.#entries.set(this.#scope(clientId, tenantId, key), {
      fingerprint: print,
      reply,
      expiresAt: now + this.store.clock.scaled(IDEMPOTENCY_WINDOW),
    });
  }
}
