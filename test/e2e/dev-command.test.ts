/**
 * The README's first command, as a new user runs it: `npm run dev` on embedded defaults (its own
 * PostgreSQL, a Temporal dev server with the Web UI, the Xero sandbox), then an organisation connects
 * through the sandbox's consent page, a member is pushed to Xero, and Ctrl-C stops everything. A second
 * start finds the data and the workflow history where the first left them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, isListening } from '../../scripts/free-port.ts';
import { eventually } from '../support/stack.ts';
import { rememberOutput, rememberSecret } from '../support/secret-audit.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'xero-sync-dev-'));
chmodSync(dataDir, 0o755); // the embedded Postgres runs as the `postgres` user when we are root
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface DevRun {
  child: ChildProcess;
  output: () => string;
  apiUrl: string;
  uiUrl: string;
  orgToken: string;
}

const ports = { api: await freePort(), pg: await freePort(), temporal: await freePort(), ui: await freePort(), sandbox: await freePort(), metrics: await freePort() };

async function startDev(): Promise<DevRun> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, XERO_SYNC_CACHE_DIR: process.env.XERO_SYNC_CACHE_DIR, TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH };
  Object.assign(env, {
    DEV_DATA_DIR: dataDir,
    API_PORT: String(ports.api),
    DEV_POSTGRES_PORT: String(ports.pg),
    DEV_TEMPORAL_PORT: String(ports.temporal),
    DEV_TEMPORAL_UI_PORT: String(ports.ui),
    SANDBOX_PORT: String(ports.sandbox),
    METRICS_PORT: String(ports.metrics),
    LOG_LEVEL: 'warn',
  });
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(() => Promise.resolve(output.includes('xero-sync is running') || child.exitCode !== null), { timeoutMs: 120_000, intervalMs: 200 });
  expect(child.exitCode, output).toBeNull();
  const orgToken = /client_admin of demo-org\s+(\S+)/.exec(output)?.[1];
  const uiUrl = /Temporal Web UI\s+(http\S+)/.exec(output)?.[1];
  expect(orgToken, output).toBeTruthy();
  // For the secret audit: the secrets it generated, and its output once it has stopped (the tokens it prints for
  // the developer are meant to be seen; its keys never).
  const devSecrets = JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')) as Record<string, string>;
  for (const [name, value] of Object.entries(devSecrets)) rememberSecret(`npm run dev ${name}`, name === 'ENCRYPTION_KEY' ? value.slice(value.indexOf(':') + 1) : value);
  child.once('exit', () => rememberOutput('npm run dev', output));
  return { child, output: () => output, apiUrl: `http://127.0.0.1:${ports.api}`, uiUrl: uiUrl!, orgToken: orgToken! };
}

async function stopWithCtrlC(run: DevRun): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => run.child.once('exit', (code) => resolve(code)));
  run.child.kill('SIGINT');
  return exited;
}

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });

it('runs the whole service on embedded defaults, syncs a member through the sandbox, and stops on Ctrl-C', async () => {
  const dev = await startDev();
  const auth = { authorization: `Bearer ${dev.orgToken}` };

  expect(await json(await fetch(`${dev.apiUrl}/readyz`))).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', temporal: 'ok' } } });
  expect((await fetch(dev.uiUrl)).status).toBe(200);

  // The printed sign-in links open the settings page (client admin of demo-org) and the console.
  for (const [label, page] of [['client admin of demo-org', '/settings/integrations/xero'], ['Console, platform admin', '/admin/integrations/xero']]) {
    const link = new RegExp(`${label}\\s+(http\\S+)`).exec(dev.output())?.[1];
    expect(link, dev.output()).toBeTruthy();
    const opened = await fetch(link!, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(page);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const shown = await fetch(`${dev.apiUrl}${page}`, { headers: { cookie } });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('<main id="app"');
  }

  // Connect: the consent URL leads to the sandbox's page; "Allow" for one organisation redirects to our callback.
  const connect = await json(await fetch(`${dev.apiUrl}/api/orgs/demo-org/integrations/xero/connect`, { method: 'POST', headers: auth }));
  expect(connect.status).toBe(200);
  const consent = new URL(connect.body.consentUrl as string);
  const form = new URLSearchParams(consent.searchParams);
  form.set('tenantId', '6b4a4a2e-7f1c-4d3a-9a51-0c8a1d2e3f01');
  form.set('decision', 'allow');
  const allowed = await fetch(`${consent.origin}${consent.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
  const callback = allowed.headers.get('location')!;
  expect(callback.startsWith(`${dev.apiUrl}/auth/callback/xero?`)).toBe(true);
  const connected = await json(await fetch(callback, { headers: { accept: 'application/json' } }));
  expect(connected.body).toMatchObject({ code: 'connected', card: { status: 'connected', xeroOrganisationName: 'Harbour City Rowing Club' } });

  const put = await fetch(`${dev.apiUrl}/api/orgs/demo-org/contacts/m1`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.org' }),
  });
  expect(put.status).toBe(200);
  const synced = await eventually(async () => {
    const { body } = await json(await fetch(`${dev.apiUrl}/api/orgs/demo-org/contacts/m1`, { headers: auth }));
    return body.sync.state === 'synced' ? body : undefined;
  });
  expect(synced.sync.xeroId).toMatch(/^[0-9a-f-]{36}$/);

  // The Web UI's API lists the organisation's workflow, and finds it by its search attributes.
  const workflows = await (await fetch(`${dev.uiUrl}/api/v1/namespaces/default/workflows`)).text();
  expect(workflows).toContain('xero-org:demo-org');
  const query = encodeURIComponent(`OrgId = 'demo-org' AND ConnectionState = 'connected'`);
  const found = await eventually(async () => {
    const text = await (await fetch(`${dev.uiUrl}/api/v1/namespaces/default/workflows?query=${query}`)).text();
    return text.includes('xero-org:demo-org') ? text : undefined;
  });
  // The memo's Xero organisation name (payloads travel base64-encoded JSON in this API).
  expect(found).toContain(Buffer.from(JSON.stringify('Harbour City Rowing Club')).toString('base64'));

  // Prometheus' two scrape targets, as printed: the API's /metrics and the worker's own port (loopback, no credentials).
  expect(dev.output()).toContain(`http://127.0.0.1:${ports.metrics}/metrics (worker)`);
  const apiMetrics = await (await fetch(`${dev.apiUrl}/metrics`)).text();
  expect(apiMetrics).toContain('xero_sync_webhook_deliveries_total');
  const workerMetrics = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
  expect(workerMetrics).toMatch(/^xero_sync_records_pushed_total\{record_type="contact"\} 1$/m);
  expect(workerMetrics).toMatch(/^temporal_/m);

  expect(await stopWithCtrlC(dev)).toBe(0);
  for (const port of Object.values(ports)) expect(await isListening(port), `port ${port} still open`).toBe(false);

  // A second start reuses the data directory: the member and the workflow history are still there.
  const again = await startDev();
  const { body } = await json(await fetch(`${again.apiUrl}/api/orgs/demo-org/contacts/m1`, { headers: auth }));
  expect(body.sync).toMatchObject({ state: 'synced', xeroId: synced.sync.xeroId });
  expect(await (await fetch(`${again.uiUrl}/api/v1/namespaces/default/workflows`)).text()).toContain('xero-org:demo-org');
  expect(await stopWithCtrlC(again)).toBe(0);
}, 300_000);
