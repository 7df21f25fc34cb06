/**
 * `GET /openapi.json` describes the API the app really serves: a valid OpenAPI 3.1 document (checked by
 * @readme/openapi-parser against the specification's schema), generated from the request schemas the handlers
 * validate with, covering every route of the app built by api/build.ts, as production builds it.
 */
import { validate, compileErrors } from '@readme/openapi-parser';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/build.ts';
import { openApiPath } from '../../api/openapi/document.ts';
import { contactBody } from '../../api/routes/record-bodies.ts';
import { retryBody } from '../../api/routes/admin/retry.ts';
import { clientAdminSignInBody } from '../../api/ui/sign-in-links.ts';
import { createDatabase, type Database } from '../../db/client.ts';
import { inject } from 'vitest';
import { z } from 'zod';
import { servedRoutes } from '../support/express-routes.ts';
import { testEnv } from '../support/stack.ts';
import { testLogger } from '../support/secret-audit.ts';

let database: Database;
let api: Awaited<ReturnType<typeof buildApi>>;
let server: ReturnType<Express['listen']>;
let base: string;
let document: any;
beforeAll(async () => {
  database = createDatabase(inject('databaseUrl'), { max: 2 });
  // Every optional router mounted: a Xero web app (the OAuth callback) on a redirect path of its own, webhooks on theirs.
  const env = testEnv({
    env: {
      XERO_CLIENT_ID: 'client-id-for-the-document',
      XERO_CLIENT_SECRET: 'client-secret-for-the-document',
      XERO_REDIRECT_URI: 'https://sync.example.org/oauth/back-from-xero',
      WEBHOOK_PATH: '/hooks/xero/',
      API_PUBLIC_URL: 'https://sync.example.org',
    },
  });
  api = await buildApi({ env, db: database.db, logger: testLogger() });
  server = api.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const res = await fetch(`${base}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  document = await res.json();
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await api?.close();
  await database?.close();
});

const documented = () =>
  Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('documents every route the app serves, the webhook and the OAuth callback included, and nothing it does not serve', () => {
    const served = servedRoutes(api.app).map((route) => {
      const [method, path] = route.split(' ');
      return `${method} ${openApiPath(path!)}`;
    });
    expect(served).toEqual(expect.arrayContaining(['POST /hooks/xero/', 'GET /oauth/back-from-xero', 'GET /metrics', 'GET /docs', 'POST /api/orgs/{orgId}/ui-sessions', 'GET /settings/integrations/xero']));
    const listed = new Set(documented());
    const missing = served.filter((route) => !listed.has(route));
    expect(missing, `routes the app serves that /openapi.json does not describe (add an entry to api/openapi/routes/*.ts):\n${missing.join('\n')}`).toEqual([]);
    const stale = [...listed].filter((route) => !served.includes(route));
    expect(stale, `routes /openapi.json describes that the app does not serve:\n${stale.join('\n')}`).toEqual([]);
  });

  it('states the request schemas the handlers validate with, and the bearer token', () => {
    const put = document.paths['/api/orgs/{orgId}/contacts/{id}'].put;
    const { $schema: _c, ...contactSchema } = z.toJSONSchema(contactBody, { target: 'draft-2020-12', io: 'input' });
    expect(put.requestBody.content['application/json'].schema).toEqual(contactSchema);
    expect(contactSchema).toMatchObject({ required: ['name'], additionalProperties: false });
    expect(put.parameters.map((p: any) => `${p.in}:${p.name}`)).toEqual(['path:orgId', 'path:id']);
    // A page's session cookie works too, with its CSRF token on writes; reads need only the cookie.
    expect(put.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [], csrfToken: [] }]);
    expect(document.paths['/api/orgs/{orgId}/contacts/{id}'].get.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(document.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie' });
    const signIn = document.paths['/api/orgs/{orgId}/ui-sessions'].post;
    const { $schema: _u, ...signInSchema } = z.toJSONSchema(clientAdminSignInBody, { target: 'draft-2020-12', io: 'input' });
    expect(signIn.requestBody.content['application/json'].schema).toEqual(signInSchema);
    expect(signIn['x-roles']).toEqual(['service']);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const retry = document.paths['/api/admin/integrations/xero/{orgId}/retry'].post;
    const { $schema: _s, ...retrySchema } = z.toJSONSchema(retryBody, { target: 'draft-2020-12', io: 'input' });
    expect(retry.requestBody.content['application/json'].schema).toEqual(retrySchema);
    expect(document.servers).toEqual([{ url: 'https://sync.example.org' }]);
  });

  it('lists the problem+json answers with their codes', () => {
    const connect = document.paths['/api/orgs/{orgId}/integrations/xero/connect'].post;
    const codes = (status: number) => connect.responses[status].content['application/problem+json'].schema.allOf[1].properties.code.enum;
    expect(codes(401)).toEqual(expect.arrayContaining(['unauthenticated', 'invalid_token']));
    expect(codes(403)).toEqual(expect.arrayContaining(['forbidden', 'plan_required']));
    expect(codes(422)).toEqual(expect.arrayContaining(['validation_failed', 'custom_connection_not_configured']));
    expect(document.components.schemas.Problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code', 'detail']));
    // The webhook answers with empty bodies, as Xero requires: no problem+json there.
    const webhook = document.paths['/hooks/xero/'].post;
    expect(Object.keys(webhook.responses).sort()).toEqual(['200', '400', '401', '500', '503']);
    expect(webhook.security).toEqual([{ xeroSignature: [] }]);
    expect(JSON.stringify(webhook.responses)).not.toContain('problem+json');
  });

  it('answers an unauthenticated call in the documented problem shape', async () => {
    const res = await fetch(`${base}/api/orgs/org-1/contacts/c1`, { method: 'PUT' });
    expect(res.status).toBe(401);
    const problem = (await res.json()) as Record<string, unknown>;
    const documentedCodes = document.paths['/api/orgs/{orgId}/contacts/{id}'].put.responses[401].content['application/problem+json'].schema.allOf[1].properties.code.enum;
    expect(documentedCodes).toContain(problem.code);
    expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
  });
});
