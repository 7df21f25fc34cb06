/** Health, metrics and the API's own description: the routes outside `/api`. */
import { healthSchema, readinessSchema } from '../schemas/common.ts';
import type { RouteDoc } from '../route-doc.ts';
import { docsAssetParams } from '../../routes/docs.ts';

export const serviceRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    usesDatabase: false,
    summary: 'The process is up',
    tag: 'health',
    auth: 'none',
    responses: { 200: { description: 'Up', schema: healthSchema } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    usesDatabase: false,
    summary: 'The database and Temporal answer',
    description: 'Both checked in parallel, each within 2 seconds.',
    tag: 'health',
    auth: 'none',
    responses: { 200: { description: 'Ready', schema: readinessSchema }, 503: { description: 'Not ready: `checks` says which and why', schema: readinessSchema } },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    usesDatabase: false,
    summary: "The API's metrics, in Prometheus' text format",
    description:
      'Webhook deliveries and their ingest latency, the Xero calls the API makes for admins, Node process metrics. With METRICS_USER and METRICS_PASSWORD set, HTTP basic auth with them; without, callers on this host only. The worker serves its own on METRICS_PORT.',
    tag: 'operations',
    auth: 'metrics',
    responses: { 200: { description: 'Prometheus text exposition format 0.0.4', contentType: 'text/plain; version=0.0.4', schema: { jsonSchema: { type: 'string' } } } },
    errors: { 401: ['unauthenticated'], 403: ['metrics_not_public'] },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    usesDatabase: false,
    summary: 'This document',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'OpenAPI 3.1', schema: { jsonSchema: { type: 'object' } } } },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'getApiReference',
    usesDatabase: false,
    summary: 'A reference page for this document',
    description: 'Swagger UI, every asset served by xero-sync itself (a Content-Security-Policy forbids any other origin).',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'HTML', contentType: 'text/html', schema: { jsonSchema: { type: 'string' } } } },
  },
  {
    method: 'get',
    path: '/docs/assets/:file',
    operationId: 'getApiReferenceAsset',
    usesDatabase: false,
    summary: "The reference page's scripts and styles",
    tag: 'operations',
    auth: 'none',
    params: docsAssetParams,
    responses: {
      200: {
        description: 'JavaScript or CSS from the swagger-ui-dist package',
        contentType: 'application/javascript',
        schema: { jsonSchema: { type: 'string' } },
        alternatives: { 'text/css': { jsonSchema: { type: 'string' } } },
      },
    },
    errors: { 404: ['not_found'] },
  },
];
