/**
 * Online invoice links for invoices Xero has approved: one Xero call per invoice (that is Xero's API), each
 * through the pacer, `concurrency` at a time, after the batches that made them approved.
 */
import type { OrgRun } from './run.ts';

export async function fetchOnlineInvoiceLinks(run: OrgRun, invoiceIds: string[]): Promise<{ calls: number; stored: number }> {
  const { orgId, xero, pacer, config, state } = run;
  const ids = [...new Set(invoiceIds)];
  let next = 0;
  let calls = 0;
  let stored = 0;
  const lane = async () => {
    while (next < ids.length && !state.paused) {
      const invoiceId = ids[next++]!;
      const result = await pacer.run(() => xero.fetchOnlineInvoice({ orgId, invoiceId }));
      if (result.rateLimits) calls++;
      if (result.stored) stored++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, ids.length) }, lane));
  return { calls, stored };
}
