/** The API process's metrics: Xero's webhook deliveries, the Xero calls it makes for admins (test connection, settings checks), Node's own. */
import type { Registry } from 'prom-client';
import type { XeroCallObserver } from '../xero/client.ts';
import type { MetricsCredentials } from './access.ts';
import { createMetricsRegistry } from './registry.ts';
import { createWebhookMetrics, type WebhookMetrics } from './webhooks.ts';
import { createXeroCallMetrics } from './xero-calls.ts';

export interface ApiMetrics {
  registry: Registry;
  webhooks: WebhookMetrics;
  xeroCalls: XeroCallObserver;
  /** METRICS_USER / METRICS_PASSWORD; without them `/metrics` answers loopback callers only. */
  credentials?: MetricsCredentials;
}

export function createApiMetrics({ credentials }: { credentials?: MetricsCredentials } = {}): ApiMetrics {
  const registry = createMetricsRegistry();
  return { registry, webhooks: createWebhookMetrics(registry), xeroCalls: createXeroCallMetrics(registry), credentials };
}
