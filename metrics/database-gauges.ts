/**
 * Gauges read from Postgres when Prometheus scrapes, not kept in memory: outbox depth, age of the oldest
 * undelivered event, pending records by type. One read serves every gauge of a scrape; a read that fails or
 * times out leaves the last values and says so in `xero_sync_database_gauges_up`.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import { readOperatorGauges, type OperatorGauges } from '../db/queries/operator-gauges.ts';
import { recordTypes } from '../db/schema/index.ts';

export interface DatabaseGaugeOptions {
  db: Db;
  logger: Logger;
  /** Statement timeout for the scrape's queries (default 2 s: Prometheus' own timeout is 10 s by default). */
  timeoutMs?: number;
}

export function createDatabaseGauges(registry: Registry, { db, logger, timeoutMs = 2_000 }: DatabaseGaugeOptions): void {
  // A scrape collects every gauge at once (prom-client awaits them together): they share the read in flight,
  // and the next scrape reads afresh.
  let inFlight: Promise<OperatorGauges | undefined> | undefined;
  const read = (): Promise<OperatorGauges | undefined> => {
    inFlight ??= readOperatorGauges(db, { timeoutMs })
      .catch((err: unknown) => {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics: could not read the database gauges');
        return undefined;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  new Gauge({
    name: 'xero_sync_database_gauges_up',
    help: '1 when this scrape read the database gauges below, 0 when that read failed or timed out (they then show the previous values).',
    registers: [registry],
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'xero_sync_outbox_depth',
    help: 'Events for the main app (invoice.paid, sync.failed...) written but not yet delivered.',
    registers: [registry],
    async collect() {
      const gauges = await read();
      if (gauges) this.set(gauges.outboxDepth);
    },
  });
  new Gauge({
    name: 'xero_sync_outbox_oldest_event_age_seconds',
    help: 'Age of the oldest undelivered event for the main app; 0 when none waits.',
    registers: [registry],
    async collect() {
      const gauges = await read();
      if (gauges) this.set(gauges.oldestUndeliveredAt ? Math.max(0, (Date.now() - gauges.oldestUndeliveredAt.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'xero_sync_pending_records',
    help: 'Records waiting to be pushed to Xero, by record type, all organisations together.',
    labelNames: ['record_type'] as const,
    registers: [registry],
    async collect() {
      const gauges = await read();
      if (gauges) for (const recordType of recordTypes) this.set({ record_type: recordType }, gauges.pendingByType[recordType] ?? 0);
    },
  });
}
