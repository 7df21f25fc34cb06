/**
 * Xero's view of our sales invoices, applied to ours in the caller's transaction, with the events for the
 * main app in the same transaction (an event exists if and only if its change committed):
 *   - each payment Xero lists is recorded ONCE, by Xero's payment id (`invoice.payment_recorded`); a payment
 *     the platform pushed itself already carries that id and is not recorded again;
 *   - a payment we hold that Xero no longer lists (deleted in Xero: Xero drops it from the invoice) is
 *     reversed, never deleted (`invoice.payment_reversed`);
 *   - the invoice's status, paid and due amounts follow Xero (`invoice.paid` when it becomes PAID,
 *     `invoice.voided` when it becomes VOIDED, `invoice.deleted_in_xero` when it is deleted there), once each:
 *     the status recorded here is what the next read compares with;
 *   - a synced invoice Xero holds differently (another total: edited in Xero) or lacks is queued to be
 *     pushed again: the platform is the source of truth for what its invoices say.
 * What was done is returned as a drift report: during a sweep, everything in it is what no webhook announced.
 */
import type { Invoice } from 'xero-node';
import type { Tx } from '../../db/client.ts';
import { enqueueOutboundEvent } from '../../db/queries/outbound-events.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { requeueRecords } from '../../db/queries/sync-state.ts';
import { findInvoicesForXero, recordXeroInvoiceFigures, type OurInvoice } from '../../db/queries/xero-invoice-match.ts';
import { insertXeroPayments, listPaymentsOfInvoices, reversePayments, type InvoicePayment, type XeroPaymentToRecord } from '../../db/queries/xero-payments.ts';
import { DRIFT_EXAMPLES_KEPT, emptyDrift, type DriftExample, type DriftKind, type DriftReport } from '../../lib/reconciliation-drift.ts';
import { groupBy } from '../../lib/group-by.ts';
import { sameMoney, xeroDate, xeroInstant, xeroMoney } from '../../xero/values.ts';

/** One Xero sales invoice as it matters here: status, money and the payments it lists. */
export interface XeroInvoiceSnapshot {
  xeroId: string;
  number?: string;
  status: string;
  total?: string;
  amountPaid: string;
  amountDue: string;
  fullyPaidOn?: string;
  updatedAt?: Date;
  payments: Array<{ xeroPaymentId: string; amount: string; date: string; reference: string | null; deleted: boolean }>;
}

export function snapshotOf(invoice: Invoice): XeroInvoiceSnapshot | undefined {
  if (!invoice.invoiceID || String(invoice.type) !== 'ACCREC') return undefined;
  return {
    xeroId: invoice.invoiceID,
    number: invoice.invoiceNumber || undefined,
    status: String(invoice.status ?? ''),
    total: xeroMoney(invoice.total),
    amountPaid: xeroMoney(invoice.amountPaid) ?? '0.00',
    amountDue: xeroMoney(invoice.amountDue) ?? '0.00',
    fullyPaidOn: xeroDate(invoice.fullyPaidOnDate),
    updatedAt: xeroInstant(invoice.updatedDateUTC),
    payments: (invoice.payments ?? [])
      .filter((p) => p.paymentID)
      .map((p) => ({
        xeroPaymentId: p.paymentID!,
        amount: xeroMoney(p.amount) ?? '0.00',
        date: xeroDate(p.date) ?? '',
        reference: p.reference || null,
        // Xero drops a deleted payment from its invoice; should it ever list one, it says so.
        deleted: String(p.status ?? '') === 'DELETED',
      })),
  };
}

export interface ApplyXeroInvoicesInput {
  orgId: string;
  invoices: XeroInvoiceSnapshot[];
  /** Xero ids we asked for by id: one of ours among them that Xero did not return is one Xero lacks. */
  requested?: string[];
  /**
   * The database's clock just before Xero was asked. A payment whose Xero id we learned after that (a push
   * answered meanwhile) is absent from Xero's answer because the answer is older, not because it was deleted.
   */
  readStartedAt: Date;
}

export interface AppliedXeroInvoices {
  /** Of the snapshots, how many are ours. */
  ours: number;
  effects: DriftReport;
  /** Ours that Xero has approved since we last looked, without an online invoice link yet. */
  toLink: string[];
}

/** Statuses for which Xero gives an online invoice link. */
const LINKABLE = new Set(['AUTHORISED', 'PAID']);

const SETTLED_ELSEWHERE = new Set(['VOIDED', 'DELETED']);

export async function applyXeroInvoices(tx: Tx, { orgId, invoices, requested = [], readStartedAt }: ApplyXeroInvoicesInput): Promise<AppliedXeroInvoices> {
  const effects = emptyDrift();
  const note = (kind: DriftKind, example: Omit<DriftExample, 'kind'>) => {
    effects.counts[kind]++;
    if (effects.examples.length < DRIFT_EXAMPLES_KEPT) effects.examples.push({ kind, ...example });
  };

  const ours = await findInvoicesForXero(tx, {
    orgId,
    xeroIds: [...new Set([...invoices.map((i) => i.xeroId), ...requested])],
    numbers: invoices.map((i) => i.number).filter((n): n is string => !!n),
    lock: true,
  });
  const byXeroId = new Map(ours.filter((o) => o.xeroId).map((o) => [o.xeroId!.toLowerCase(), o]));
  const byNumber = new Map(ours.filter((o) => !o.xeroId).map((o) => [o.number, o]));
  const pairs: Array<{ local: OurInvoice; xero: XeroInvoiceSnapshot }> = [];
  for (const xero of invoices) {
    const local = byXeroId.get(xero.xeroId.toLowerCase()) ?? (xero.number ? byNumber.get(xero.number) : undefined);
    // A voided or deleted invoice that merely shares our number is not ours (the push adopts live ones only).
    if (local && (local.xeroId || !SETTLED_ELSEWHERE.has(xero.status))) pairs.push({ local, xero });
  }

  const toLink = pairs
    .filter(({ local, xero }) => LINKABLE.has(xero.status) && !LINKABLE.has(local.xeroStatus ?? '') && !local.onlineInvoiceUrl)
    .map(({ local }) => local.invoiceId);
  const paymentsByInvoice = groupBy(await listPaymentsOfInvoices(tx, { orgId, invoiceIds: pairs.map((p) => p.local.invoiceId) }), (p) => p.invoiceId);
  for (const { local, xero } of pairs) {
    await applyPayments(tx, { orgId, local, xero, held: paymentsByInvoice.get(local.invoiceId) ?? [], readStartedAt, note });
    await applyFigures(tx, { orgId, local, xero, note });
  }

  // Ours, asked for by id, and not in Xero's answer: Xero lacks it. Pushed again, Xero's refusal (if any) shows on the record.
  const answered = new Set(invoices.map((i) => i.xeroId.toLowerCase()));
  const missing = ours.filter((o) => o.xeroId && requested.some((id) => id.toLowerCase() === o.xeroId!.toLowerCase()) && !answered.has(o.xeroId.toLowerCase()));
  for (const local of missing) await requeue(tx, { orgId, local, reason: `Xero has no invoice ${local.xeroId} any more`, note });

  return { ours: pairs.length, effects, toLink };
}

type Note = (kind: DriftKind, example: Omit<DriftExample, 'kind'>) => void;

async function applyPayments(
  tx: Tx,
  { orgId, local, xero, held, readStartedAt, note }: { orgId: string; local: OurInvoice; xero: XeroInvoiceSnapshot; held: InvoicePayment[]; readStartedAt: Date; note: Note },
): Promise<void> {
  const heldByXeroId = new Map(held.filter((p) => p.xeroPaymentId).map((p) => [p.xeroPaymentId!.toLowerCase(), p]));
  const live = xero.payments.filter((p) => !p.deleted);
  const awaitingPush = new Set<string>();
  const toRecord: XeroPaymentToRecord[] = [];
  for (const payment of live) {
    if (heldByXeroId.has(payment.xeroPaymentId.toLowerCase())) continue;
    // A receipt the platform is pushing right now whose answer we have not stored yet (same amount, date and
    // reference): it is the platform's payment, and the push adopts it; recording it here would make two.
    const inFlight = held.find(
      (r) =>
        r.source === 'platform' &&
        !r.xeroPaymentId &&
        !r.reversedAt &&
        r.syncState === 'pending' &&
        !awaitingPush.has(r.id) &&
        sameMoney(r.amount, payment.amount) &&
        r.date === payment.date &&
        (r.reference ?? '') === (payment.reference ?? ''),
    );
    if (inFlight) {
      awaitingPush.add(inFlight.id);
      continue;
    }
    toRecord.push({ invoiceId: local.invoiceId, xeroPaymentId: payment.xeroPaymentId, amount: payment.amount, date: payment.date, reference: payment.reference });
  }
  for (const recorded of await insertXeroPayments(tx, { orgId, items: toRecord })) {
    note('paymentsRecorded', { record: `invoice:${local.invoiceId}`, xeroId: recorded.xeroPaymentId ?? undefined, detail: `payment of ${recorded.amount} on ${recorded.date} recorded from Xero` });
    await enqueueOutboundEvent(tx, {
      orgId,
      type: 'invoice.payment_recorded',
      recordKey: `invoice:${local.invoiceId}`,
      payload: {
        invoiceId: local.invoiceId,
        invoiceNumber: local.number,
        xeroInvoiceId: xero.xeroId,
        paymentId: recorded.id,
        xeroPaymentId: recorded.xeroPaymentId,
        amount: recorded.amount,
        date: recorded.date,
        reference: recorded.reference,
        source: 'xero',
      },
    });
  }

  const liveIds = new Set(live.map((p) => p.xeroPaymentId.toLowerCase()));
  const gone = held.filter((p) => p.xeroPaymentId && !p.reversedAt && !liveIds.has(p.xeroPaymentId.toLowerCase()) && p.updatedAt < readStartedAt);
  for (const reversed of await reversePayments(tx, { orgId, paymentIds: gone.map((p) => p.id) })) {
    note('paymentsReversed', { record: `invoice:${local.invoiceId}`, xeroId: reversed.xeroPaymentId ?? undefined, detail: `payment of ${reversed.amount} deleted in Xero, reversed` });
    await enqueueOutboundEvent(tx, {
      orgId,
      type: 'invoice.payment_reversed',
      recordKey: `invoice:${local.invoiceId}`,
      payload: {
        invoiceId: local.invoiceId,
        invoiceNumber: local.number,
        xeroInvoiceId: xero.xeroId,
        paymentId: reversed.id,
        xeroPaymentId: reversed.xeroPaymentId,
        amount: reversed.amount,
        source: reversed.source,
      },
    });
  }
}

async function applyFigures(tx: Tx, { orgId, local, xero, note }: { orgId: string; local: OurInvoice; xero: XeroInvoiceSnapshot; note: Note }): Promise<void> {
  const changed = local.xeroStatus !== xero.status || !sameMoney(local.amountPaid, xero.amountPaid) || !sameMoney(local.amountDue, xero.amountDue);
  if (changed) {
    await recordXeroInvoiceFigures(tx, { orgId, invoiceId: local.invoiceId, status: xero.status, amountPaid: xero.amountPaid, amountDue: xero.amountDue });
    note('invoicesUpdated', {
      record: `invoice:${local.invoiceId}`,
      xeroId: xero.xeroId,
      detail: `${local.xeroStatus ?? 'unknown'} → ${xero.status}, paid ${xeroMoney(local.amountPaid)} → ${xero.amountPaid}, due ${xeroMoney(local.amountDue) ?? 'unknown'} → ${xero.amountDue}`,
    });
  }
  const base = { invoiceId: local.invoiceId, invoiceNumber: local.number, xeroInvoiceId: xero.xeroId };
  if (xero.status === 'PAID' && local.xeroStatus !== 'PAID') {
    await enqueueOutboundEvent(tx, {
      orgId,
      type: 'invoice.paid',
      recordKey: `invoice:${local.invoiceId}`,
      payload: { ...base, total: xero.total ?? null, amountPaid: xero.amountPaid, amountDue: xero.amountDue, paidOn: xero.fullyPaidOn ?? null },
    });
  }
  if (xero.status === 'VOIDED' && local.xeroStatus !== 'VOIDED') {
    await enqueueOutboundEvent(tx, { orgId, type: 'invoice.voided', recordKey: `invoice:${local.invoiceId}`, payload: { ...base, xeroStatus: 'VOIDED', source: 'xero' } });
  }
  if (xero.status === 'DELETED' && local.xeroStatus !== 'DELETED') {
    note('invoicesDeletedInXero', { record: `invoice:${local.invoiceId}`, xeroId: xero.xeroId, detail: `invoice ${local.number} was deleted in Xero` });
    await enqueueOutboundEvent(tx, { orgId, type: 'invoice.deleted_in_xero', recordKey: `invoice:${local.invoiceId}`, payload: base });
  }
  // Edited in Xero (another total than Xero answered our push with): push the platform's version again.
  if (local.syncState === 'synced' && local.total !== null && xero.total !== undefined && !sameMoney(local.total, xero.total) && !SETTLED_ELSEWHERE.has(xero.status)) {
    await requeue(tx, { orgId, local, reason: `Xero's total is ${xero.total}, ours ${xeroMoney(local.total)}`, note });
  }
}

async function requeue(tx: Tx, { orgId, local, reason, note }: { orgId: string; local: OurInvoice; reason: string; note: Note }): Promise<void> {
  // Only a synced one: a record already pending goes out anyway, and a failed one waits for a person.
  if ((await requeueRecords(tx, { orgId, recordType: 'invoice', recordIds: [local.invoiceId], states: ['synced'] })) === 0) return;
  note('invoicesRequeued', { record: `invoice:${local.invoiceId}`, xeroId: local.xeroId ?? undefined, detail: `${reason}: queued to be pushed again` });
  await appendSyncLog(tx, [
    { orgId, recordType: 'invoice', recordId: local.invoiceId, action: 'reconcile', outcome: 'retrying', message: `${reason}: queued to be pushed again.` },
  ]);
}
