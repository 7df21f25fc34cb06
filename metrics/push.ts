/** What the push activities report: records Xero took (created, updated, adopted) and records that failed, by type. */
import { Counter, type Registry } from 'prom-client';

export interface PushMetrics {
  /** After a batch's outcome is committed. */
  recordOutcomes(recordType: string, outcome: { synced: number; failed: number }): void;
}

export function createPushMetrics(registry: Registry): PushMetrics {
  const pushed = new Counter({
    name: 'xero_sync_records_pushed_total',
    help: 'Records Xero now holds after a push (created, updated, or an existing Xero record adopted), by record type.',
    labelNames: ['record_type'] as const,
    registers: [registry],
  });
  const failed = new Counter({
    name: 'xero_sync_records_failed_total',
    help: 'Records a push left failed (Xero refused them, or a mapping is missing), by record type.',
    labelNames: ['record_type'] as const,
    registers: [registry],
  });
  // Every type shows from the first scrape, at 0: a rate() over a series that appears late misses its first increments.
  for (const recordType of ['contact', 'invoice', 'payment', 'expense']) {
    pushed.inc({ record_type: recordType }, 0);
    failed.inc({ record_type: recordType }, 0);
  }
  return {
    recordOutcomes(recordType, { synced, failed: failures }) {
      if (synced > 0) pushed.inc({ record_type: recordType }, synced);
      if (failures > 0) failed.inc({ record_type: recordType }, failures);
    },
  };
}
