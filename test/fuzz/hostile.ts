/**
 * What an attacker or a broken client sends instead of a valid request: odd scalars, injection strings, huge
 * and deeply nested values, prototype keys, and bodies that are not JSON at all. Each request says which
 * mutation made it (`note`), so a finding names its cause.
 */
import fc from 'fast-check';

/** Strings that break naive parsers, queries, templates and paths. */
export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\u202E\u0041\u0042',
  '😀'.repeat(300),
  'A'.repeat(5_000),
  "' OR 1=1 --",
  '"; drop table sync_state; --',
  '../../../../etc/passwd',
  '%00',
  '%2e%2e%2f',
  '{{7*7}}',
  '${jndi:ldap://127.0.0.1:9/x}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '1e999',
  '-0',
  '2025-02-30',
  '9999-12-31T23:59:59.999Z',
  '0000-00-00',
  'null',
  'true',
];

const deep = (depth: number): unknown => (depth === 0 ? 'bottom' : { a: deep(depth - 1) });
const deepArray = (depth: number): unknown => (depth === 0 ? [] : [deepArray(depth - 1)]);

export const hostileValues: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  5e-324,
  [],
  {},
  [null],
  deep(200),
  deepArray(500),
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  ...hostileStrings,
];

export const hostileValue = fc.constantFrom(...hostileValues);
export const hostileString = fc.constantFrom(...hostileStrings);

/** A raw body and the headers it travels with, where JSON.stringify of a value is not enough. */
export interface RawBody {
  bytes: Buffer;
  headers: Record<string, string>;
  note: string;
}

const json = { 'content-type': 'application/json' };

export const rawBodies: RawBody[] = [
  { note: 'not JSON', bytes: Buffer.from('this is not json'), headers: json },
  { note: 'truncated JSON', bytes: Buffer.from('{"items": [{"id": "a", "name": "b"'), headers: json },
  { note: 'JSON with a trailing comma', bytes: Buffer.from('{"name": "x",}'), headers: json },
  { note: 'a JSON string', bytes: Buffer.from('"just a string"'), headers: json },
  { note: 'a JSON number', bytes: Buffer.from('12345'), headers: json },
  { note: 'JSON null', bytes: Buffer.from('null'), headers: json },
  { note: 'a byte-order mark before JSON', bytes: Buffer.from('\uFEFF{"name": "x"}'), headers: json },
  { note: 'duplicate keys', bytes: Buffer.from('{"name": "x", "name": {"nested": true}}'), headers: json },
  { note: 'invalid UTF-8', bytes: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: json },
  { note: 'latin-1 charset', bytes: Buffer.from('{"name": "caf\xe9"}', 'latin1'), headers: { 'content-type': 'application/json; charset=latin1' } },
  { note: 'gzip that is not gzip', bytes: Buffer.from('definitely not gzip'), headers: { ...json, 'content-encoding': 'gzip' } },
  { note: 'an unknown content-encoding', bytes: Buffer.from('{}'), headers: { ...json, 'content-encoding': 'x-unknown' } },
  { note: 'form-encoded', bytes: Buffer.from('name=x&email=y'), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { note: 'text/plain JSON', bytes: Buffer.from('{"name": "x"}'), headers: { 'content-type': 'text/plain' } },
  { note: 'no content-type', bytes: Buffer.from('{"name": "x"}'), headers: {} },
  { note: 'over the 1 MB limit', bytes: Buffer.from(JSON.stringify({ name: 'x'.repeat(1_100_000) })), headers: json },
  { note: 'a huge array', bytes: Buffer.from(JSON.stringify({ items: Array.from({ length: 5_000 }, (_, i) => ({ id: `x${i}` })) })), headers: json },
];

export const rawBody = fc.constantFrom(...rawBodies);

/** A valid object body, spoilt one way. */
export function spoil(valid: unknown): fc.Arbitrary<{ value: unknown; note: string }> {
  const spoilings: Array<fc.Arbitrary<{ value: unknown; note: string }>> = [
    hostileValue.map((value) => ({ value, note: 'the whole body replaced' })),
  ];
  if (valid && typeof valid === 'object' && !Array.isArray(valid)) {
    const keys = Object.keys(valid);
    spoilings.push(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), hostileValue).map(([key, value]) => ({ value: { ...valid, [`x_${key}`]: value }, note: 'an unknown field added' })));
    if (keys.length > 0) {
      const key = fc.constantFrom(...keys);
      spoilings.push(key.map((k) => ({ value: without(valid, k), note: `${k} left out` })));
      spoilings.push(fc.tuple(key, hostileValue).map(([k, value]) => ({ value: { ...valid, [k]: value }, note: `${k} replaced by a hostile value` })));
    }
    spoilings.push(fc.constant({ value: [valid], note: 'the body wrapped in an array' }));
  }
  return fc.oneof(...spoilings);
}

function without(value: object, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  delete copy[key];
  return copy;
}
