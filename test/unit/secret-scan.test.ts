/** The secret audit's scanner (test/setup/secret-scan.ts): it finds every occurrence, anywhere, and nothing else. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretScanner, lineOf, scanFile } from '../setup/secret-scan.ts';

describe('the secret scanner', () => {
  const secrets = [
    { kind: 'access token', value: 'eyJhbGciOiJIUzI1NiJ9.payload.signature-1234' },
    { kind: 'client secret', value: 'Zm9vYmFyYmF6cXV4cXV1eA' },
    { kind: 'client secret (as bytes)', value: Buffer.from('Zm9vYmFyYmF6cXV4cXV1eA').toString('hex') },
  ];
  const scan = createSecretScanner(secrets);

  it('finds each secret wherever it sits, with its line, the secret masked in the context', () => {
    const text = `{"level":30,"msg":"ok"}\n{"token":"eyJhbGciOiJIUzI1NiJ9.payload.signature-1234"}\nsecret=Zm9vYmFyYmF6cXV4cXV1eAtrailing\n`;
    const finds = scan(text, lineOf('logs', text));
    expect(finds.map((f) => [f.kind, f.where])).toEqual([
      ['access token', 'logs:2'],
      ['client secret', 'logs:3'],
    ]);
    expect(finds[0]!.context).toContain('<access token>');
    expect(finds.every((f) => !f.context.includes('signature-1234'))).toBe(true);
  });

  it('scans a file a chunk at a time: a secret across two chunks is found, once, on its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-scan-'));
    try {
      const file = join(dir, 'logs-1.txt');
      const text = `${'x'.repeat(50)}\n${'ü'.repeat(7)}Zm9vYmFyYmF6cXV4cXV1eA\n${'y'.repeat(40)}\nZm9vYmFyYmF6cXV4cXV1eA\n`;
      writeFileSync(file, text);
      for (const chunk of [16, 23, 64, 4096]) {
        const { finds, lines } = scanFile(file, 'logs', secrets, scan, chunk);
        expect(finds.map((f) => [f.kind, f.where]), `chunks of ${chunk} bytes`).toEqual([
          ['client secret', 'logs:2'],
          ['client secret', 'logs:4'],
        ]);
        expect(lines).toBe(4);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds a secret stored as bytes (bytea shows as hex) and nothing in text that only looks alike', () => {
    const row = `(1,\\x${Buffer.from('Zm9vYmFyYmF6cXV4cXV1eA').toString('hex')})`;
    expect(scan(row, () => 'row').map((f) => f.kind)).toEqual(['client secret (as bytes)']);
    expect(scan('eyJhbGciOiJIUzI1NiJ9.payload.signature-123 Zm9vYmFyYmF6cXV4cXV1e', () => 'x')).toEqual([]);
  });
});
