/**
 * The OpenAPI 3.1 document, generated from the route catalogue: every schema comes from zod
 * (`z.toJSONSchema`, JSON Schema 2020-12, which is OpenAPI 3.1's own dialect), request schemas as they are
 * accepted (`io: input`), answers as they are sent (`io: output`).
 */
import { z } from 'zod';
import type { JsonSchema, ResponseDoc, RouteDoc, SchemaSource } from './route-doc.ts';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

export interface DocumentOptions {
  version: string;
  routes: RouteDoc[];
  components: Record<string, z.ZodType>;
  tags: Array<{ name: string; description: string }>;
  serverUrl?: string;
}

/**
 * Errors every route of a kind can answer, added to what its entry lists. Every `/api` route parses a JSON
 * body before it authenticates (whatever its method), so all of them can refuse a malformed one.
 */
const BEARER_ERRORS = { 400: ['invalid_json', 'invalid_body'], 401: ['unauthenticated', 'invalid_token', 'session_expired'], 413: ['payload_too_large'], 415: ['unsupported_encoding'] };
/** A page's session changing something without its CSRF token. */
const SESSION_WRITE_ERRORS = { 403: ['csrf_failed'] };
/** The database down or restarting: answered with `Retry-After`. */
const DATABASE_ERRORS = { 503: ['database_unavailable'] };
const INPUT_ERRORS = { 422: ['validation_failed'] };
/** A path parameter Express cannot decode (`%ED%A0%80`): refused before any handler runs. */
const PATH_ERRORS = { 400: ['invalid_path'] };
const ALWAYS = { 500: ['internal_error'] };

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Forbidden',
  404: 'Not found (another organisation\'s resources answer 404 too)',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Unsupported encoding',
  422: 'Invalid request: `errors` names every field',
  429: 'Too many requests',
  500: 'Internal error (logged)',
  502: 'Xero did not answer properly',
  503: 'Unavailable: try again after `Retry-After` seconds',
};

export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  // Local $defs would resolve against the document's root in OpenAPI: every schema here must be self-contained.
  if ('$defs' in json) throw new Error('a request or response schema must not carry $defs: give shared schemas a component instead');
  return json;
}

function schemaOf(source: SchemaSource, io: 'input' | 'output'): JsonSchema {
  if ('component' in source) return { $ref: `#/components/schemas/${source.component}` };
  if ('jsonSchema' in source) return source.jsonSchema;
  return toJsonSchema(source, io);
}

/** `/api/orgs/:orgId/contacts/:id` → `/api/orgs/{orgId}/contacts/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function parameters(route: RouteDoc): unknown[] {
  const of = (where: 'path' | 'query', object: z.ZodObject | undefined) =>
    Object.entries(object?.shape ?? {}).map(([name, field]) => {
      const schema = field as z.ZodType;
      return { name, in: where, required: where === 'path' || !schema.safeParse(undefined).success, schema: toJsonSchema(schema, 'input') };
    });
  return [...of('path', route.params), ...of('query', route.query)];
}

function response(doc: ResponseDoc): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  if (doc.schema) content[doc.contentType ?? 'application/json'] = { schema: schemaOf(doc.schema, 'output') };
  for (const [type, schema] of Object.entries(doc.alternatives ?? {})) content[type] = { schema: schemaOf(schema, 'output') };
  return { description: doc.description, ...(Object.keys(content).length > 0 ? { content } : {}), ...(doc.headers ? { headers: doc.headers } : {}) };
}

function problemResponse(status: number, codes: string[], browserPages: boolean): Record<string, unknown> {
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.map((c) => `\`${c}\``).join(', ')}`,
    content: {
      'application/problem+json': {
        schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { status: { const: status }, code: { enum: codes } } }] },
      },
      ...(browserPages ? { 'text/html': { schema: { type: 'string' } } } : {}),
    },
  };
}

function errorsOf(route: RouteDoc): Record<number, string[]> {
  const merged: Record<number, Set<string>> = {};
  const add = (errors: Record<number, string[]>) => {
    for (const [status, codes] of Object.entries(errors)) for (const code of codes) (merged[Number(status)] ??= new Set()).add(code);
  };
  if (route.auth === 'bearer') add(BEARER_ERRORS);
  if (route.auth === 'bearer' && route.method !== 'get') add(SESSION_WRITE_ERRORS);
  // The JSON API validates what it is sent; the pages and static routes answer what they can, or 404.
  if (route.auth === 'bearer' && (route.body || route.params || route.query)) add(INPUT_ERRORS);
  if (route.params) add(PATH_ERRORS);
  add(route.errors ?? {});
  add(ALWAYS);
  if (route.usesDatabase !== false) add(DATABASE_ERRORS);
  return Object.fromEntries(Object.entries(merged).map(([status, codes]) => [status, [...codes]]));
}

const SECURITY: Record<RouteDoc['auth'], unknown[]> = {
  bearer: [{ bearerAuth: [] }, { sessionCookie: [] }],
  session: [{ sessionCookie: [] }],
  // Without METRICS_USER / METRICS_PASSWORD the API answers loopback callers only.
  metrics: [{ metricsBasic: [] }, {}],
  'xero-signature': [{ xeroSignature: [] }],
  none: [],
};

function operation(route: RouteDoc): Record<string, unknown> {
  const roles = route.roles ? `\n\nRoles: ${route.roles.map((r) => `\`${r}\``).join(', ')}.` : '';
  const responses: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries(route.responses)) responses[status] = response(doc);
  // The webhook answers every status with an empty body: its entry lists them all as responses.
  if (route.auth !== 'xero-signature') {
    for (const [status, codes] of Object.entries(errorsOf(route))) responses[status] ??= problemResponse(Number(status), codes, route.browserPages ?? false);
  }
  const params = parameters(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description || roles ? { description: `${route.description ?? ''}${roles}`.trim() } : {}),
    tags: [route.tag],
    // A page's session changes things only with its CSRF token beside the cookie.
    security: route.auth === 'bearer' && route.method !== 'get' ? [{ bearerAuth: [] }, { sessionCookie: [], csrfToken: [] }] : SECURITY[route.auth],
    // For programs (the fuzzer, generated clients): the roles the bearer token's `role` claim may carry.
    ...(route.roles ? { 'x-roles': route.roles } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required ?? true,
            ...(route.body.description ? { description: route.body.description } : {}),
            content: { [route.body.contentType ?? 'application/json']: { schema: schemaOf(route.body.schema, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument({ version, routes, components, tags, serverUrl }: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const seen = new Set<string>();
  for (const route of routes) {
    const path = openApiPath(route.path);
    const key = `${route.method.toUpperCase()} ${path}`;
    if (seen.has(key)) throw new Error(`the route catalogue lists ${key} twice`);
    seen.add(key);
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'xero-sync',
      version,
      description:
        "Keeps a membership platform's billing and its customers' Xero books in step. Errors are `application/problem+json` with a stable `code` " +
        '(the webhook excepted: Xero wants empty bodies). Generated from the zod schemas that validate the requests.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).map(([name, schema]) => [name, toJsonSchema(schema, 'output')])),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT signed with API_JWT_SECRET (HS256) or a key of API_JWKS_URL, with a `role` claim (`platform_admin`, `client_admin`, `service`) and, but for platform admins, an `org_id`.',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'xero-sync-session',
          description:
            'The settings page\'s and the console\'s browser session, opened by a sign-in link (`POST .../ui-sessions`); `__Host-xero-sync-session` over HTTPS. The same roles and organisation checks as a bearer token.',
        },
        csrfToken: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: "With the session cookie, on every request that changes something: the page's CSRF token." },
        metricsBasic: { type: 'http', scheme: 'basic', description: 'METRICS_USER and METRICS_PASSWORD, when set.' },
        xeroSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'x-xero-signature',
          description: 'base64(HMAC-SHA256(raw body, XERO_WEBHOOK_KEY)), computed by Xero over the exact bytes sent.',
        },
      },
    },
  };
}
