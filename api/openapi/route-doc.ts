/**
 * One entry of the API's route catalogue: what `GET /openapi.json` says of a route. The request schemas are
 * the very zod objects the handler validates with (imported, never copied); responses name a zod schema, a
 * component, or a raw JSON Schema where the answer is not JSON of ours (HTML, Prometheus text, empty).
 *
 * Adding a route to the app means adding its entry to one of `routes/*.ts`: the OpenAPI test walks the Express
 * app and fails, naming the route, when one is missing.
 */
import type { z } from 'zod';
import type { Role } from '../auth.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** A JSON Schema fragment, for what zod does not describe (bodies built from several schemas, binary). */
export interface JsonSchema {
  [keyword: string]: unknown;
}

/** A zod schema, a component of the document by name (`#/components/schemas/<name>`), or JSON Schema. */
export type SchemaSource = z.ZodType | { component: string } | { jsonSchema: JsonSchema };

export interface ResponseDoc {
  description: string;
  /** Absent: an empty body. */
  schema?: SchemaSource;
  /** Default `application/json`. */
  contentType?: string;
  /** The same answer in other media types (the OAuth callback answers a browser with HTML). */
  alternatives?: Record<string, SchemaSource>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/**
 * How a caller is authorised: the main app's bearer JWT (or a page's session cookie, which the same routes
 * accept), the metrics credentials, Xero's webhook signature, a page's session cookie alone (the HTML pages),
 * or nothing (health, the document itself, a browser coming back from Xero with its signed state).
 */
export type RouteAuth = 'bearer' | 'metrics' | 'xero-signature' | 'session' | 'none';

export interface RouteDoc {
  method: HttpMethod;
  /** As the router declares it (`/api/orgs/:orgId/contacts/:id`). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  auth: RouteAuth;
  /** For bearer routes: the roles that may call it (listed in the description). */
  roles?: Role[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: SchemaSource; contentType?: string; description?: string; required?: boolean };
  responses: Record<number, ResponseDoc>;
  /**
   * The problem+json answers this route gives, by status, each with its stable `code`s. The document adds the
   * ones every route of its kind shares (authentication, malformed bodies, 500).
   */
  errors?: Record<number, string[]>;
  /** Answers a browser (`Accept: text/html`) with an HTML page, its errors included (the OAuth callback). */
  browserPages?: boolean;
  /** `false`: answers without the database, so never 503 `database_unavailable` (health, this document, static assets). */
  usesDatabase?: false;
}
