/**
 * Validates Accounting API requests and responses against Xero's own OpenAPI spec
 * (sandbox/openapi/xero_accounting.yaml, a copy of ../shared/xero/openapi), with ajv over the component schemas.
 *
 * Quirks handled (FACTS.md): no default-filling (the spec's boolean defaults are the string "false"),
 * unknown keywords and OpenAPI-only formats are ignored, and `CurrencyCode` also accepts "" (Xero sends ""
 * where the spec's enum has a placeholder EMPTY_CURRENCY). Response schemas mark no field required, so this
 * catches wrong types, enums and formats, not missing fields.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const SPEC_PATH = fileURLToPath(new URL('../../sandbox/openapi/xero_accounting.yaml', import.meta.url));
const SPEC_ID = 'xero-accounting';

type Json = Record<string, any>;

export interface ValidationResult {
  valid: boolean;
  errors: string[];
}

let loaded: { spec: Json; ajv: Ajv; cache: Map<string, ValidateFunction> } | undefined;

function load() {
  if (loaded) return loaded;
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as Json;
  const schemas = spec['components']['schemas'] as Json;
  // Xero sends "" for "no currency"; the spec lists a placeholder instead.
  schemas['CurrencyCode']['enum'] = [...schemas['CurrencyCode']['enum'], ''];
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: false, validateSchema: false, discriminator: false });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  for (const format of ['double', 'float', 'int32', 'int64', 'byte', 'binary', 'password']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: SPEC_ID, components: spec['components'] });
  loaded = { spec, ajv, cache: new Map() };
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

function compile(ref: string): ValidateFunction {
  const { ajv, cache } = load();
  let fn = cache.get(ref);
  if (!fn) {
    fn = ajv.compile({ $ref: `${SPEC_ID}${ref}` });
    cache.set(ref, fn);
  }
  return fn;
}

function schemaRefOf(content: Json | undefined): string | undefined {
  const schema = content?.['application/json']?.['schema'] as Json | undefined;
  const ref = schema?.['$ref'];
  return typeof ref === 'string' ? ref : undefined;
}

function run(ref: string | undefined, body: unknown, what: string): ValidationResult {
  if (!ref) return { valid: false, errors: [`${what}: the spec has no JSON schema here`] };
  const fn = compile(ref);
  const valid = fn(body) as boolean;
  return { valid, errors: valid ? [] : (fn.errors ?? []).map((e: ErrorObject) => `${what}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`) };
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

/** The spec's path template for a concrete path, e.g. '/Invoices/abc' -> '/Invoices/{InvoiceID}'. */
export function matchAccountingPath(method: string, concretePath: string): string | undefined {
  const { spec } = load();
  const path = concretePath.split('?')[0]!.replace(/^.*\/api\.xro\/2\.0/, '');
  const candidates = Object.keys(spec['paths'] as Json).filter((template) => (spec['paths'][template] as Json)[method.toLowerCase()]);
  const exact = candidates.find((t) => t.toLowerCase() === path.toLowerCase());
  if (exact) return exact;
  const matches = candidates.filter((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i').test(path));
  // /Contacts/{ContactID} and /Contacts/{ContactNumber} both match: a GUID segment means the ID form.
  const guidInPath = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\/|$)/i.test(path);
  return matches.find((t) => /ID\}/.test(t) === guidInPath) ?? matches[0];
}
