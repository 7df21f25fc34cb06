import { createHash } from 'node:crypto';

/**
 * A stable hash of a record's content (keys sorted), so "the same body twice" is recognised as no change
 * and does not cause a second push.
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('base64url');
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
