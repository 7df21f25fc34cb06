/**
 * Values that satisfy a JSON Schema (2020-12, as `z.toJSONSchema` writes it and the OpenAPI document carries
 * it), as fast-check arbitraries: the fuzzer's valid requests. Covers the keywords the document uses (type,
 * const, enum, pattern, formats, lengths and bounds, items, properties and required, additionalProperties,
 * propertyNames, anyOf / oneOf / allOf, `not: {}` for a field that must be absent, `$ref` into
 * `#/components/schemas`). A schema with a keyword it does not know fails loudly, so a new kind of field is
 * never silently fuzzed with nothing.
 */
import fc from 'fast-check';

export type Schema = Record<string, unknown>;

const KNOWN = new Set([
  'type', 'const', 'enum', 'pattern', 'format', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'items', 'minItems', 'maxItems', 'properties', 'required', 'additionalProperties', 'propertyNames', 'anyOf', 'oneOf',
  'allOf', 'not', '$ref', 'default', 'description', 'title', 'examples', 'readOnly', 'writeOnly', 'deprecated', 'id',
]);

/** Arrays stay short: the fuzzer wants many requests, not a few huge ones (oversized bodies are a mutation of their own). */
const EXTRA_ITEMS = 1;

export function arbitraryFor(schema: Schema | boolean, components: Record<string, Schema> = {}): fc.Arbitrary<unknown> {
  if (schema === true) return fc.jsonValue();
  if (schema === false) throw new Error('no value satisfies the schema `false`');
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new Error(`schema keywords the fuzzer does not generate: ${unknown.join(', ')} in ${JSON.stringify(schema).slice(0, 200)}`);
  const of = (s: Schema | boolean) => arbitraryFor(s, components);

  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = components[name];
    if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
    return of(target);
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as Schema[]).map(of));
  if (Array.isArray(schema.oneOf)) return fc.oneof(...(schema.oneOf as Schema[]).map(of));
  if (Array.isArray(schema.allOf)) return of(mergeAll(schema.allOf as Schema[], components));

  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => of({ ...schema, type })));
  switch (types[0]) {
    case 'string':
      return stringFor(schema);
    case 'integer':
    case 'number':
      return numberFor(schema, types[0] === 'integer');
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = (schema.minItems as number | undefined) ?? 0;
      const maxLength = Math.min((schema.maxItems as number | undefined) ?? Infinity, minLength + EXTRA_ITEMS);
      return fc.array(schema.items ? of(schema.items as Schema) : fc.jsonValue(), { minLength, maxLength });
    }
    case 'object':
      return objectFor(schema, of);
    default:
      if (schema.not !== undefined) throw new Error('`not` outside an object property: cannot generate');
      return fc.jsonValue();
  }
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = (schema.maxLength as number | undefined) ?? Math.max(minLength, 40);
  if (typeof schema.pattern === 'string') {
    const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  if (schema.format === 'date') return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length <= maxLength);
  if (schema.format === 'uri') return fc.webUrl();
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40), unit: 'grapheme' });
}

function numberFor(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = (schema.minimum as number | undefined) ?? (schema.exclusiveMinimum as number | undefined);
  const max = (schema.maximum as number | undefined) ?? (schema.exclusiveMaximum as number | undefined);
  const inside = (n: number) =>
    (schema.exclusiveMinimum === undefined || n > (schema.exclusiveMinimum as number)) && (schema.exclusiveMaximum === undefined || n < (schema.exclusiveMaximum as number));
  if (integer) return fc.integer({ min: min ?? -1_000_000, max: max ?? 1_000_000 }).filter(inside);
  // Amounts in cents, mostly: what a client sends, and what passes the decimal-places rules behind the schema.
  const cents = fc.integer({ min: Math.ceil((min ?? -1e7) * 100), max: Math.floor((max ?? 1e7) * 100) }).map((n) => n / 100);
  return fc.oneof({ weight: 4, arbitrary: cents }, { weight: 1, arbitrary: fc.double({ min: min ?? -1e9, max: max ?? 1e9, noNaN: true, noDefaultInfinity: true }) }).filter(inside);
}

function objectFor(schema: Schema, of: (s: Schema | boolean) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  // `not: {}`: the property must be absent (a field refused by name); leave it out.
  const allowed = Object.entries(properties).filter(([, s]) => !(s.not && Object.keys(s.not as object).length === 0));
  const model: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(allowed.map(([name, s]) => [name, of(s)]));
  const fixed = fc.record(model, { requiredKeys: allowed.map(([name]) => name).filter((name) => required.has(name)) });
  const extra = schema.additionalProperties;
  if (extra === undefined || extra === false || Object.keys(properties).length > 0) return fixed;
  // A map (z.record): keys from propertyNames, values from additionalProperties.
  const keys = schema.propertyNames ? (of(schema.propertyNames as Schema) as fc.Arbitrary<string>) : fc.string({ minLength: 1, maxLength: 20 });
  return fc.dictionary(keys, of(extra as Schema), { maxKeys: EXTRA_ITEMS });
}

/** `allOf` of object schemas (how the document composes a Problem with its status and codes), merged into one. */
function mergeAll(parts: Schema[], components: Record<string, Schema>): Schema {
  const resolved = parts.map((p) => (typeof p.$ref === 'string' ? components[p.$ref.replace('#/components/schemas/', '')]! : p));
  const merged: Schema = { type: 'object', properties: {}, required: [] };
  for (const part of resolved) {
    merged.properties = { ...(merged.properties as object), ...((part.properties as object) ?? {}) };
    merged.required = [...new Set([...(merged.required as string[]), ...((part.required as string[]) ?? [])])];
    if (part.additionalProperties !== undefined) merged.additionalProperties = part.additionalProperties;
  }
  return merged;
}
