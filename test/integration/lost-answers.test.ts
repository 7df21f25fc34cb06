/**
 * Credit notes, allocations, refunds and voids across a lost answer: Xero did the work, the answer never
 * came back, the call was abandoned and retried. The retry first looks up what Xero holds (the credit note by
 * its CreditNoteNumber, the allocation and the refund on their credit note, the voided invoice by its number)
 * and adopts it: nothing is made twice, nothing is refused for having been done, and the main app hears of
 * each once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { creditNote } from './credit-helpers.ts';
import { connectThroughApi, localInvoice, pushInvoice, settled, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';

let s: FromXeroStack;
beforeAll(async () => {
  // Short call timeout: an abandoned call is retried within seconds, not minutes.
  s = await startFromXeroStack({ XERO_CALL_TIMEOUT_MS: '3000' });
});
afterAll(async () => {
  await s?.close();
});

type Stored = Record<string, any>;
const creditNotesIn = (tenantId: string) => s.sandbox.control.records(tenantId).creditNotes as Array<Record<string, any>>;

/** Xero answers nothing to these methods (after doing the work; the socket dropped after 6 s, past our 3 s call timeout) until `until` holds. */
async function answersLostUntil(methods: string[], until: () => boolean, { keyForgotten = false } = {}) {
  s.sandbox.control.setFaults({ timeoutRate: 1, timeoutMode: 'hang', timeoutMs: 6_000, methods });
  try {
    await eventually(async () => until(), { timeoutMs: 30_000 });
    // Past Xero's idempotency window (about 6 minutes): a retry is answered afresh, not replayed.
    if (keyForgotten) s.sandbox.control.advanceClock(7 * 60_000);
  } finally {
    s.sandbox.control.setFaults({ timeoutRate: 0, methods: [] });
  }
}

it('adopts a credit note created by a lost answer by its CreditNoteNumber, never creating it twice', async () => {
  const { orgId, tenantId } = await connectThroughApi(s);
  const api = apiClient(s.stack, orgId);
  expect((await api.putContact('m-1', { name: `Lost answers ${orgId.slice(4, 10)}` })).status).toBe(200);
  await eventually(async () => ((await api.get('contacts', 'm-1')).body as Stored).sync?.state === 'synced');
  await settled(s, orgId);

  const put = answersLostUntil(['POST'], () => creditNotesIn(tenantId).length === 1, { keyForgotten: true });
  expect((await api.putCreditNote('cn-1', creditNote('m-1', 'CN-LOST-1', '25.00'))).status).toBe(200);
  await put;
  const synced = await eventually(async () => {
    const { body } = await api.get('credit-notes', 'cn-1');
    return (body as Stored).sync?.state === 'synced' ? (body as Stored) : undefined;
  }, { timeoutMs: 30_000 });

  const inXero = creditNotesIn(tenantId);
  expect(inXero.filter((c) => c.CreditNoteNumber === 'CN-LOST-1')).toHaveLength(1);
  expect(synced.sync.xeroId).toBe(inXero[0]!.CreditNoteID);
  // The retry looked Xero up by number before sending again.
  expect(s.sandbox.control.counters().calls[tenantId]?.['GET /CreditNotes']).toBeGreaterThanOrEqual(1);
  await settled(s, orgId);
  expect(s.receiver.eventsFor(orgId, 'credit_note.synced').map((e) => e.data.xeroCreditNoteId)).toEqual([synced.sync.xeroId]);
});

it('adopts an allocation and a refund made by lost answers, paying and allocating once', async () => {
  const { orgId, tenantId } = await connectThroughApi(s);
  const api = apiClient(s.stack, orgId);
  const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-1' });
  await settled(s, orgId);

  // The credit note goes out (POST); its allocation and refund (both PUT) are made by Xero, their answers lost.
  const lost = answersLostUntil(['PUT'], () => {
    const note = creditNotesIn(tenantId)[0];
    return !!note && note.Allocations.length === 1 && note.Payments.length === 1;
  }, { keyForgotten: true });
  const body = creditNote('m-inv-1', 'CN-LOST-2', '60.00', { invoiceId: 'inv-1', amount: '50.00', refund: { amount: '19.00', date: '2026-11-08', reference: 'Back to card' } });
  expect((await api.putCreditNote('cn-2', body)).status).toBe(200);
  await lost;
  const done = await eventually(async () => {
    const { body: cn } = await api.get('credit-notes', 'cn-2');
    const stored = cn as Stored;
    return stored.allocation?.sync.state === 'synced' && stored.refund?.sync.state === 'synced' ? stored : undefined;
  }, { timeoutMs: 30_000 });

  const note = creditNotesIn(tenantId)[0]!;
  expect(note.Allocations).toHaveLength(1);
  expect(note.Payments).toHaveLength(1);
  expect(note).toMatchObject({ Total: 69, RemainingCredit: 0, Status: 'PAID' });
  expect(done.allocation.xeroAllocationId).toBe(note.Allocations[0].AllocationID);
  expect(done.refund.xeroPaymentId).toBe(note.Payments[0].PaymentID);
  expect(note.Allocations[0].Invoice.InvoiceID).toBe(xeroInvoiceId);

  await settled(s, orgId);
  expect(s.receiver.eventsFor(orgId, 'credit_note.allocated').map((e) => e.data.source)).toEqual(['platform']);
  expect(s.receiver.eventsFor(orgId, 'credit_note.refunded').map((e) => e.data.xeroPaymentId)).toEqual([note.Payments[0].PaymentID]);
});

it('records a void whose answer was lost as done, instead of sending Xero a second void it would refuse', async () => {
  const { orgId, tenantId } = await connectThroughApi(s, { onlineInvoiceLinks: false });
  const api = apiClient(s.stack, orgId);
  const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-v' });
  await settled(s, orgId);
  const status = () => (s.sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === xeroInvoiceId)!.Status;

  const lost = answersLostUntil(['POST'], () => status() === 'VOIDED', { keyForgotten: true });
  expect((await api.voidInvoice('inv-v')).status).toBe(202);
  await lost;
  const synced = await eventually(async () => {
    const { body } = await api.get('invoices', 'inv-v');
    return (body as Stored).sync?.state !== 'pending' ? (body as Stored) : undefined;
  }, { timeoutMs: 30_000 });
  expect(synced.sync).toMatchObject({ state: 'synced', lastError: null });
  expect((await localInvoice(s.db, orgId, 'inv-v')).xeroStatus).toBe('VOIDED');
  await settled(s, orgId);
  expect(s.receiver.eventsFor(orgId, 'invoice.voided').map((e) => e.data)).toEqual([
    { invoiceId: 'inv-v', invoiceNumber: 'INV-inv-v', xeroInvoiceId, xeroStatus: 'VOIDED', source: 'platform' },
  ]);
});
