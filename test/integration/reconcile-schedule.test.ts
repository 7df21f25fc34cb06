/**
 * Scheduled reconciliation: one Temporal Schedule per connected organisation (`xero-reconcile:{orgId}`),
 * created on connect, paused on disconnect, unpaused on reconnect. Triggered (as from the Web UI), it has the
 * organisation's workflow sweep Xero's payments and invoices and repair what no webhook announced; the drift
 * report shows in the admin status.
 */
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { reconciliationRuns, syncState } from '../../db/schema/index.ts';
import { reconcileScheduleId, orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery, xeroEventsSignal } from '../../workflows/messages.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { connectThroughApi, localInvoice, paymentsOf, pushInvoice, settled, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';

const INTERVAL_MS = 30 * 24 * 60 * 60_000;

let s: FromXeroStack;
beforeAll(async () => {
  // Long enough that no run falls due by itself during the test: every sweep here is triggered.
  s = await startFromXeroStack({ RECONCILE_INTERVAL: '30d' });
});
afterAll(async () => {
  await s?.close();
});

async function runsOf(orgId: string) {
  return s.db.select().from(reconciliationRuns).where(eq(reconciliationRuns.orgId, orgId)).orderBy(reconciliationRuns.id);
}

/** Triggers the schedule (what "Trigger" in the Web UI does) and waits for the sweep it asks for to finish. */
async function triggerSweep(orgId: string) {
  const before = (await runsOf(orgId)).length;
  await s.stack.temporal.schedule.getHandle(reconcileScheduleId(orgId)).trigger();
  return eventually(async () => (await runsOf(orgId))[before], { timeoutMs: 30_000 });
}

describe('the reconciliation schedule', () => {
  it('finds a payment made while webhooks were off on its next run, repairs drift in totals, reports it, and follows the connection', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);

    // Created on connect, with the configured interval and jitter.
    const schedule = s.stack.temporal.schedule.getHandle(reconcileScheduleId(orgId));
    const described = await eventually(() => schedule.describe());
    expect(described.state.paused).toBe(false);
    expect(described.spec.intervals?.[0]?.every).toBe(INTERVAL_MS);
    expect(described.spec.jitter).toBeGreaterThan(0);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'xeroReconcileScheduleWorkflow', args: [{ orgId }] });

    const paid = await pushInvoice(s, orgId, { invoiceId: 'inv-missed' });
    const edited = await pushInvoice(s, orgId, { invoiceId: 'inv-edited', unitAmount: '80.00' });
    await settled(s, orgId);

    // Nothing changed yet: a sweep finds no drift.
    const quiet = await triggerSweep(orgId);
    expect(quiet.drift.counts).toEqual({ paymentsRecorded: 0, paymentsReversed: 0, invoicesUpdated: 0, invoicesRequeued: 0, invoicesDeletedInXero: 0, contactsChangedInXero: 0 });
    expect(quiet).toMatchObject({ trigger: 'schedule', note: null });

    // Webhooks go missing: a payment in full, and a bookkeeper's edit of the other invoice's amount.
    s.sandbox.control.setWebhook({ enabled: false });
    let payment: { PaymentID: string };
    try {
      payment = s.sandbox.control.payInvoice(tenantId, paid.xeroInvoiceId, { reference: 'Missed webhook' }) as { PaymentID: string };
      s.sandbox.control.updateInvoice(tenantId, edited.xeroInvoiceId, {
        LineItems: [{ Description: 'Annual membership (discounted in Xero)', Quantity: 1, UnitAmount: 60, AccountCode: '200' }],
      });
      await s.sandbox.control.flushWebhooks();
    } finally {
      s.sandbox.control.setWebhook({ enabled: true });
    }
    expect(s.sandbox.control.counters().webhooks.dropped).toBeGreaterThan(0);
    // Every delivery attempt has ended (flushed), so anything delivered is stored already. A read-back pass
    // asked for after that, and seen finished, would have applied it: it found nothing to apply.
    const org = s.stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
    const passesBefore = (await org.query(statusQuery)).drains;
    await org.signal(xeroEventsSignal);
    await eventually(async () => {
      const status = await org.query(statusQuery);
      return status.drains > passesBefore && status.phase === 'idle';
    });
    expect(await localInvoice(s.db, orgId, 'inv-missed')).toMatchObject({ amountPaid: '0.00', xeroStatus: 'AUTHORISED' });

    // The next scheduled run finds both.
    const sweep = await triggerSweep(orgId);
    // The paid invoice's status and amounts, and the edited one's amount due, were behind Xero.
    expect(sweep.drift.counts).toEqual({ paymentsRecorded: 1, paymentsReversed: 0, invoicesUpdated: 2, invoicesRequeued: 1, invoicesDeletedInXero: 0, contactsChangedInXero: 0 });
    expect(sweep.xeroCalls).toBeGreaterThanOrEqual(2);
    expect(await localInvoice(s.db, orgId, 'inv-missed')).toMatchObject({ xeroStatus: 'PAID', amountDue: '0.00', amountPaid: paid.invoice.total });
    expect(await paymentsOf(s.db, orgId, 'inv-missed')).toEqual([expect.objectContaining({ source: 'xero', xeroPaymentId: payment.PaymentID, reference: 'Missed webhook' })]);

    // The invoice Xero holds differently is pushed again: Xero's total is the platform's once more.
    await eventually(async () => {
      const [row] = await s.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'invoice'), eq(syncState.recordId, 'inv-edited')));
      const inXero = (s.sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === edited.xeroInvoiceId);
      return row?.state === 'synced' && inXero?.Total === Number(edited.invoice.total);
    });

    await settled(s, orgId);
    // Each approved invoice's online link (invoice.synced) came when it was pushed.
    expect(s.receiver.eventsFor(orgId).map((e) => e.type)).toEqual(['invoice.synced', 'invoice.synced', 'invoice.payment_recorded', 'invoice.paid']);

    // The drift report in the admin status.
    const status = await apiClient(s.stack, orgId, 'platform_admin').call<Record<string, any>>('GET', `/api/admin/integrations/xero/${orgId}/status`);
    expect(status.status).toBe(200);
    expect(status.body.reconciliation).toMatchObject({
      last_run_at: sweep.finishedAt.toISOString(),
      trigger: 'schedule',
      drift: { total: 4, payments_recorded: 1, invoices_updated: 2, invoices_requeued: 1 },
    });
    expect(status.body.reconciliation.drift.examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'paymentsRecorded', record: 'invoice:inv-missed', xero_id: payment.PaymentID }),
        expect.objectContaining({ kind: 'invoicesRequeued', record: 'invoice:inv-edited' }),
      ]),
    );
    // The seed's fields are still there.
    expect(status.body).toMatchObject({ connected: true, pending_syncs: expect.any(Number), failed_syncs: 0, errors: [] });
    const workflow = await s.stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).query(statusQuery);
    expect(workflow.lastReconciliation).toMatchObject({ trigger: 'schedule', drift: { paymentsRecorded: 1 } });

    // Disconnect pauses the schedule; reconnecting unpauses it.
    expect((await integrationApi(s.stack, orgId).disconnect()).status).toBe(200);
    expect((await schedule.describe()).state.paused).toBe(true);
    expect((await integrationApi(s.stack, orgId).connect({ type: 'custom' })).status).toBe(200);
    expect((await schedule.describe()).state.paused).toBe(false);

    // Everything the organisation's workflow did (pushes, webhook reads, sweeps) replays deterministically.
    const history = await s.stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history);
  });
});
