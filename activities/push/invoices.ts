/**
 * Sales invoices (ACCREC) in batches (`POST /Invoices`: creates and updates in one call). An invoice already
 * in Xero is updated while Xero allows it; Xero's refusal is stored on the record with what to do about it.
 * "Invoice # must be unique" means Xero holds one with our number (ours from a lost answer, or made by
 * hand): it is looked up by number and adopted, then updated. A voided invoice goes as a status-only change
 * (invoice-void.ts). Once Xero has approved an invoice, its online invoice link is to be fetched.
 */
import type { Invoice, Invoices } from 'xero-node';
import { getContactsByIds } from '../../db/queries/contacts.ts';
import { getInvoicesWithLines, recordXeroInvoiceStates, type InvoiceWithLines } from '../../db/queries/invoices.ts';
import { enqueueOutboundEvents } from '../../db/queries/outbound-events.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../db/queries/settings.ts';
import { getSyncStates, type SyncStateRow } from '../../db/queries/sync-state.ts';
import { getEnabledCurrencies } from '../../db/queries/xero-currencies.ts';
import { replaceDeferredRevenueLines } from '../../db/queries/deferred-revenue-lines.ts';
import { deferredLinesOf } from './deferred-lines.ts';
import { loadNameContext, resolveDocumentNames, type NameContext } from './document-names.ts';
import { emailAllowed } from './email-policy.ts';
import { invoiceProblem, money, toXeroInvoice } from './invoice-mapping.ts';
import { prepareVoid, voidedEvents } from './invoice-void.ts';
import { validationMessages, type PushStrategy } from './strategy.ts';

interface LoadedInvoices {
  invoices: Map<string, InvoiceWithLines>;
  settings: EffectiveSettings;
  /** The currencies the organisation's Xero is known to be subscribed to; undefined when never read. */
  currencies?: string[];
  contactSync: Map<string, SyncStateRow>;
  contactEmail: Map<string, string | null>;
  names: NameContext;
}

const INVOICE_NUMBER_TAKEN = /Invoice # must be unique/i;
const SETTLED_IN_XERO = new Set<string>(['DELETED', 'VOIDED']);
const EVERY_STATUS = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'];
/** Xero gives an online invoice link for approved invoices (not drafts). */
const LINKABLE = new Set<string>(['AUTHORISED', 'PAID']);

export const invoiceStrategy: PushStrategy<LoadedInvoices, Invoice, Invoice> = {
  recordType: 'invoice',
  async load(deps, orgId, claims, options) {
    const [rows, settings, currencies, names] = await Promise.all([
      getInvoicesWithLines(deps.db, { orgId, invoiceIds: claims.map((c) => c.recordId) }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
      getEnabledCurrencies(deps.db, { orgId }),
      loadNameContext(deps.db, orgId, options),
    ]);
    const contactIds = [...new Set(rows.map((i) => i.contactId))];
    const [contactSync, contacts] = await Promise.all([
      getSyncStates(deps.db, { orgId, recordType: 'contact', recordIds: contactIds }),
      getContactsByIds(deps.db, { orgId, contactIds }),
    ]);
    return {
      invoices: new Map(rows.map((i) => [i.id, i])),
      settings,
      currencies: currencies?.currencies,
      contactSync: new Map(contactSync.map((c) => [c.recordId, c])),
      contactEmail: new Map(contacts.map((c) => [c.id, c.email])),
      names,
    };
  },
  prepare(claim, { invoices, settings, currencies, contactSync, names }) {
    const invoice = invoices.get(claim.recordId);
    if (!invoice) return { settled: { outcome: 'failed', error: 'The invoice no longer exists in the platform.' } };
    if (invoice.voidRequestedAt) return prepareVoid(claim, invoice, settings);
    const contact = contactSync.get(invoice.contactId);
    const problem = invoiceProblem(invoice, contact, settings, currencies);
    if (problem) return { settled: { outcome: 'failed', ...problem } };
    const resolved = resolveDocumentNames(invoice, settings, names);
    if ('missing' in resolved) return resolved;
    if ('problem' in resolved) return { settled: { outcome: 'failed', ...resolved.problem } };
    return { element: toXeroInvoice(invoice, contact!.xeroId!, claim.xeroId, settings, resolved.names) };
  },
  send: (api, tenantId, invoices, key) => api.updateOrCreateInvoices(tenantId, { invoices }, false, 4, key),
  answered: (body) => ((body as Invoices).invoices ?? []).map((i) => ({ xeroId: i.invoiceID, errors: validationMessages(i), answer: i })),
  isDuplicate: (errors) => errors.some((e) => INVOICE_NUMBER_TAKEN.test(e)),
  async store(tx, { orgId, taken, loaded }) {
    await recordXeroInvoiceStates(tx, {
      orgId,
      states: taken.map(({ claim, answer }) => ({
        invoiceId: claim.recordId,
        status: String(answer.status ?? ''),
        total: money(answer.total),
        amountPaid: money(answer.amountPaid),
        amountDue: money(answer.amountDue),
      })),
    });
    await enqueueOutboundEvents(tx, voidedEvents(orgId, taken, loaded.invoices));
    const live = taken.filter(({ claim }) => !loaded.invoices.get(claim.recordId)!.voidRequestedAt);
    // What each invoice now holds on deferred revenue, in Xero's own figures (recognised month by month).
    await replaceDeferredRevenueLines(tx, {
      orgId,
      invoiceIds: live.map(({ claim }) => claim.recordId),
      lines: live.flatMap(({ claim, answer }) => deferredLinesOf(loaded.invoices.get(claim.recordId)!, answer, loaded.settings)),
    });
    const toEmail = live
      .filter(({ claim, answer }) => {
        const invoice = loaded.invoices.get(claim.recordId)!;
        return !invoice.emailedAt && emailAllowed(loaded.settings, String(answer.status ?? ''), loaded.contactEmail.get(invoice.contactId));
      })
      .map(({ claim }) => claim.recordId);
    const toLink = loaded.settings.onlineInvoiceLinks
      ? live.filter(({ claim, answer }) => LINKABLE.has(String(answer.status ?? '')) && !loaded.invoices.get(claim.recordId)!.onlineInvoiceUrl).map(({ claim }) => claim.recordId)
      : [];
    return { toEmail, toLink };
  },
  lookup: {
    // After a retry, a voided invoice is looked up too: Xero refuses to void (or delete) twice.
    alsoAfterRetry: (claim, loaded) => !!claim.xeroId && !!loaded.invoices.get(claim.recordId)?.voidRequestedAt,
    find(api, tenantId, { claims, loaded }) {
      const numbers = claims.map((c) => loaded.invoices.get(c.recordId)?.number).filter((n): n is string => !!n);
      // Deleted invoices are listed only when their status is asked for.
      const statuses = claims.some((c) => c.xeroId) ? EVERY_STATUS : undefined;
      return api.getInvoices(tenantId, undefined, 'Type=="ACCREC"', undefined, undefined, numbers, undefined, statuses);
    },
    match(body, { claims, loaded }) {
      // A voided or deleted invoice that shares our number is not one to update.
      const live = ((body as Invoices).invoices ?? []).filter((i) => i.invoiceID && !SETTLED_IN_XERO.has(String(i.status)));
      const byNumber = new Map(live.map((i) => [i.invoiceNumber?.toLowerCase(), i.invoiceID!]));
      const adopted = new Map<string, string>();
      for (const claim of claims.filter((c) => !c.xeroId)) {
        const id = byNumber.get(loaded.invoices.get(claim.recordId)?.number.toLowerCase());
        if (id) adopted.set(claim.recordId, id);
      }
      return adopted;
    },
    // A void whose answer was lost: Xero shows it done; record it (the push then has nothing left to send).
    async store(tx, { orgId, body, loaded, claims }) {
      const byId = new Map(((body as Invoices).invoices ?? []).filter((i) => i.invoiceID).map((i) => [i.invoiceID!.toLowerCase(), i]));
      const done = claims
        .filter((c) => c.xeroId && loaded.invoices.get(c.recordId)?.voidRequestedAt)
        .map((claim) => ({ claim, element: {}, answer: byId.get(claim.xeroId!.toLowerCase()) }))
        .filter((t): t is { claim: SyncStateRow; element: Invoice; answer: Invoice } => !!t.answer && SETTLED_IN_XERO.has(String(t.answer.status)));
      const fresh = done.filter(({ claim, answer }) => loaded.invoices.get(claim.recordId)!.xeroStatus !== String(answer.status));
      await recordXeroInvoiceStates(tx, { orgId, states: fresh.map(({ claim, answer }) => ({ invoiceId: claim.recordId, status: String(answer.status) })) });
      await enqueueOutboundEvents(tx, voidedEvents(orgId, fresh, loaded.invoices));
    },
  },
};
