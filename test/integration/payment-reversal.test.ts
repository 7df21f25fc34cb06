/**
 * Reversing a receipt (`POST /api/orgs/{orgId}/payments/{id}/reverse`): Xero payments cannot be edited,
 * only deleted, so the organisation's workflow deletes the payment in Xero (`POST /Payments/{id}` with
 * `{"Status":"DELETED"}`, the only body the sandbox's endpoint takes) through its pacer. "Transaction
 * already reconciled", a listed reconciliation error, fails the reversal with a hint naming it, and is not
 * retried blindly.
 */
import { describe, expect, it } from 'vitest';
import { RECONCILED_HINT } from '../../activities/push/hints.ts';
import { payments } from '../../db/schema/index.ts';
import { RECONCILED } from '../../sandbox/accounting/payments.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { connectSandboxOrg, type ConnectOptions } from '../support/xero-org.ts';
import { invoice, useAdminHarness } from './admin-harness.ts';

const h = useAdminHarness();

const DELETE_CALL = 'POST /Payments/{PaymentID}';
const calls = (tenantId: string, endpoint: string) => h.sandbox.control.counters().calls[tenantId]?.[endpoint] ?? 0;
const xeroPayment = (tenantId: string, paymentId: string) =>
  (h.sandbox.control.records(tenantId).payments as Array<{ PaymentID: string; Status: string }>).find((p) => p.PaymentID === paymentId);

/** A receipt taken in the platform and paid into Xero. */
async function orgWithReceiptInXero(options: ConnectOptions = {}) {
  const org = await connectSandboxOrg(h.stack, h.sandbox, options);
  const api = apiClient(h.stack, org.orgId);
  await api.putContact('m', { name: 'Mary Jackson' });
  await api.putInvoice('i', invoice('m', 'RV-1'));
  expect((await h.settledState(org.orgId, 'invoice', 'i')).state).toBe('synced');
  expect((await api.postPayment({ id: 'r', invoiceId: 'i', amount: '40.00', date: '2026-11-05', reference: 'Card' })).status).toBe(201);
  const receipt = await h.settledState(org.orgId, 'payment', 'r');
  expect(receipt.state).toBe('synced');
  return { ...org, api, xeroPaymentId: receipt.xeroId! };
}

const reverse = (orgId: string, paymentId: string, role: 'service' | 'client_admin' = 'service') =>
  apiClient(h.stack, orgId, role).call<Record<string, any>>('POST', `/api/orgs/${orgId}/payments/${paymentId}/reverse`);

describe('POST /api/orgs/{orgId}/payments/{id}/reverse', () => {
  it('deletes the payment in Xero once, through the workflow; asking again changes nothing; the receipt is final', async () => {
    const { orgId, tenantId, api, xeroPaymentId } = await orgWithReceiptInXero();
    const res = await reverse(orgId, 'r');
    expect(res).toMatchObject({ status: 202, body: { id: 'r', reversal: 'reversed', reversedAt: expect.any(String), sync: { state: 'pending', xeroId: xeroPaymentId } } });

    const done = await h.settledState(orgId, 'payment', 'r');
    expect(done).toMatchObject({ state: 'synced', xeroId: xeroPaymentId, lastError: null });
    expect(xeroPayment(tenantId, xeroPaymentId)).toMatchObject({ Status: 'DELETED' });
    const inXero = (h.sandbox.control.records(tenantId).invoices as Array<{ InvoiceNumber: string; AmountPaid: number }>).find((i) => i.InvoiceNumber === 'RV-1');
    expect(inXero).toMatchObject({ AmountPaid: 0 });
    expect(calls(tenantId, DELETE_CALL)).toBe(1);

    expect(await reverse(orgId, 'r', 'client_admin')).toMatchObject({ status: 200, body: { reversal: 'already_reversed', sync: { state: 'synced' } } });
    const changed = await api.postPayment({ id: 'r', invoiceId: 'i', amount: '45.00', date: '2026-11-05', reference: 'Card' });
    expect(changed).toMatchObject({ status: 409, body: { code: 'payment_in_xero' } });
    const log = (await h.admin(orgId).call<{ entries: Array<{ action: string; outcome: string }> }>('GET', '/logs?type=payments&record_id=r')).body.entries;
    expect(log.map((e) => `${e.action}:${e.outcome}`)).toEqual(['reverse:ok', 'reversal_requested:ok', 'push:ok']);

    // A resync of payments finds it done: no second deletion asked of Xero.
    expect((await h.admin(orgId).resync({ sync_types: ['payments'] })).body).toMatchObject({ requeued: 1 });
    await eventually(async () => (await h.admin(orgId).status()).body.progress?.finished);
    expect((await h.syncStateOf(orgId, 'payment', 'r'))!.state).toBe('synced');
    expect(calls(tenantId, DELETE_CALL)).toBe(1);
  });

  it('fails a payment on a reconciled transaction with the hint naming it, never retries it blindly, and deletes it once unreconciled and retried', async () => {
    const { orgId, tenantId, api, xeroPaymentId } = await orgWithReceiptInXero();
    h.sandbox.control.reconcilePayment(tenantId, xeroPaymentId);
    await reverse(orgId, 'r');
    const failed = await h.settledState(orgId, 'payment', 'r');
    expect(failed).toMatchObject({ state: 'failed', lastError: RECONCILED, lastErrorHint: RECONCILED_HINT });
    expect(RECONCILED_HINT).toBe('Transaction already reconciled: unreconcile it in Xero (Bank accounts > Reconcile) first, then retry.');
    expect(xeroPayment(tenantId, xeroPaymentId)).toMatchObject({ Status: 'AUTHORISED' });

    // Later passes (a new member is pushed) leave it alone: one refused call, no more.
    await api.putContact('later', { name: 'Later Member' });
    expect((await h.settledState(orgId, 'contact', 'later')).state).toBe('synced');
    await eventually(async () => (await h.admin(orgId).status()).body.sync_activity === 'idle');
    expect(calls(tenantId, DELETE_CALL)).toBe(1);
    const status = (await h.admin(orgId).status()).body;
    expect(status.errors).toEqual([expect.objectContaining({ type: 'payment_sync', record_id: 'r', xero_message: RECONCILED, hint: RECONCILED_HINT })]);

    // Unreconciled in Xero, then retried: deleted.
    h.sandbox.control.reconcilePayment(tenantId, xeroPaymentId, false);
    expect(await h.admin(orgId).retry('{"sync_type": "payments", "record_ids": ["r"]}')).toMatchObject({ status: 202, body: { sync_type: 'payments', retried: ['r'] } });
    expect((await h.settledState(orgId, 'payment', 'r')).state).toBe('synced');
    expect(xeroPayment(tenantId, xeroPaymentId)).toMatchObject({ Status: 'DELETED' });
    expect(calls(tenantId, DELETE_CALL)).toBe(2);
  });

  it("reverses a receipt Xero never took without a call; refuses a payment made in Xero (409), an unknown one and another organisation's (404)", async () => {
    const { orgId, tenantId } = await connectSandboxOrg(h.stack, h.sandbox, { settings: { bankAccountCode: null } });
    const api = apiClient(h.stack, orgId);
    await api.putContact('m', { name: 'Annie Easley' });
    await api.putInvoice('i', invoice('m', 'NX-1'));
    await api.postPayment({ id: 'never', invoiceId: 'i', amount: '10.00', date: '2026-11-05' });
    expect((await h.settledState(orgId, 'payment', 'never')).state).toBe('failed'); // no bank account
    expect(await reverse(orgId, 'never')).toMatchObject({ status: 202, body: { reversal: 'reversed' } });
    expect(await h.settledState(orgId, 'payment', 'never')).toMatchObject({ state: 'synced', xeroId: null, lastError: null });
    expect(calls(tenantId, 'PUT /Payments') + calls(tenantId, DELETE_CALL)).toBe(0);

    await h.stack.database.db.insert(payments).values({ orgId, id: 'from-xero', invoiceId: 'i', amount: '5.00', date: '2026-11-06', source: 'xero', xeroPaymentId: crypto.randomUUID() });
    expect(await reverse(orgId, 'from-xero')).toMatchObject({ status: 409, body: { code: 'payment_made_in_xero' } });
    expect(await reverse(orgId, 'no-such-receipt')).toMatchObject({ status: 404 });
    const stranger = await apiClient(h.stack, newOrgId()).call('POST', `/api/orgs/${orgId}/payments/never/reverse`);
    expect(stranger.status).toBe(404);
  });
});
