/**
 * A worker lost between storing a batch's results and Temporal hearing its answer (kill -9 at that moment):
 * Temporal runs the activity again under the same claim, and the claim holds nothing any more. The retry must
 * answer what the lost answer said — what the batch took, the invoices Xero should email and the online links
 * to fetch — because the workflow learns of those from that answer alone (the worker-kill drill lost 100 of
 * 2,000 `invoice.synced` this way). Nothing goes to Xero again, and an invoice Xero has emailed is not emailed twice.
 *
 * The activity is run here as Temporal runs it, attempt by attempt (MockActivityEnvironment), against the
 * real database and the Xero sandbox over HTTP; the worker is stopped so that no workflow pushes beside it.
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PushBatchInput, PushBatchResult } from '../../activities/push/push-batch.ts';
import { createXeroCalls } from '../../activities/index.ts';
import { invoices, syncState } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { connectThroughApi, localInvoice, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack();
});
afterAll(async () => {
  await s?.close();
});

const syncOf = async (orgId: string, invoiceId: string) =>
  (await s.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'invoice'), eq(syncState.recordId, invoiceId))))[0];
const invoicePosts = (tenantId: string) => s.sandbox.control.counters().calls[tenantId]?.['POST /Invoices'] ?? 0;

/** One attempt of a push activity (by default always the same one), as the worker would run it. */
function pushAttempt(attempt: number, input: PushBatchInput, activityId = 'push-1'): Promise<PushBatchResult> {
  const { pushBatch } = createXeroCalls(s.stack.activityDeps());
  return new MockActivityEnvironment({ attempt, activityId }).run(pushBatch, input);
}

const putInvoice = (api: ReturnType<typeof apiClient>, n: number) =>
  api.putInvoice(`inv-${n}`, { contactId: `m-${n}`, number: `INV-LOST-${n}`, date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '120.00' }] });

it('answers again, on a retry that finds its batch stored, what the batch took and the emails and links that follow', async () => {
  const { orgId, tenantId } = await connectThroughApi(s, { emailInvoices: true, onlineInvoiceLinks: true });
  const api = apiClient(s.stack, orgId);
  for (const n of [1, 2, 3]) expect((await api.putContact(`m-${n}`, { name: `Member ${n} ${orgId.slice(4, 10)}`, email: `member${n}@example.org` })).status).toBe(200);
  await eventually(async () => ((await api.get('contacts', 'm-3')).body as { sync?: { state: string } }).sync?.state === 'synced');
  await s.stack.stopWorker();

  for (const n of [1, 2]) expect((await putInvoice(api, n)).status).toBe(200);
  const input: PushBatchInput = { orgId, recordType: 'invoice', claimId: `${orgId}:${randomUUID()}` };

  // The attempt whose answer is lost: Xero took both, the results are stored, the claim is let go.
  const first = await pushAttempt(1, input);
  expect(first).toMatchObject({ claimed: 2, synced: 2, failed: 0 });
  expect(first.toEmail?.sort()).toEqual(['inv-1', 'inv-2']);
  expect(first.toLink?.sort()).toEqual(['inv-1', 'inv-2']);
  expect(invoicePosts(tenantId)).toBe(1);
  expect((await localInvoice(s.db, orgId, 'inv-1')).xeroStatus).toBe('AUTHORISED');

  // A claim that never held anything still answers nothing on a retry.
  expect(await pushAttempt(2, { orgId, recordType: 'invoice', claimId: `${orgId}:${randomUUID()}` })).toEqual({ claimed: 0, synced: 0, failed: 0, requeued: 0 });

  // Temporal's retry, under the same claim, with another invoice waiting by then: the same answer, from what
  // was stored, no call to Xero, and the claim takes nothing new (the drill's lost links came that way too).
  expect((await putInvoice(api, 3)).status).toBe(200);
  const retry = await pushAttempt(2, input);
  expect(retry).toMatchObject({ claimed: 2, synced: 2, failed: 0, requeued: 0 });
  expect(retry.toEmail?.sort()).toEqual(['inv-1', 'inv-2']);
  expect(retry.toLink?.sort()).toEqual(['inv-1', 'inv-2']);
  expect(retry.rateLimits).toBeUndefined();
  expect(invoicePosts(tenantId)).toBe(1);
  expect(await syncOf(orgId, 'inv-3')).toMatchObject({ state: 'pending', claimId: null });

  // What has happened since is read as stored: an invoice emailed is not emailed again, a link held is not fetched again.
  await s.db.update(invoices).set({ emailedAt: new Date() }).where(and(eq(invoices.orgId, orgId), eq(invoices.id, 'inv-1')));
  await s.db.update(invoices).set({ onlineInvoiceUrl: `${s.sandbox.url}/in/held` }).where(and(eq(invoices.orgId, orgId), eq(invoices.id, 'inv-2')));
  const later = await pushAttempt(3, input);
  expect(later).toMatchObject({ claimed: 2, synced: 2, toEmail: ['inv-2'], toLink: ['inv-1'] });
  expect(invoicePosts(tenantId)).toBe(1);

  // Another push under the same claim (after a lookup, say) answers for what it takes itself, never for the first's.
  const another = await pushAttempt(2, input, 'push-2');
  expect(another).toMatchObject({ claimed: 1, lookup: 'retry' });
  expect(another.toLink).toBeUndefined();
});

it('emails an invoice once, however many times it is asked to (a retry can come after Xero forgets its idempotency key)', async () => {
  await s.stack.startWorker(); // the test above leaves it stopped
  const { orgId, tenantId } = await connectThroughApi(s, { emailInvoices: true, onlineInvoiceLinks: false });
  const api = apiClient(s.stack, orgId);
  expect((await api.putContact('m-9', { name: `Member 9 ${orgId.slice(4, 10)}`, email: 'member9@example.org' })).status).toBe(200);
  expect((await putInvoice(api, 9)).status).toBe(200);
  await eventually(async () => (await localInvoice(s.db, orgId, 'inv-9')).emailedAt);
  await s.stack.stopWorker();

  const emails = () => s.sandbox.control.counters().calls[tenantId]?.['POST /Invoices/{InvoiceID}/Email'] ?? 0;
  expect(emails()).toBe(1);
  const { emailInvoice } = createXeroCalls(s.stack.activityDeps());
  const again = await new MockActivityEnvironment({ attempt: 1, activityId: 'email-again' }).run(emailInvoice, { orgId, invoiceId: 'inv-9', demoCompany: false });
  expect(again).toEqual({ emailed: false });
  expect(emails()).toBe(1);
  expect(s.sandbox.control.counters().emailsSent[tenantId]).toBe(1);
});
