/** Xero's webhook deliveries as the API answered them, and how long taking one in took (signature, store, answer). */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface WebhookMetrics {
  /** One delivery answered. */
  delivery(outcome: { status: number; seconds: number }): void;
  /** Events new to us committed (duplicates of events already stored are not counted). */
  eventsStored(count: number): void;
}

export function createWebhookMetrics(registry: Registry): WebhookMetrics {
  const deliveries = new Counter({
    name: 'xero_sync_webhook_deliveries_total',
    help: "Xero webhook deliveries, by the status answered (200 stored, 401 bad signature, 400 not a Xero delivery, 413 too large, 500 database failed: Xero retries).",
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: 'xero_sync_webhook_events_stored_total',
    help: 'Webhook events stored, new ones only (Xero redelivers: duplicates are not counted).',
    registers: [registry],
  });
  const ingest = new Histogram({
    name: 'xero_sync_webhook_ingest_seconds',
    help: 'From a webhook request reaching the route to its answer: signature check and events committed. Xero wants it under 5 s.',
    labelNames: ['status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    delivery({ status, seconds }) {
      const label = { status: String(status) };
      deliveries.inc(label);
      ingest.observe(label, seconds);
    },
    eventsStored(count) {
      if (count > 0) events.inc(count);
    },
  };
}
