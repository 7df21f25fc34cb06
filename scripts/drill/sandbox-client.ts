/** The sandbox's control API over HTTP (sandbox/control.ts), for a sandbox running as a process of its own. */
import type { FaultSettings } from '../../sandbox/options.ts';
import type { StormSettings, StormStatus } from '../../sandbox/rate-limit-storm.ts';

export interface SandboxOrgCounts {
  contacts: number;
  invoices: number;
  payments: number;
  duplicates: Record<string, string[]>;
  inFlight: number;
}

export interface SandboxCounters {
  calls: Record<string, Record<string, number>>;
  callsTotal: number;
  rateLimited: Record<string, number>;
  faults: { byStatus: Record<string, number>; timeouts: number };
  organisations: Record<string, SandboxOrgCounts>;
  webhooks: { deliveries: number; delivered: number; failedAttempts: number; abandoned: number; dropped: number };
}

export interface SandboxDelivery {
  id: number;
  events: Array<{ tenantId: string; resourceId: string; eventCategory: string }>;
  attempts: Array<{ at: number; status?: number; error?: string }>;
  delivered: boolean;
}

export interface SandboxClient {
  url: string;
  createOrganisation(input: { name: string }): Promise<{ tenantId: string; name: string }>;
  registerClient(input: { kind: 'custom' | 'web'; tenantIds?: string[]; redirectUris?: string[] }): Promise<{ clientId: string; clientSecret: string }>;
  setFaults(patch: Partial<FaultSettings>): Promise<FaultSettings>;
  /** Starts a 429 storm now, or arms it to begin after `afterCalls` more calls (of `tenantId`). */
  rateLimitStorm(settings: StormSettings): Promise<StormStatus>;
  rateLimitStormStatus(): Promise<StormStatus>;
  counters(): Promise<SandboxCounters>;
  records(tenantId: string): Promise<{ contacts: Array<Record<string, unknown>>; invoices: Array<Record<string, unknown>>; payments: Array<Record<string, unknown>> }>;
  payInvoice(tenantId: string, invoiceId: string, pay?: { amount?: number; reference?: string }): Promise<{ PaymentID: string }>;
  setWebhook(patch: { url?: string; key?: string; enabled?: boolean }): Promise<void>;
  webhookDeliveries(): Promise<SandboxDelivery[]>;
  flushWebhooks(): Promise<void>;
}

export function sandboxClient(url: string): SandboxClient {
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url,
    createOrganisation: (input) => control('POST', '/organisations', input),
    registerClient: (input) => control('POST', '/clients', input),
    setFaults: (patch) => control('PUT', '/faults', patch),
    rateLimitStorm: (settings) => control('POST', '/rate-limit-storm', settings),
    rateLimitStormStatus: () => control('GET', '/rate-limit-storm'),
    counters: () => control('GET', '/counters'),
    records: (tenantId) => control('GET', `/organisations/${tenantId}/records`),
    payInvoice: (tenantId, invoiceId, pay = {}) => control('POST', `/organisations/${tenantId}/invoices/${invoiceId}/payments`, pay),
    setWebhook: async (patch) => {
      await control('PUT', '/webhook', patch);
    },
    webhookDeliveries: () => control('GET', '/webhooks/deliveries'),
    flushWebhooks: async () => {
      await control('POST', '/webhooks/flush');
    },
  };
}
