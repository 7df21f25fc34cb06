/**
 * Receipts taken in the platform as Xero payments (`PUT /Payments`, several in one call), to the
 * organisation's bank account. What Xero will refuse for reasons only a person can fix (no bank account
 * mapped, invoice not in Xero) fails here with a clear error and is not sent; what Xero refuses (amount
 * above what is due, invoice not authorised) is stored on the payment and not retried blindly. After a
 * retry, a payment Xero already recorded for us is found on its invoice and adopted, not made twice.
 */
import type { Invoices, Payment, Payments } from 'xero-node';
import { getPaymentsByIds, setPaymentXeroIds, type PaymentRow } from '../../db/queries/payments.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../db/queries/settings.ts';
import { getSyncStates, type SyncStateRow } from '../../db/queries/sync-state.ts';
import { xeroDate } from '../../xero/values.ts';
import { validationMessages, type PushStrategy } from './strategy.ts';

interface LoadedPayments {
  receipts: Map<string, PaymentRow>;
  settings: EffectiveSettings;
  invoiceSync: Map<string, SyncStateRow>;
}

export const paymentStrategy: PushStrategy<LoadedPayments, Payment, Payment> = {
  recordType: 'payment',
  async load(deps, orgId, claims) {
    const [receipts, settings] = await Promise.all([
      getPaymentsByIds(deps.db, { orgId, paymentIds: claims.map((c) => c.recordId) }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
    ]);
    const invoiceSync = await getSyncStates(deps.db, { orgId, recordType: 'invoice', recordIds: receipts.map((r) => r.invoiceId) });
    return { receipts: new Map(receipts.map((r) => [r.id, r])), settings, invoiceSync: new Map(invoiceSync.map((s) => [s.recordId, s])) };
  },
  prepare(claim, { receipts, settings, invoiceSync }) {
    const receipt = receipts.get(claim.recordId);
    const invoice = receipt && invoiceSync.get(receipt.invoiceId);
    const fail = (error: string, hint?: string) => ({ settled: { outcome: 'failed' as const, error, hint } });
    if (!receipt) return fail('The receipt no longer exists in the platform.');
    // Reversed in the platform: one Xero holds is deleted by the reversal step (back to pending for it);
    // one Xero never took needs nothing.
    if (claim.xeroId) return { settled: { outcome: receipt.reversedAt ? 'pending' : 'synced', xeroId: claim.xeroId } };
    if (receipt.reversedAt) return { settled: { outcome: 'synced' } };
    if (!settings.bankAccountCode) return fail('No bank account is set for payments.', 'Choose the bank account for payments in Settings > Integrations > Xero.');
    if (!invoice) return fail(`Unknown invoice ${receipt.invoiceId}.`, 'Send the invoice before its receipts.');
    if (!invoice.xeroId) {
      return fail(`Invoice ${receipt.invoiceId} is not in Xero (${invoice.state}${invoice.lastError ? `: ${invoice.lastError}` : ''}).`, 'Fix the invoice, then retry this payment.');
    }
    return {
      element: { invoice: { invoiceID: invoice.xeroId }, account: { code: settings.bankAccountCode }, amount: Number(receipt.amount), date: receipt.date, reference: receipt.reference ?? undefined },
    };
  },
  send: (api, tenantId, payments, key) => api.createPayments(tenantId, { payments }, false, key),
  answered: (body) => ((body as Payments).payments ?? []).map((p) => ({ xeroId: p.paymentID, errors: validationMessages(p), answer: p })),
  async store(tx, { orgId, taken }) {
    await setPaymentXeroIds(tx, { orgId, ids: taken.map(({ claim, answer }) => ({ paymentId: claim.recordId, xeroPaymentId: answer.paymentID! })) });
  },
  lookup: {
    // The batch's invoices, read by id (one call), list their payments.
    find: (api, tenantId, { claims, loaded }) => api.getInvoices(tenantId, undefined, undefined, undefined, invoiceXeroIds(claims, loaded)),
    match(body, { claims, loaded }) {
      const adopted = new Map<string, string>();
      const used = new Set<string>();
      for (const claim of claims) {
        const receipt = loaded.receipts.get(claim.recordId);
        const invoiceXeroId = receipt && loaded.invoiceSync.get(receipt.invoiceId)?.xeroId;
        if (!receipt || !invoiceXeroId) continue;
        const invoice = ((body as Invoices).invoices ?? []).find((i) => i.invoiceID === invoiceXeroId);
        // The same amount, date and reference on the same invoice, not matched to another receipt already.
        const match = (invoice?.payments ?? []).find(
          (p) =>
            p.paymentID &&
            !used.has(p.paymentID) &&
            Number(p.amount).toFixed(2) === Number(receipt.amount).toFixed(2) &&
            (p.reference ?? '') === (receipt.reference ?? '') &&
            xeroDate(p.date) === receipt.date,
        );
        if (match?.paymentID) {
          used.add(match.paymentID);
          adopted.set(claim.recordId, match.paymentID);
        }
      }
      return adopted;
    },
    async store(tx, { orgId, adopted }) {
      await setPaymentXeroIds(tx, { orgId, ids: [...adopted].map(([paymentId, xeroPaymentId]) => ({ paymentId, xeroPaymentId })) });
    },
  },
};

function invoiceXeroIds(claims: SyncStateRow[], { receipts, invoiceSync }: LoadedPayments): string[] {
  const ids = claims.map((c) => receipts.get(c.recordId)).map((r) => r && invoiceSync.get(r.invoiceId)?.xeroId);
  return [...new Set(ids.filter((id): id is string => !!id))];
}
