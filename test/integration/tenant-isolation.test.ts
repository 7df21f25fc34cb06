/**
 * Every route the Express app serves, found by walking its router (test/support/express-routes.ts), called on
 * organisation A by organisation B's client admin (with a bearer token, and signed in to the pages with a
 * session cookie and its CSRF token) and by B's main app (`service`): each answers 404 (an `/api/orgs/{orgId}`
 * route: A's existence is not confirmed) or 403 (a platform admin's route or page), and nothing of A changes:
 * not one row of any table that carries `org_id`, not one signal to A's workflow. A route outside these
 * families must be named below with the reason it belongs to no organisation, or the test fails.
 *
 * Then the same calls by A's own callers are not refused, so the refusals above are about the organisation,
 * not about ids or bodies that could never have worked.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../api/auth.ts';
import { openApiPath } from '../../api/openapi/document.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery } from '../../workflows/messages.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { seedRecords, signInToPages } from '../fuzz/fixture.ts';
import { operationsOf, type OpenApi, type Operation } from '../fuzz/operations.ts';
import { arbitraryFor } from '../fuzz/schema-arbitrary.ts';
import { servedRoutes } from '../support/express-routes.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg, type ConnectedOrg } from '../support/xero-org.ts';
import { signalsReceived } from './webhooks-helpers.ts';

/** Routes that belong to no organisation, and why. */
const NOT_ORGANISATION_ROUTES: Record<string, string> = {
  'GET /healthz': 'liveness, no data',
  'GET /readyz': 'readiness, no data',
  'GET /metrics': 'aggregate figures, loopback or basic auth',
  'GET /openapi.json': 'the API description',
  'GET /docs': 'the reference page',
  'GET /docs/assets/{file}': "the reference page's scripts",
  'POST /billing/xero/webhooks/': "Xero's deliveries, authorised by the signature, owned by tenant",
  'GET /auth/callback/xero': "a browser back from Xero, authorised by the signed single-use state",
  'GET /ui/sign-in': 'opens a single-use sign-in link, whoever holds it',
  'POST /ui/sign-out': "ends the caller's own session",
  'GET /ui/signed-out': 'a static message',
  'GET /ui/assets/{file}': "the pages' scripts",
  'GET /settings/integrations/xero': "the settings page of the session's own organisation: no organisation in its path",
};

/** The console's pages: a platform admin's session only (they take no bearer token, so only B's session is tried). */
const PLATFORM_PAGES = ['GET /admin/integrations/xero', 'GET /admin/integrations/xero/:orgId'];

type Caller = { name: string; headers: (method: string) => Promise<Record<string, string>> };
let callersOfB: Caller[];

/** Bodies chosen rather than generated: a generated plan could switch A's integrations off for the routes after it. */
const CHOSEN_BODIES: Record<string, unknown> = { 'PUT /api/orgs/:orgId/plan': { integrations: true } };

const webApp = { clientId: `WEB${randomUUID().slice(0, 8).toUpperCase()}`, clientSecret: randomUUID() };
let sandbox: Sandbox;
let stack: TestStack;
let a: ConnectedOrg;
let b: ConnectedOrg;
let ids: Record<string, string[]>;
let operations: Map<string, Operation>;
let components: OpenApi['components']['schemas'];

beforeAll(async () => {
  sandbox = await startTestSandbox({ clients: [{ ...webApp, kind: 'web' }] });
  stack = await startTestStack({
    xeroUrl: sandbox.url,
    env: { XERO_CLIENT_ID: webApp.clientId, XERO_CLIENT_SECRET: webApp.clientSecret, XERO_REDIRECT_URI: 'http://127.0.0.1:1/auth/callback/xero' },
  });
  [a, b] = [await connectSandboxOrg(stack, sandbox), await connectSandboxOrg(stack, sandbox)];
  ids = await seedRecords(stack, a.orgId);
  await seedRecords(stack, b.orgId);
  const session = await signInToPages(stack, b.orgId);
  const bearer = (role: Role) => async () => ({ authorization: `Bearer ${await stack.token(role, b.orgId)}` });
  callersOfB = [
    { name: "B's client_admin", headers: bearer('client_admin') },
    { name: "B's service", headers: bearer('service') },
    { name: "B's client_admin signed in to the pages", headers: async (method) => ({ cookie: session.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrf }) }) },
  ];
  const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as OpenApi;
  operations = new Map(operationsOf(document).map((op) => [`${op.method} ${op.template}`, op]));
  components = document.components.schemas;
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

/** Every row of A in every table with an `org_id` column, as JSON: "nothing changed" is this, unchanged. */
async function everythingOf(orgId: string): Promise<Record<string, unknown[]>> {
  const tables = await stack.database.sql<{ table_name: string }[]>`
    select table_name from information_schema.columns where column_name = 'org_id' and table_schema = current_schema() order by table_name`;
  const rows: Record<string, unknown[]> = {};
  for (const { table_name: table } of tables) {
    rows[table] = await stack.database.sql.unsafe(`select to_jsonb(t) as row from "${table}" t where org_id = $1 order by to_jsonb(t)::text`, [orgId]);
  }
  return rows;
}

/** The route as a request on A: its known record ids, a body generated from the document's schema. */
function requestOn(route: string, orgId: string) {
  const [method, path] = route.split(' ') as [string, string];
  const template = openApiPath(path);
  const op = operations.get(`${method} ${template}`);
  const segments = template.split('/');
  const url = segments.map((segment, i) => (segment === '{orgId}' ? orgId : segment === '{id}' ? (ids[segments[i - 1]!]?.[0] ?? 'unknown') : segment)).join('/');
  const schema = op?.body?.schema;
  const chosen = CHOSEN_BODIES[route];
  const body = chosen ? JSON.stringify(chosen) : schema ? JSON.stringify(fc.sample(arbitraryFor(schema, components), { numRuns: 1, seed: 42 })[0]) : undefined;
  return { method, url, body, roles: op?.roles ?? [] };
}

async function call(route: string, orgId: string, headers: Record<string, string>) {
  const { method, url, body } = requestOn(route, orgId);
  const res = await fetch(`${stack.apiUrl}${url}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, code: text.startsWith('{') ? (JSON.parse(text) as { code?: string }).code : undefined };
}

describe('another organisation, on every route the router has', () => {
  it("is refused with 404 or 403 everywhere, and changes nothing of A's", async () => {
    const routes = servedRoutes(stack.app);
    const organisation = routes.filter((r) => r.split(' ')[1]!.startsWith('/api/orgs/:orgId'));
    const platform = routes.filter((r) => r.split(' ')[1]!.startsWith('/api/admin/'));
    const pages = routes.filter((r) => PLATFORM_PAGES.includes(r));
    const unclassified = routes.filter(
      (r) => !organisation.includes(r) && !platform.includes(r) && !pages.includes(r) && !(`${r.split(' ')[0]} ${openApiPath(r.split(' ')[1]!)}` in NOT_ORGANISATION_ROUTES),
    );
    expect(pages).toEqual(PLATFORM_PAGES);
    expect(unclassified, 'routes that are neither an organisation\'s, nor a platform admin\'s, nor named as belonging to none').toEqual([]);
    expect(organisation.length).toBeGreaterThan(30);

    // A at rest: its records pushed, its workflow idle, then no worker, so only the calls below could change anything.
    await eventually(async () => {
      const pending = await stack.database.sql`select 1 from sync_state where org_id = ${a.orgId} and state = 'pending' limit 1`;
      const status = await stack.temporal.workflow.getHandle(orgWorkflowId(a.orgId)).query(statusQuery);
      return pending.length === 0 && status.phase === 'idle';
    }, { timeoutMs: 60_000 });
    await stack.stopWorker();
    const before = await everythingOf(a.orgId);
    const signalsBefore = await signalsReceived(stack.temporal, a.orgId);

    const answers: string[] = [];
    for (const route of [...organisation, ...platform, ...pages]) {
      const callers = pages.includes(route) ? callersOfB.filter((c) => c.name.includes('pages')) : callersOfB;
      for (const caller of callers) {
        const { status, code } = await call(route, a.orgId, await caller.headers(route.split(' ')[0]!));
        const expected = organisation.includes(route) ? 404 : 403;
        if (status !== expected) answers.push(`${route} as ${caller.name}: ${status} ${code ?? ''} (expected ${expected})`);
      }
    }
    expect(answers).toEqual([]);
    expect(await everythingOf(a.orgId)).toEqual(before);
    expect(await signalsReceived(stack.temporal, a.orgId)).toEqual(signalsBefore);
  });

  it("and A's own callers, on the same routes, are not refused", async () => {
    const routes = servedRoutes(stack.app).filter((r) => r.split(' ')[1]!.startsWith('/api/orgs/:orgId'));
    const refused: string[] = [];
    for (const route of routes) {
      const role = requestOn(route, a.orgId).roles.find((r): r is 'client_admin' | 'service' => r === 'client_admin' || r === 'service');
      if (!role) throw new Error(`${route}: the document lists no organisation role for it`);
      const { status, code } = await call(route, a.orgId, { authorization: `Bearer ${await stack.token(role, a.orgId)}` });
      // Every :id is one of A's records: a 404 here would mean the refusal above proved nothing.
      if (status === 401 || status === 403 || status === 404) refused.push(`${route} as A's ${role}: ${status} ${code}`);
    }
    expect(refused).toEqual([]);
  });
});
