/**
 * Pushes one batch (≤ 50) of pending sales invoices (ACCREC) in ONE call
 * (`POST /Invoices?summarizeErrors=false`), with the organisation's status, account codes (service
 * mapping, else the default), tax types, amount type and currency. An invoice already in Xero is
 * updated while Xero allows it; Xero's refusal is stored on the record with what to do about it.
 */
import { Context } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import { Invoice, LineAmountTypes, type LineItem } from 'xero-node';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero/call.ts';
import { contacts, syncState } from '../../db/schema/index.ts';
import { claimBatch, recordPushResults, type PushResult } from '../../db/queries/push-claims.ts';
import { getInvoicesWithLines, recordXeroInvoiceStates, type InvoiceWithLines, type XeroInvoiceState } from '../../db/queries/invoices.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../db/queries/settings.ts';
import { appendSyncLog } from '../../db/queries/sync-log.ts';
import { batchIdempotencyKey } from './idempotency.ts';
import { hintFor } from './hints.ts';
import { PUSH_BATCH_SIZE, pushLogEntries, summarise, type PushBatchInput, type PushBatchResult } from './push-contacts.ts';
import { emailAllowed } from './email-policy.ts';

export const LINE_AMOUNT_TYPES: Record<EffectiveSettings['amountType'], LineAmountTypes> = {
  EXCLUSIVE: LineAmountTypes.Exclusive,
  INCLUSIVE: LineAmountTypes.Inclusive,
  NOTAX: LineAmountTypes.NoTax,
};

const INVOICE_NUMBER_TAKEN = /Invoice # must be unique/i;

export function pushInvoiceBatch(deps: ActivityDeps) {
  return async ({ orgId, claimId }: PushBatchInput): Promise<PushBatchResult> => {
    const claimed = await claimBatch(deps.db, { orgId, recordType: 'invoice', claimId, limit: PUSH_BATCH_SIZE });
    if (claimed.length === 0) return { claimed: 0, synced: 0, failed: 0, requeued: 0 };

    const [invoices, settings] = await Promise.all([
      getInvoicesWithLines(deps.db, { orgId, invoiceIds: claimed.map((c) => c.recordId) }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
    ]);
    const byId = new Map(invoices.map((i) => [i.id, i]));
    const contactIds = [...new Set(invoices.map((i) => i.contactId))];
    const [contactSync, contactRows] = await Promise.all([
      deps.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'contact'), inArray(syncState.recordId, contactIds))),
      deps.db.select({ id: contacts.id, email: contacts.email }).from(contacts).where(and(eq(contacts.orgId, orgId), inArray(contacts.id, contactIds))),
    ]);
    const contactXero = new Map(contactSync.map((c) => [c.recordId, c]));
    const contactEmail = new Map(contactRows.map((c) => [c.id, c.email]));

    const results: PushResult[] = [];
    const sendable: Array<{ claim: (typeof claimed)[number]; invoice: InvoiceWithLines; xero: Invoice }> = [];
    for (const claim of claimed) {
      const invoice = byId.get(claim.recordId);
      const problem = invoice ? precheck(invoice, contactXero.get(invoice.contactId), settings) : { error: 'The invoice no longer exists in the platform.' };
      if (problem) results.push({ recordId: claim.recordId, version: claim.version, outcome: 'failed', ...problem });
      else sendable.push({ claim, invoice: invoice!, xero: toXeroInvoice(invoice!, contactXero.get(invoice!.contactId)!.xeroId!, claim.xeroId, settings) });
    }

    // A retry may follow a lost answer: adopt invoices Xero already has under our numbers.
    if (Context.current().info.attempt > 1) await adoptByNumber(deps, orgId, sendable.filter((s) => !s.xero.invoiceID));

    let budget;
    const toEmail: string[] = [];
    const xeroStates: XeroInvoiceState[] = [];
    if (sendable.length > 0) {
      const payload = sendable.map((s) => s.xero);
      const key = batchIdempotencyKey(orgId, claimId, payload);
      const result = await callXero(deps, orgId, (api, tenantId) => api.updateOrCreateInvoices(tenantId, { invoices: payload }, false, 4, key));
      budget = result.budget;
      const answered = result.ok ? (result.body.invoices ?? []) : [];
      for (const [i, s] of sendable.entries()) {
        const answer = answered[i];
        const errors = result.ok ? (answer?.validationErrors ?? []).map((e) => e.message ?? '').filter(Boolean) : [result.failure.message];
        if (result.ok && answer?.invoiceID && errors.length === 0) {
          results.push({ recordId: s.claim.recordId, version: s.claim.version, outcome: 'synced', xeroId: answer.invoiceID });
          xeroStates.push({ invoiceId: s.invoice.id, status: String(answer.status ?? ''), total: money(answer.total), amountPaid: money(answer.amountPaid), amountDue: money(answer.amountDue) });
          if (!s.invoice.emailedAt && emailAllowed(settings, String(answer.status ?? ''), contactEmail.get(s.invoice.contactId))) toEmail.push(s.invoice.id);
        } else if (!s.xero.invoiceID && errors.some((e) => INVOICE_NUMBER_TAKEN.test(e)) && (await adoptByNumber(deps, orgId, [s])) > 0) {
          // Ours from an earlier attempt (or the same number made by hand): adopted, updated on the next pass.
          results.push({ recordId: s.claim.recordId, version: s.claim.version, outcome: 'pending', xeroId: s.xero.invoiceID });
        } else {
          const message = errors.join(' ') || 'Xero did not return this invoice';
          results.push({ recordId: s.claim.recordId, version: s.claim.version, outcome: 'failed', error: message, hint: hintFor(message) });
        }
      }
    }

    await deps.db.transaction(async (tx) => {
      await recordPushResults(tx, { orgId, recordType: 'invoice', results });
      await recordXeroInvoiceStates(tx, { orgId, states: xeroStates });
      await appendSyncLog(tx, pushLogEntries(orgId, 'invoice', results));
    });
    return { ...summarise(results, budget), toEmail };
  };
}

type ContactSync = { state: string; xeroId: string | null; lastError: string | null } | undefined;

function precheck(invoice: InvoiceWithLines, contact: ContactSync, settings: EffectiveSettings): { error: string; hint?: string } | undefined {
  if (!contact) return { error: `Unknown contact ${invoice.contactId}.`, hint: 'Send the contact (PUT .../contacts/{id}) before its invoices.' };
  if (!contact.xeroId) {
    return { error: `Contact ${invoice.contactId} is not in Xero (${contact.state}${contact.lastError ? `: ${contact.lastError}` : ''}).`, hint: 'Fix the contact, then retry this invoice.' };
  }
  const unmapped = [...new Set(invoice.lines.filter((l) => l.taxCode && !settings.taxTypes[l.taxCode]).map((l) => l.taxCode!))];
  if (unmapped.length > 0) {
    return { error: `No Xero tax type is mapped for platform tax code ${unmapped.join(', ')}.`, hint: `Map tax code ${unmapped[0]} to a Xero tax type in Settings > Integrations > Xero > Mappings.` };
  }
  return undefined;
}

export function toXeroInvoice(invoice: InvoiceWithLines, contactXeroId: string, xeroId: string | null, settings: EffectiveSettings): Invoice {
  const currency = invoice.currencyCode ?? settings.currencyCode;
  return {
    ...(xeroId ? { invoiceID: xeroId } : {}),
    type: Invoice.TypeEnum.ACCREC,
    contact: { contactID: contactXeroId },
    // Our invoice number is the stable reference that finds this invoice again after a crash.
    invoiceNumber: invoice.number,
    reference: invoice.reference ?? undefined,
    date: invoice.date,
    dueDate: invoice.dueDate,
    ...(currency ? { currencyCode: currency as never } : {}),
    status: settings.invoiceStatus as unknown as Invoice.StatusEnum,
    lineAmountTypes: LINE_AMOUNT_TYPES[settings.amountType],
    lineItems: invoice.lines.map((line): LineItem => ({
      description: line.servicePeriodStart && line.servicePeriodEnd ? `${line.description} (${line.servicePeriodStart} to ${line.servicePeriodEnd})` : line.description,
      quantity: Number(line.quantity),
      unitAmount: Number(line.unitAmount),
      accountCode: (line.serviceCode && settings.serviceAccounts[line.serviceCode]) || settings.defaultRevenueAccountCode,
      ...(line.taxCode ? { taxType: settings.taxTypes[line.taxCode] } : settings.defaultTaxType ? { taxType: settings.defaultTaxType } : {}),
    })),
  };
}

/** Looks invoices up by number (one call for the lot) and sets `invoiceID` on those Xero already has. */
async function adoptByNumber(deps: ActivityDeps, orgId: string, items: Array<{ xero: Invoice }>): Promise<number> {
  const numbers = items.map((s) => s.xero.invoiceNumber!).filter(Boolean);
  if (numbers.length === 0) return 0;
  const found = await callXero(deps, orgId, (api, tenantId) =>
    api.getInvoices(tenantId, undefined, 'Type=="ACCREC"', undefined, undefined, numbers),
  );
  if (!found.ok) return 0;
  const byNumber = new Map((found.body.invoices ?? []).filter((i) => i.status !== Invoice.StatusEnum.DELETED && i.status !== Invoice.StatusEnum.VOIDED).map((i) => [i.invoiceNumber?.toLowerCase(), i.invoiceID]));
  let adopted = 0;
  for (const s of items) {
    const id = byNumber.get(s.xero.invoiceNumber?.toLowerCase());
    if (id) {
      s.xero.invoiceID = id;
      adopted++;
    }
  }
  return adopted;
}

export function money(value: number | undefined): string | undefined {
  return value === undefined || value === null ? undefined : value.toFixed(2);
}
