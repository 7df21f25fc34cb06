/**
 * `npm run sandbox`: the Xero sandbox on its own, seeded with a demo app and two organisations.
 *
 * Environment: SANDBOX_PORT (4010), SANDBOX_HOST (127.0.0.1), SANDBOX_TIME_SCALE (1),
 * SANDBOX_WEBHOOK_URL / SANDBOX_WEBHOOK_KEY, SANDBOX_CLIENT_ID / SANDBOX_CLIENT_SECRET (the demo web app),
 * SANDBOX_REDIRECT_URIS (comma-separated; any when unset), SANDBOX_LOG=1 to log every request,
 * SANDBOX_VALIDATE_REQUESTS=record|reject to check Accounting requests against Xero's OpenAPI spec,
 * SANDBOX_CALL_DURATION_MS (Xero ms each call holds its in-flight slot; default 300, Xero's usual round trip).
 */
import { REALISTIC_CALL_DURATION_MS, startSandbox } from './index.ts';

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`${name} must be a number, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const webhookUrl = process.env['SANDBOX_WEBHOOK_URL'];
const webhookKey = process.env['SANDBOX_WEBHOOK_KEY'];
const clientId = process.env['SANDBOX_CLIENT_ID'] || 'SANDBOXDEMOCLIENT0000000000000001';
const clientSecret = process.env['SANDBOX_CLIENT_SECRET'] || 'sandbox-demo-secret';
const validateRequests = process.env['SANDBOX_VALIDATE_REQUESTS'] || undefined;
if (validateRequests !== undefined && validateRequests !== 'record' && validateRequests !== 'reject') {
  console.error(`SANDBOX_VALIDATE_REQUESTS is 'record' or 'reject', got "${validateRequests}"`);
  process.exit(2);
}

const sandbox = await startSandbox({
  port: numberFromEnv('SANDBOX_PORT', 4010),
  host: process.env['SANDBOX_HOST'] || '127.0.0.1',
  timeScale: numberFromEnv('SANDBOX_TIME_SCALE', 1),
  limits: { callDurationMs: numberFromEnv('SANDBOX_CALL_DURATION_MS', REALISTIC_CALL_DURATION_MS) },
  webhook: webhookUrl && webhookKey ? { url: webhookUrl, key: webhookKey } : undefined,
  log: process.env['SANDBOX_LOG'] === '1' ? (line) => console.log(line) : undefined,
  validateRequests,
  onSpecViolation: (v) => console.warn(`spec violation #${v.seq}${v.rejected ? ' (rejected)' : ''}: ${v.method} ${v.path}\n  ${v.errors.join('\n  ')}`),
  organisations: [
    { tenantId: '6b4a4a2e-7f1c-4d3a-9a51-0c8a1d2e3f01', name: 'Harbour City Rowing Club', countryCode: 'NZ', currencies: ['AUD', 'USD'] },
    { tenantId: '6b4a4a2e-7f1c-4d3a-9a51-0c8a1d2e3f02', name: 'Demo Company (AU)', countryCode: 'AU', isDemoCompany: true },
  ],
  clients: [{
    clientId,
    clientSecret,
    kind: 'web',
    name: 'xero-sync (local)',
    redirectUris: process.env['SANDBOX_REDIRECT_URIS']?.split(',').map((s) => s.trim()).filter(Boolean),
  }],
});
if (webhookUrl && !webhookKey) console.warn('SANDBOX_WEBHOOK_URL is set without SANDBOX_WEBHOOK_KEY: webhooks are off');

console.log(`Xero sandbox listening on ${sandbox.url}
  Accounting API  ${sandbox.apiUrl}          (xero-node: accountingApi.basePath)
  Identity        ${sandbox.identityUrl}/connect/token   (XERO_IDENTITY_URL=${sandbox.identityUrl})
  Login           ${sandbox.loginUrl}/identity/connect/authorize   (XERO_LOGIN_URL=${sandbox.loginUrl})
  Connections     ${sandbox.url}/connections
  Control         ${sandbox.controlUrl}
  Demo web app    client_id=${clientId}  client_secret=${clientSecret}
  Organisations   ${sandbox.control.listOrganisations().map((o) => `${o.name} (${o.tenantId})`).join(', ')}
  Webhooks        ${webhookUrl && webhookKey ? webhookUrl : 'off (set SANDBOX_WEBHOOK_URL and SANDBOX_WEBHOOK_KEY)'}
  Time scale      ${sandbox.control.timeScale}x (each call takes ${sandbox.control.limits.callDurationMs} Xero ms: SANDBOX_CALL_DURATION_MS)
  Spec checks     ${sandbox.control.requestValidation} (SANDBOX_VALIDATE_REQUESTS=record|reject)`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the Xero sandbox`);
    sandbox.close().then(() => process.exit(0), (error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
