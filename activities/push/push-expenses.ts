/**
 * Pushes one batch (≤ 50) of expenses as Xero bills (ACCPAY) in ONE call, from supplier contacts
 * (an existing Xero contact with the supplier's name is used; otherwise Xero creates it from the name)
 * and mapped expense accounts. A service without a mapped account fails with a clear hint: the
 * deployment's default account is a revenue account and Xero would refuse it on a bill anyway.
 */
import { Context } from '@temporalio/activity';
import { Invoice, type LineItem } from 'xero-node';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero/call.ts';
import { claimBatch, recordPushResults, type PushResult } from '../../db/queries/push-claims.ts';
import { getExpensesWithLines, type ExpenseWithLines } from '../../db/queries/expenses.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../db/queries/settings.ts';
import { findIndexedCandidates } from '../../db/queries/xero-contact-index.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { batchIdempotencyKey } from './idempotency.ts';
import { hintFor } from './hints.ts';
import { LINE_AMOUNT_TYPES } from './push-invoices.ts';
import { PUSH_BATCH_SIZE, pushLogEntries, summarise, type PushBatchInput, type PushBatchResult } from './push-contacts.ts';

export function pushExpenseBatch(deps: ActivityDeps) {
  return async ({ orgId, claimId }: PushBatchInput): Promise<PushBatchResult> => {
    const claimed = await claimBatch(deps.db, { orgId, recordType: 'expense', claimId, limit: PUSH_BATCH_SIZE });
    if (claimed.length === 0) return { claimed: 0, synced: 0, failed: 0, requeued: 0 };

    const [expenses, settings] = await Promise.all([
      getExpensesWithLines(deps.db, { orgId, expenseIds: claimed.map((c) => c.recordId) }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
    ]);
    const byId = new Map(expenses.map((e) => [e.id, e]));
    const suppliers = await findIndexedCandidates(deps.db, { orgId, contactNumbers: [], emails: [], names: expenses.map((e) => e.supplierName.toLowerCase()) });
    const supplierIds = new Map(suppliers.map((s) => [s.nameLower, s.xeroContactId]));

    const results: PushResult[] = [];
    const sendable: Array<{ claim: (typeof claimed)[number]; bill: Invoice }> = [];
    for (const claim of claimed) {
      const expense = byId.get(claim.recordId);
      const unmapped = expense ? [...new Set(expense.lines.filter((l) => !l.serviceCode || !settings.serviceAccounts[l.serviceCode]).map((l) => l.serviceCode ?? '(none)'))] : [];
      const untaxed = expense ? [...new Set(expense.lines.filter((l) => l.taxCode && !settings.taxTypes[l.taxCode]).map((l) => l.taxCode!))] : [];
      if (!expense) results.push({ recordId: claim.recordId, version: claim.version, outcome: 'failed', error: 'The expense no longer exists in the platform.' });
      else if (unmapped.length > 0) {
        results.push({ recordId: claim.recordId, version: claim.version, outcome: 'failed', error: `No Xero expense account is mapped for service ${unmapped.join(', ')}.`, hint: `Map service ${unmapped[0]} to a Xero expense account in Settings > Integrations > Xero > Mappings.` });
      } else if (untaxed.length > 0) {
        results.push({ recordId: claim.recordId, version: claim.version, outcome: 'failed', error: `No Xero tax type is mapped for platform tax code ${untaxed.join(', ')}.`, hint: `Map tax code ${untaxed[0]} to a Xero tax type in Mappings.` });
      } else {
        sendable.push({ claim, bill: toXeroBill(expense, claim.xeroId, supplierIds.get(expense.supplierName.toLowerCase()), settings) });
      }
    }

    if (Context.current().info.attempt > 1) await adoptExistingBills(deps, orgId, sendable.filter((s) => !s.bill.invoiceID));

    let budget;
    if (sendable.length > 0) {
      const payload = sendable.map((s) => s.bill);
      const key = batchIdempotencyKey(orgId, claimId, payload);
      const result = await callXero(deps, orgId, (api, tenantId) => api.updateOrCreateInvoices(tenantId, { invoices: payload }, false, 4, key));
      budget = result.budget;
      const answered = result.ok ? (result.body.invoices ?? []) : [];
      for (const [i, s] of sendable.entries()) {
        const answer = answered[i];
        const errors = result.ok ? (answer?.validationErrors ?? []).map((e) => e.message ?? '').filter(Boolean) : [result.failure.message];
        if (result.ok && answer?.invoiceID && errors.length === 0) {
          results.push({ recordId: s.claim.recordId, version: s.claim.version, outcome: 'synced', xeroId: answer.invoiceID });
        } else {
          const message = errors.join(' ') || 'Xero did not return this bill';
          results.push({ recordId: s.claim.recordId, version: s.claim.version, outcome: 'failed', error: message, hint: hintFor(message) });
        }
      }
    }

    await deps.db.transaction(async (tx) => {
      await recordPushResults(tx, { orgId, recordType: 'expense', results });
      await appendSyncLog(tx, pushLogEntries(orgId, 'expense', results));
    });
    return summarise(results, budget);
  };
}

/** The bill's number: the supplier's reference when given, else ours; it is how a retry finds the bill. */
const billNumber = (expense: ExpenseWithLines) => expense.reference ?? `EXP-${expense.id}`;

function toXeroBill(expense: ExpenseWithLines, xeroId: string | null, supplierXeroId: string | undefined, settings: EffectiveSettings): Invoice {
  const currency = expense.currencyCode ?? settings.currencyCode;
  return {
    ...(xeroId ? { invoiceID: xeroId } : {}),
    type: Invoice.TypeEnum.ACCPAY,
    contact: supplierXeroId ? { contactID: supplierXeroId } : { name: expense.supplierName, emailAddress: expense.supplierEmail ?? undefined },
    invoiceNumber: billNumber(expense),
    date: expense.date,
    dueDate: expense.dueDate ?? expense.date,
    ...(currency ? { currencyCode: currency as never } : {}),
    status: settings.invoiceStatus as unknown as Invoice.StatusEnum,
    lineAmountTypes: LINE_AMOUNT_TYPES[settings.amountType],
    lineItems: expense.lines.map((line): LineItem => ({
      description: line.description,
      quantity: Number(line.quantity),
      unitAmount: Number(line.unitAmount),
      accountCode: settings.serviceAccounts[line.serviceCode!],
      ...(line.taxCode ? { taxType: settings.taxTypes[line.taxCode] } : {}),
    })),
  };
}

async function adoptExistingBills(deps: ActivityDeps, orgId: string, items: Array<{ bill: Invoice }>): Promise<void> {
  if (items.length === 0) return;
  const found = await callXero(deps, orgId, (api, tenantId) =>
    api.getInvoices(tenantId, undefined, 'Type=="ACCPAY"', undefined, undefined, items.map((s) => s.bill.invoiceNumber!)),
  );
  if (!found.ok) return;
  for (const s of items) {
    const existing = (found.body.invoices ?? []).find(
      (i) =>
        i.invoiceNumber === s.bill.invoiceNumber &&
        i.status !== Invoice.StatusEnum.DELETED &&
        (s.bill.contact?.contactID ? i.contact?.contactID === s.bill.contact.contactID : i.contact?.name?.toLowerCase() === s.bill.contact?.name?.toLowerCase()),
    );
    if (existing?.invoiceID) s.bill.invoiceID = existing.invoiceID;
  }
}
