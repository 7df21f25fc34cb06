/**
 * The worker process's metrics: pushes and failures by record type, Xero calls, 429s and budgets, the
 * database gauges (outbox, pending records) read at scrape time, and the Temporal SDK's own, merged in.
 */
import type { Registry } from 'prom-client';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import type { XeroCallObserver } from '../xero/client.ts';
import type { MetricsCredentials } from './access.ts';
import { createDatabaseGauges } from './database-gauges.ts';
import { createPushMetrics, type PushMetrics } from './push.ts';
import { createMetricsRegistry } from './registry.ts';
import type { TemporalSdkMetrics } from './temporal-sdk.ts';
import { createXeroCallMetrics } from './xero-calls.ts';

export interface WorkerMetrics {
  registry: Registry;
  push: PushMetrics;
  xeroCalls: XeroCallObserver;
  credentials?: MetricsCredentials;
  /** The SDK's exporter to merge, when this process installed the runtime. */
  temporalSdk?: TemporalSdkMetrics;
}

export function createWorkerMetrics({ db, logger, credentials, temporalSdk }: { db: Db; logger: Logger; credentials?: MetricsCredentials; temporalSdk?: TemporalSdkMetrics }): WorkerMetrics {
  const registry = createMetricsRegistry();
  createDatabaseGauges(registry, { db, logger });
  return { registry, push: createPushMetrics(registry), xeroCalls: createXeroCallMetrics(registry), credentials, temporalSdk };
}
