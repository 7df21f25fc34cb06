/**
 * The organisation's fairness key: what Temporal's task queue fairness shares a queue's dispatch out by. The
 * Xero queue's rate is Xero's app-wide limit, one budget for every organisation the app is connected to; with
 * each of its tasks keyed by organisation (and fairness on in the server), the matching service dispatches
 * round-robin between organisations, so one with thirty calls queued no longer holds back one with three.
 *
 * Shared by the workflows (their Xero calls) and their client (the run's own priority): pure, deterministic.
 */

/** Temporal refuses a fairness key longer than 64 bytes. */
export const FAIRNESS_KEY_MAX_BYTES = 64;

/**
 * The organisation id itself when it fits (ids are ASCII: letters, digits, `_ . : -`), otherwise its first
 * characters and a hash of the whole, so two long ids that share a prefix still get keys of their own.
 */
export function orgFairnessKey(orgId: string): string {
  if (utf8Length(orgId) <= FAIRNESS_KEY_MAX_BYTES) return orgId;
  const hash = `${fnv1a(orgId, 0x811c9dc5)}${fnv1a(orgId, 0x01000193)}`;
  let prefix = orgId.slice(0, FAIRNESS_KEY_MAX_BYTES - hash.length - 1);
  while (utf8Length(prefix) > FAIRNESS_KEY_MAX_BYTES - hash.length - 1) prefix = [...prefix].slice(0, -1).join('');
  return `${prefix}~${hash}`;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** 32-bit FNV-1a as 8 hex digits. */
function fnv1a(text: string, seed: number): string {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
