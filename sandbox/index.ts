/**
 * The Xero sandbox: a local emulator of Xero's identity service, connections endpoint, Accounting API and
 * webhooks, with a control API. See sandbox/README.md.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createSandboxApp } from './app.ts';
import { SandboxControl, type Runtime } from './control.ts';
import { IdempotencyCache } from './idempotency.ts';
import { RateLimiter } from './limits.ts';
import type { SandboxOptions } from './options.ts';
import { loadRequestValidator, requestValidationMode, specCheck, SpecViolationLog } from './spec-violations.ts';
import { SandboxStore } from './store.ts';
import { WebhookDispatcher } from './webhooks.ts';

export type { SandboxOptions, LimitSettings, FaultSettings, ClientSettings, WebhookSettings } from './options.ts';
export type { OrganisationInput } from './organisations.ts';
export type { AuthorizeInput, PayInput } from './control.ts';
export type { Delivery } from './webhooks.ts';
export type { IntentResult } from './intent-to-receive.ts';
export type { SpecViolation, RequestValidationMode, RequestValidationOption } from './spec-violations.ts';
export { SandboxControl } from './control.ts';
export { REALISTIC_CALL_DURATION_MS } from './options.ts';

export interface Sandbox {
  /** e.g. http://127.0.0.1:54321: every endpoint lives on this one origin. */
  url: string;
  /** `${url}/api.xro/2.0`: set as xero-node's accountingApi.basePath. */
  apiUrl: string;
  /** Identity base (token at `${identityUrl}/connect/token`): XERO_IDENTITY_URL. */
  identityUrl: string;
  /** Login base (page at `${loginUrl}/identity/connect/authorize`): XERO_LOGIN_URL. */
  loginUrl: string;
  /** `${url}/_sandbox`. */
  controlUrl: string;
  control: SandboxControl;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => {});
  const validationMode = requestValidationMode(options.validateRequests);
  // The spec is loaded before the sandbox listens, so no request pays for it.
  const validator = validationMode === 'off' ? undefined : await loadRequestValidator();
  const specViolations = new SpecViolationLog(validationMode, options.onSpecViolation);
  const store = new SandboxStore(options.timeScale ?? 1);
  if (options.providerName) store.providerName = options.providerName;
  store.onSecretIssued = options.onSecretIssued;
  const webhooks = new WebhookDispatcher(store, {
    url: options.webhook?.url,
    key: options.webhook?.key,
    ...(options.webhookBatchMs !== undefined ? { batchMs: options.webhookBatchMs } : {}),
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
  }, log);
  const runtime: Runtime = {
    store,
    limiter: new RateLimiter(store),
    idempotency: new IdempotencyCache(store),
    webhooks,
    announce: webhooks.record,
    specViolations,
  };
  const control = new SandboxControl(runtime);
  if (options.limits) control.setLimits(options.limits);
  if (options.faults) control.setFaults(options.faults);
  for (const org of options.organisations ?? []) control.createOrganisation(org);
  for (const client of options.clients ?? []) control.registerClient(client);

  const held = new Set<() => void>();
  const app = createSandboxApp({ ...runtime, control, held, log, ...(validator ? { specCheck: specCheck(validator, specViolations, log) } : {}) });
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  store.baseUrl = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    apiUrl: `${url}/api.xro/2.0`,
    identityUrl: url,
    loginUrl: url,
    controlUrl: `${url}/_sandbox`,
    control,
    close() {
      closing ??= (async () => {
        for (const end of held) end();
        held.clear();
        await webhooks.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
