/**
 * Validates Accounting API requests and responses against Xero's own OpenAPI spec
 * (sandbox/openapi/xero_accounting.yaml, a copy of ../shared/xero/openapi), with ajv over the component schemas.
 * The sandbox uses it for `validateRequests`; test/sandbox/openapi-conformance.test.ts for both directions.
 *
 * Quirks handled (FACTS.md, "Where the spec and Xero differ"): no default-filling (the spec's boolean defaults
 * are the string "false"), unknown keywords and OpenAPI-only formats are ignored, and `CurrencyCode` also
 * accepts "" (Xero sends "" where the spec's enum has a placeholder EMPTY_CURRENCY). Response schemas mark no
 * field required, so this catches wrong types, enums and formats, not missing fields.
 *
 * Cost: parsing the 900 KB YAML takes 0.6-1.5 s, so the parsed spec is kept once per process and also cached
 * as JSON in node_modules/.cache/xero-sandbox (keyed by the YAML's hash: ~10 ms to read back); validators are
 * compiled on first use per schema and kept.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

export const ACCOUNTING_SPEC_PATH = fileURLToPath(new URL('./openapi/xero_accounting.yaml', import.meta.url));
/** The project's own cache folder (as vite and babel use), not a shared temp directory: ajv compiles what it reads. */
const NODE_MODULES = fileURLToPath(new URL('../node_modules/', import.meta.url));
const CACHE_DIR = join(NODE_MODULES, '.cache', 'xero-sandbox');
const SPEC_ID = 'xero-accounting';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

// The parsed spec is untyped JSON, walked by key.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export interface ValidationResult {
  valid: boolean;
  errors: string[];
}

interface Loaded {
  spec: Json;
  ajv: Ajv;
  cache: Map<string, ValidateFunction>;
  /** Per method: the spec's path templates with a matcher each. */
  templates: Map<string, Array<{ template: string; pattern: RegExp }>>;
}

let loaded: Loaded | undefined;

/** Reads the spec, from the JSON cache when the YAML has not changed since it was written. */
function readSpec(): Json {
  const text = readFileSync(ACCOUNTING_SPEC_PATH, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const cached = join(CACHE_DIR, `xero_accounting-${hash}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as Json;
  } catch {
    // Not cached yet (or unreadable): parse the YAML and try to leave a cache behind.
  }
  const spec = parse(text) as Json;
  if (!existsSync(NODE_MODULES)) return spec;
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(spec));
    renameSync(partial, cached);
  } catch {
    // A read-only node_modules only costs the next process the YAML parse.
  }
  return spec;
}

/** Loads the spec and prepares ajv, once per process. Cheap after the first call. */
export function loadAccountingSpec(): void {
  load();
}

function load(): Loaded {
  if (loaded) return loaded;
  const spec = readSpec();
  const schemas = spec['components']['schemas'] as Json;
  // Xero sends "" for "no currency"; the spec lists a placeholder instead (FACTS.md).
  schemas['CurrencyCode']['enum'] = [...schemas['CurrencyCode']['enum'], ''];
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: false, validateSchema: false, discriminator: false });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  for (const format of ['double', 'float', 'int32', 'int64', 'byte', 'binary', 'password']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: SPEC_ID, components: spec['components'] });
  const templates = new Map<string, Array<{ template: string; pattern: RegExp }>>();
  for (const [template, item] of Object.entries(spec['paths'] as Json)) {
    for (const method of Object.keys(item as Json).filter((k) => HTTP_METHODS.includes(k))) {
      const list = templates.get(method) ?? [];
      list.push({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i') });
      templates.set(method, list);
    }
  }
  loaded = { spec, ajv, cache: new Map(), templates };
  return loaded;
}

function deref(node: Json | undefined): Json | undefined {
  let current = node;
  const { spec } = load();
  while (current && typeof current['$ref'] === 'string') {
    const path = (current['$ref'] as string).replace(/^#\//, '').split('/');
    current = path.reduce<Json | undefined>((n, key) => n?.[key], spec);
  }
  return current;
}

function compileRef(ref: string): ValidateFunction {
  const { ajv, cache } = load();
  let fn = cache.get(ref);
  if (!fn) {
    fn = ajv.compile({ $ref: `${SPEC_ID}${ref}` });
    cache.set(ref, fn);
  }
  return fn;
}

/** A parameter's inline schema, compiled once per operation and parameter. */
function compileInline(key: string, schema: Json): ValidateFunction {
  const { ajv, cache } = load();
  let fn = cache.get(key);
  if (!fn) {
    fn = ajv.compile(schema);
    cache.set(key, fn);
  }
  return fn;
}

function schemaRefOf(content: Json | undefined): string | undefined {
  const schema = content?.['application/json']?.['schema'] as Json | undefined;
  const ref = schema?.['$ref'];
  return typeof ref === 'string' ? ref : undefined;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The value an ajv error points at, for the message. */
function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let current = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function describeErrors(fn: ValidateFunction, data: unknown, what: string): string[] {
  return (fn.errors ?? []).map((e: ErrorObject) => {
    const value = valueAt(data, e.instancePath);
    const shown = value === undefined || (typeof value === 'object' && value !== null) ? '' : ` (got ${clip(JSON.stringify(value), 80)})`;
    return `${what}: ${e.instancePath || '/'} ${e.message}${shown} ${clip(JSON.stringify(e.params), 160)}`;
  });
}

function run(ref: string | undefined, body: unknown, what: string): ValidationResult {
  if (!ref) return { valid: false, errors: [`${what}: the spec has no JSON schema here`] };
  const fn = compileRef(ref);
  const valid = fn(body) as boolean;
  return { valid, errors: valid ? [] : describeErrors(fn, body, what) };
}

function operation(method: string, pathTemplate: string): Json {
  const { spec } = load();
  const op = spec['paths']?.[pathTemplate]?.[method.toLowerCase()] as Json | undefined;
  if (!op) throw new Error(`the spec has no ${method.toUpperCase()} ${pathTemplate}`);
  return op;
}

/** Validates a response body for an operation, e.g. ('GET', '/Invoices/{InvoiceID}', 200, body). */
export function validateAccountingResponse(method: string, pathTemplate: string, status: number, body: unknown): ValidationResult {
  const op = operation(method, pathTemplate);
  const response = deref(op['responses']?.[String(status)] ?? op['responses']?.['default']);
  if (!response) return { valid: false, errors: [`${method} ${pathTemplate}: status ${status} is not documented`] };
  if (!response['content']) {
    const empty = body === undefined || body === '' ;
    return { valid: empty, errors: empty ? [] : [`${method} ${pathTemplate} ${status}: the spec documents no body`] };
  }
  return run(schemaRefOf(response['content']), body, `${method} ${pathTemplate} ${status}`);
}

/** Validates a request body for an operation, e.g. ('PUT', '/Invoices', {Invoices: [...]}). */
export function validateAccountingRequest(method: string, pathTemplate: string, body: unknown): ValidationResult {
  const op = operation(method, pathTemplate);
  const requestBody = deref(op['requestBody']);
  if (!requestBody) return { valid: body === undefined, errors: body === undefined ? [] : [`${method} ${pathTemplate}: takes no body`] };
  return run(schemaRefOf(requestBody['content']), body, `${method} ${pathTemplate} request`);
}

/** Whether the operation documents a request body. */
export function accountingOperationTakesBody(method: string, pathTemplate: string): boolean {
  return deref(operation(method, pathTemplate)['requestBody']) !== undefined;
}

/** A query or header value as the spec's schema types it (query strings carry text only). */
function coerce(schema: Json | undefined, raw: string): unknown {
  switch (schema?.['type']) {
    case 'integer': return /^[+-]?\d+$/.test(raw) ? Number(raw) : raw;
    case 'number': return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean': return raw === 'true' ? true : raw === 'false' ? false : raw;
    default: return raw;
  }
}

function parameterValue(schema: Json, values: string[]): unknown {
  if (schema['type'] === 'array') {
    // style: form, explode: false (what the spec declares, and what xero-node sends): comma-separated.
    return values.flatMap((v) => v.split(',')).map((v) => coerce(schema['items'] as Json | undefined, v));
  }
  return values.length === 1 ? coerce(schema, values[0]!) : values.map((v) => coerce(schema, v));
}

/**
 * Validates query parameters (names case-insensitive, as Xero reads them) and the headers the operation
 * documents (types, enums, formats; undocumented query parameters are errors, as Xero ignores them silently).
 * `xero-tenant-id` is not required here: custom connections need none (FACTS.md).
 */
export function validateAccountingParameters(
  method: string,
  pathTemplate: string,
  query: Record<string, string | string[] | undefined>,
  headers: Record<string, string | string[] | undefined> = {},
): ValidationResult {
  const item = load().spec['paths'][pathTemplate] as Json;
  const op = operation(method, pathTemplate);
  const parameters = [...(item['parameters'] ?? []), ...(op['parameters'] ?? [])].map((p: Json) => deref(p)).filter((p): p is Json => p !== undefined);
  const what = `${method.toUpperCase()} ${pathTemplate}`;
  const errors: string[] = [];
  const check = (p: Json, values: string[], label: string) => {
    const schema = (p['schema'] ?? {}) as Json;
    const fn = compileInline(`param ${what} ${p['in']} ${p['name']}`, schema);
    const value = parameterValue(schema, values);
    if (!fn(value)) errors.push(...describeErrors(fn, value, `${what} ${label}`));
  };
  const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

  for (const [name, raw] of Object.entries(query)) {
    const p = parameters.find((x) => x['in'] === 'query' && String(x['name']).toLowerCase() === name.toLowerCase());
    if (!p) {
      errors.push(`${what}: query parameter "${name}" is not in the spec for this operation (Xero ignores it)`);
      continue;
    }
    check(p, asList(raw), `query ${p['name']}`);
  }
  for (const p of parameters) {
    const name = String(p['name']);
    if (p['in'] === 'query' && p['required'] && !Object.keys(query).some((k) => k.toLowerCase() === name.toLowerCase())) {
      errors.push(`${what}: query parameter "${name}" is required`);
    }
    if (p['in'] === 'header' && name.toLowerCase() !== 'xero-tenant-id') {
      const values = asList(headers[name.toLowerCase()]);
      if (values.length > 0) check(p, values, `header ${name}`);
    }
  }
  return { valid: errors.length === 0, errors };
}

/** The spec's path template for a concrete path, e.g. '/Invoices/abc' -> '/Invoices/{InvoiceID}'. */
export function matchAccountingPath(method: string, concretePath: string): string | undefined {
  const { templates } = load();
  const path = concretePath.split('?')[0]!.replace(/^.*\/api\.xro\/2\.0/, '');
  const candidates = templates.get(method.toLowerCase()) ?? [];
  const exact = candidates.find((t) => t.template.toLowerCase() === path.toLowerCase());
  if (exact) return exact.template;
  const matches = candidates.filter((t) => t.pattern.test(path)).map((t) => t.template);
  // /Contacts/{ContactID} and /Contacts/{ContactNumber} both match: a GUID segment means the ID form.
  const guidInPath = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\/|$)/i.test(path);
  return matches.find((t) => /ID\}/.test(t) === guidInPath) ?? matches[0];
}
