/**
 * After the whole run: every secret the suite's fixtures wrote down (test/support/secret-audit.ts) looked for,
 * in plain text, in every log line our code wrote, every answer our API gave, and every row of every database
 * (the shared one now, scratch ones as they were before being dropped). A secret in a bytea column shows as
 * the hex of its bytes, so that form is looked for too.
 *
 * One pass over each text: a 4-character fingerprint of every secret's start picks the few positions worth
 * comparing, so tens of megabytes of logs and thousands of secrets take seconds, not minutes.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';

export interface Secret {
  kind: string;
  value: string;
}

export interface SecretFind {
  kind: string;
  where: string;
  /** Where in the scanned text it starts. */
  offset: number;
  /** The text around it, the secret itself masked. */
  context: string;
}

const fingerprint = (text: string, at: number) =>
  ((text.charCodeAt(at) * 31 + text.charCodeAt(at + 1)) * 31 + text.charCodeAt(at + 2)) * 31 + text.charCodeAt(at + 3);

export function readSecrets(dir: string): Secret[] {
  const seen = new Map<string, Secret>();
  for (const file of readdirSync(dir).filter((f) => f.startsWith('secrets-'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
      const secret = JSON.parse(line) as Secret;
      seen.set(secret.value, secret);
      const hex = Buffer.from(secret.value, 'utf8').toString('hex');
      seen.set(hex, { kind: `${secret.kind} (as bytes)`, value: hex });
    }
  }
  return [...seen.values()];
}

export function createSecretScanner(secrets: Secret[]) {
  const byPrint = new Map<number, Secret[]>();
  for (const secret of secrets) {
    const key = fingerprint(secret.value, 0);
    byPrint.set(key, [...(byPrint.get(key) ?? []), secret]);
  }
  // The report shows text around a find: any other secret in it is masked too (longest first, so a hex form goes whole).
  const longestFirst = [...secrets].sort((x, y) => y.value.length - x.value.length);
  const masked = (text: string) => longestFirst.reduce((t, s) => t.replaceAll(s.value, `<${s.kind}>`), text);
  return function scan(text: string, where: (offset: number) => string): SecretFind[] {
    const finds: SecretFind[] = [];
    for (let i = 0; i + 4 <= text.length; i += 1) {
      const candidates = byPrint.get(fingerprint(text, i));
      if (!candidates) continue;
      for (const secret of candidates) {
        if (!text.startsWith(secret.value, i)) continue;
        const before = text.slice(Math.max(0, i - 80), i);
        const after = text.slice(i + secret.value.length, i + secret.value.length + 80);
        finds.push({ kind: secret.kind, where: where(i), offset: i, context: masked(`${before}<${secret.kind}>${after}`).replace(/\s+/g, ' ') });
      }
    }
    return finds;
  };
}

/** `file:line` for an offset into a file's text. */
export function lineOf(name: string, text: string): (offset: number) => string {
  return (offset) => `${name}:${text.slice(0, offset).split('\n').length}`;
}

export function auditedFiles(dir: string, kind: 'logs' | 'answers' | 'rows'): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${kind}-`))
    .map((f) => join(dir, f));
}

const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Scans a file of any size (a long fuzz run writes gigabytes) a chunk at a time: each chunk carries the end of
 * the one before, as long as the longest secret, so a secret across two chunks is still found, and found once.
 * Returns the finds and the file's line count.
 */
export function scanFile(
  path: string,
  name: string,
  secrets: Secret[],
  scan: ReturnType<typeof createSecretScanner>,
  chunkBytes = CHUNK_BYTES,
): { finds: SecretFind[]; lines: number } {
  const overlap = secrets.reduce((n, s) => Math.max(n, s.value.length), 1) - 1;
  const fd = openSync(path, 'r');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(chunkBytes);
  const finds: SecretFind[] = [];
  let carried = '';
  let linesBefore = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      const text = carried + (read > 0 ? decoder.write(buffer.subarray(0, read)) : decoder.end());
      const last = read === 0;
      // Finds that start in the part kept for the next chunk are found there.
      const keep = last ? 0 : Math.min(overlap, text.length);
      const settled = text.length - keep;
      const lineAt = (offset: number) => `${name}:${linesBefore + text.slice(0, offset).split('\n').length}`;
      finds.push(...scan(text, lineAt).filter((find) => find.offset < settled));
      linesBefore += text.slice(0, settled).split('\n').length - 1;
      carried = text.slice(settled);
      if (last) return { finds, lines: linesBefore + (carried.length > 0 ? 1 : 0) };
    }
  } finally {
    closeSync(fd);
  }
}
