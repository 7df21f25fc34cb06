/**
 * One pass over the organisation's pending records, in dependency order (contacts, then invoices and
 * expenses, then payments), in batches of up to 50 a call, `concurrency` lanes at a time, each call
 * through the pacer; then the emails Xero should send for invoices it now holds.
 */
import { uuid4 } from '@temporalio/workflow';
import type { DrainSummary } from '../messages.ts';
import type { TenantRun } from './run.ts';

type PushActivity = 'pushContactBatch' | 'pushInvoiceBatch' | 'pushExpenseBatch' | 'pushPaymentBatch';

/** Dependency order: a contact exists before its invoice, an invoice before its payment. */
const PHASES: PushActivity[][] = [['pushContactBatch'], ['pushInvoiceBatch', 'pushExpenseBatch'], ['pushPaymentBatch']];
export const BATCH_SIZE = 50;

/** Runs one pass over every kind of pending record; returns what it did. */
export async function drainPending(run: TenantRun): Promise<DrainSummary> {
  const { orgId, steps, xero, pacer, config, status } = run;
  const summary: DrainSummary = { synced: 0, failed: 0, requeued: 0, emailed: 0, calls: 0 };
  const toEmail: string[] = [];
  const work = await steps.pendingWork({ orgId });

  if (work.contactsToCreate > 0) {
    // Learn which contacts Xero already has, so new members are adopted rather than duplicated.
    let page = 1;
    let newestSeen: string | undefined;
    for (;;) {
      const result = await pacer.run(() => xero.refreshContactIndexPage({ orgId, page, newestSeen }));
      summary.calls++;
      newestSeen = result.newestSeen;
      if (!result.more) break;
      page++;
    }
  }

  for (const phase of PHASES) {
    const exhausted = new Set<PushActivity>();
    const lane = async (offset: number) => {
      for (let i = 0; i < phase.length; i++) {
        const activity = phase[(i + offset) % phase.length]!;
        while (!exhausted.has(activity) && !run.paused()) {
          status.pushing = activity;
          const result = await pacer.run(() => xero[activity]({ orgId, claimId: `${orgId}:${uuid4()}` }));
          if (result.budget) summary.calls++;
          summary.synced += result.synced;
          summary.failed += result.failed;
          summary.requeued += result.requeued;
          toEmail.push(...(result.toEmail ?? []));
          if (result.claimed < BATCH_SIZE) exhausted.add(activity);
        }
      }
    };
    await Promise.all(Array.from({ length: config.concurrency }, (_, i) => lane(i)));
    if (run.paused()) return summary;
  }

  for (const invoiceId of toEmail) {
    if (run.paused()) break;
    const result = await pacer.run(() => xero.emailInvoice({ orgId, invoiceId }));
    if (result.budget) summary.calls++;
    if (result.emailed) summary.emailed++;
  }
  status.pushing = undefined;
  return summary;
}
