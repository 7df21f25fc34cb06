/**
 * Pushes one batch (≤ 50) of receipts taken in the platform as Xero payments in ONE call
 * (`PUT /Payments?summarizeErrors=false`), to the organisation's bank account. What Xero will refuse
 * for reasons only a person can fix (no bank account mapped, invoice not in Xero) fails here with a
 * clear error and is not sent; what Xero refuses (amount above what is due, invoice not authorised)
 * is stored on the payment and not retried blindly.
 */
import { Context } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import type { Payment } from 'xero-node';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero/call.ts';
import { syncState } from '../../db/schema/index.ts';
import { claimBatch, recordPushResults, type PushResult } from '../../db/queries/push-claims.ts';
import { getPaymentsByIds, setPaymentXeroIds, type PaymentRow } from '../../db/queries/payments.ts';
import { loadEffectiveSettings } from '../../db/queries/settings.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { batchIdempotencyKey } from './idempotency.ts';
import { hintFor } from './hints.ts';
import { PUSH_BATCH_SIZE, pushLogEntries, summarise, type PushBatchInput, type PushBatchResult } from './push-contacts.ts';

export function pushPaymentBatch(deps: ActivityDeps) {
  return async ({ orgId, claimId }: PushBatchInput): Promise<PushBatchResult> => {
    const claimed = await claimBatch(deps.db, { orgId, recordType: 'payment', claimId, limit: PUSH_BATCH_SIZE });
    if (claimed.length === 0) return { claimed: 0, synced: 0, failed: 0, requeued: 0 };

    const [receipts, settings] = await Promise.all([
      getPaymentsByIds(deps.db, { orgId, paymentIds: claimed.map((c) => c.recordId) }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
    ]);
    const byId = new Map(receipts.map((r) => [r.id, r]));
    const invoiceSync = new Map(
      (
        await deps.db
          .select()
          .from(syncState)
          .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'invoice'), inArray(syncState.recordId, [...new Set(receipts.map((r) => r.invoiceId))])))
      ).map((s) => [s.recordId, s]),
    );

    const results: PushResult[] = [];
    const sendable: Array<{ claim: (typeof claimed)[number]; receipt: PaymentRow; invoiceXeroId: string }> = [];
    for (const claim of claimed) {
      const receipt = byId.get(claim.recordId);
      const invoice = receipt && invoiceSync.get(receipt.invoiceId);
      const fail = (error: string, hint?: string) => results.push({ recordId: claim.recordId, version: claim.version, outcome: 'failed', error, hint });
      if (!receipt) fail('The receipt no longer exists in the platform.');
      else if (claim.xeroId) results.push({ recordId: claim.recordId, version: claim.version, outcome: 'synced', xeroId: claim.xeroId });
      else if (!settings.bankAccountCode) fail('No bank account is set for payments.', 'Choose the bank account for payments in Settings > Integrations > Xero.');
      else if (!invoice) fail(`Unknown invoice ${receipt.invoiceId}.`, 'Send the invoice before its receipts.');
      else if (!invoice.xeroId) fail(`Invoice ${receipt.invoiceId} is not in Xero (${invoice.state}${invoice.lastError ? `: ${invoice.lastError}` : ''}).`, 'Fix the invoice, then retry this payment.');
      else sendable.push({ claim, receipt, invoiceXeroId: invoice.xeroId });
    }

    // A retry may follow a lost answer: a payment Xero already recorded for us is adopted, not made twice.
    if (Context.current().info.attempt > 1 && sendable.length > 0) {
      const adopted = await findExistingPayments(deps, orgId, sendable);
      for (const [recordId, xeroPaymentId] of adopted) {
        const s = sendable.find((x) => x.claim.recordId === recordId)!;
        results.push({ recordId, version: s.claim.version, outcome: 'synced', xeroId: xeroPaymentId });
      }
      await setPaymentXeroIds(deps.db, { orgId, ids: [...adopted].map(([paymentId, xeroPaymentId]) => ({ paymentId, xeroPaymentId })) });
      sendable.splice(0, sendable.length, ...sendable.filter((s) => !adopted.has(s.claim.recordId)));
    }

    let budget;
    if (sendable.length > 0) {
      const payload: Payment[] = sendable.map((s) => ({
        invoice: { invoiceID: s.invoiceXeroId },
        account: { code: settings.bankAccountCode },
        amount: Number(s.receipt.amount),
        date: s.receipt.date,
        reference: s.receipt.reference ?? undefined,
      }));
      const key = batchIdempotencyKey(orgId, claimId, payload);
      const result = await callXero(deps, orgId, (api, tenantId) => api.createPayments(tenantId, { payments: payload }, false, key));
      budget = result.budget;
      const answered = result.ok ? (result.body.payments ?? []) : [];
      const recorded: Array<{ paymentId: string; xeroPaymentId: string }> = [];
      for (const [i, s] of sendable.entries()) {
        const answer = answered[i];
        const errors = result.ok ? (answer?.validationErrors ?? []).map((e) => e.message ?? '').filter(Boolean) : [result.failure.message];
        if (result.ok && answer?.paymentID && errors.length === 0) {
          results.push({ recordId: s.claim.recordId, version: s.claim.version, outcome: 'synced', xeroId: answer.paymentID });
          recorded.push({ paymentId: s.receipt.id, xeroPaymentId: answer.paymentID });
        } else {
          const message = errors.join(' ') || 'Xero did not return this payment';
          results.push({ recordId: s.claim.recordId, version: s.claim.version, outcome: 'failed', error: message, hint: hintFor(message) });
        }
      }
      await setPaymentXeroIds(deps.db, { orgId, ids: recorded });
    }

    await deps.db.transaction(async (tx) => {
      await recordPushResults(tx, { orgId, recordType: 'payment', results });
      await appendSyncLog(tx, pushLogEntries(orgId, 'payment', results));
    });
    return summarise(results, budget);
  };
}

/** Reads the batch's invoices (one call) and matches their payments by amount, date and reference. */
async function findExistingPayments(
  deps: ActivityDeps,
  orgId: string,
  sendable: Array<{ claim: { recordId: string }; receipt: PaymentRow; invoiceXeroId: string }>,
): Promise<Map<string, string>> {
  const found = await callXero(deps, orgId, (api, tenantId) =>
    api.getInvoices(tenantId, undefined, undefined, undefined, [...new Set(sendable.map((s) => s.invoiceXeroId))]),
  );
  const adopted = new Map<string, string>();
  if (!found.ok) return adopted;
  const used = new Set<string>();
  for (const s of sendable) {
    const invoice = (found.body.invoices ?? []).find((i) => i.invoiceID === s.invoiceXeroId);
    const match = (invoice?.payments ?? []).find(
      (p) =>
        p.paymentID &&
        !used.has(p.paymentID) &&
        Number(p.amount).toFixed(2) === Number(s.receipt.amount).toFixed(2) &&
        (p.reference ?? '') === (s.receipt.reference ?? '') &&
        String(p.date ?? '').slice(0, 10) === s.receipt.date,
    );
    if (match?.paymentID) {
      used.add(match.paymentID);
      adopted.set(s.claim.recordId, match.paymentID);
    }
  }
  return adopted;
}
