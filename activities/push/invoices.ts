/**
 * Sales invoices (ACCREC) in batches (`POST /Invoices`: creates and updates in one call). An invoice already
 * in Xero is updated while Xero allows it; Xero's refusal is stored on the record with what to do about it.
 * "Invoice # must be unique" means Xero holds one with our number (ours from a lost answer, or made by
 * hand): it is looked up by number and adopted, then updated.
 */
import type { Invoice, Invoices } from 'xero-node';
import { getContactsByIds } from '../../db/queries/contacts.ts';
import { getInvoicesWithLines, recordXeroInvoiceStates, type InvoiceWithLines } from '../../db/queries/invoices.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../db/queries/settings.ts';
import { getSyncStates, type SyncStateRow } from '../../db/queries/sync-state.ts';
import { getEnabledCurrencies } from '../../db/queries/xero-currencies.ts';
import { replaceDeferredRevenueLines } from '../../db/queries/deferred-revenue-lines.ts';
import { deferredLinesOf } from './deferred-lines.ts';
import { emailAllowed } from './email-policy.ts';
import { invoiceProblem, money, toXeroInvoice } from './invoice-mapping.ts';
import { validationMessages, type PushStrategy } from './strategy.ts';

interface LoadedInvoices {
  invoices: Map<string, InvoiceWithLines>;
  settings: EffectiveSettings;
  /** The currencies the organisation's Xero is known to be subscribed to; undefined when never read. */
  currencies?: string[];
  contactSync: Map<string, SyncStateRow>;
  contactEmail: Map<string, string | null>;
}

const INVOICE_NUMBER_TAKEN = /Invoice # must be unique/i;
const SETTLED_IN_XERO = new Set<string>(['DELETED', 'VOIDED']);

export const invoiceStrategy: PushStrategy<LoadedInvoices, Invoice, Invoice> = {
  recordType: 'invoice',
  async load(deps, orgId, claims) {
    const [rows, settings, currencies] = await Promise.all([
      getInvoicesWithLines(deps.db, { orgId, invoiceIds: claims.map((c) => c.recordId) }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
      getEnabledCurrencies(deps.db, { orgId }),
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
    };
  },
  prepare(claim, { invoices, settings, currencies, contactSync }) {
    const invoice = invoices.get(claim.recordId);
    if (!invoice) return { settled: { outcome: 'failed', error: 'The invoice no longer exists in the platform.' } };
    const contact = contactSync.get(invoice.contactId);
    const problem = invoiceProblem(invoice, contact, settings, currencies);
    if (problem) return { settled: { outcome: 'failed', ...problem } };
    return { element: toXeroInvoice(invoice, contact!.xeroId!, claim.xeroId, settings) };
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
    // What each invoice now holds on deferred revenue, in Xero's own figures (recognised month by month).
    await replaceDeferredRevenueLines(tx, {
      orgId,
      invoiceIds: taken.map(({ claim }) => claim.recordId),
      lines: taken.flatMap(({ claim, answer }) => deferredLinesOf(loaded.invoices.get(claim.recordId)!, answer, loaded.settings)),
    });
    const toEmail = taken
      .filter(({ claim, answer }) => {
        const invoice = loaded.invoices.get(claim.recordId)!;
        return !invoice.emailedAt && emailAllowed(loaded.settings, String(answer.status ?? ''), loaded.contactEmail.get(invoice.contactId));
      })
      .map(({ claim }) => claim.recordId);
    return { toEmail };
  },
  lookup: {
    find: (api, tenantId, { claims, loaded }) =>
      api.getInvoices(tenantId, undefined, 'Type=="ACCREC"', undefined, undefined, claims.map((c) => loaded.invoices.get(c.recordId)?.number).filter((n): n is string => !!n)),
    match(body, { claims, loaded }) {
      // A voided or deleted invoice that shares our number is not one to update.
      const live = ((body as Invoices).invoices ?? []).filter((i) => i.invoiceID && !SETTLED_IN_XERO.has(String(i.status)));
      const byNumber = new Map(live.map((i) => [i.invoiceNumber?.toLowerCase(), i.invoiceID!]));
      const adopted = new Map<string, string>();
      for (const claim of claims) {
        const id = byNumber.get(loaded.invoices.get(claim.recordId)?.number.toLowerCase());
        if (id) adopted.set(claim.recordId, id);
      }
      return adopted;
    },
  },
};
