/**
 * Sales invoices (ACCREC) in batches (`POST /Invoices`: creates and updates in one call). An invoice already
 * in Xero is updated while Xero allows it; Xero's refusal is stored on the record with what to do about it.
 * "Invoice # must be unique" means Xero holds one with our number (ours from a lost answer, or made by
 * hand): it is looked up by number and adopted, then updated. A voided invoice goes as a status-only change
 * (invoice-void.ts). Once Xero has approved an invoice, its online invoice link is to be fetched.
 */
import type { Invoice, Invoices } from 'xero-node';
import { getInvoiceBatch } from '../../db/queries/invoice-batch.ts';
import { recordXeroInvoiceStates, xeroInvoiceStatesWrites, type InvoiceWithLines } from '../../db/queries/invoices.ts';
import { enqueueOutboundEvents, outboundEventsWrites } from '../../db/queries/outbound-events.ts';
import { loadPushContext } from '../../db/queries/push-context.ts';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import type { SyncStateRow } from '../../db/queries/sync-state.ts';
import { deferredRevenueLinesWrites } from '../../db/queries/deferred-revenue-lines.ts';
import { deferredLinesOf } from './deferred-lines.ts';
import { NAMED_CATALOGUES, nameContextOf, resolveDocumentNames, type NameContext } from './document-names.ts';
import { emailAllowed } from './email-policy.ts';
import { invoiceProblem, money, toXeroInvoice, type ContactInXero } from './invoice-mapping.ts';
import { prepareVoid, voidedEvents } from './invoice-void.ts';
import { validationMessages, type PushStrategy } from './strategy.ts';
import { fromWire, toWire, wireElements } from '../../xero/wire.ts';
import { sendWire } from '../../xero/wire-call.ts';

interface LoadedInvoices {
  invoices: Map<string, InvoiceWithLines>;
  settings: EffectiveSettings;
  /** The currencies the organisation's Xero is known to be subscribed to; undefined when never read. */
  currencies?: string[];
  contactSync: Map<string, ContactInXero>;
  contactEmail: Map<string, string | null>;
  names: NameContext;
}

const INVOICE_NUMBER_TAKEN = /Invoice # must be unique/i;
const SETTLED_IN_XERO = new Set<string>(['DELETED', 'VOIDED']);
const EVERY_STATUS = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'];
/** Xero gives an online invoice link for approved invoices (not drafts). */
const LINKABLE = new Set<string>(['AUTHORISED', 'PAID']);

/** What is read of each invoice Xero answers a push with: its id and errors, its state (writes), its lines' figures (deferred-lines.ts). */
const INVOICE_ANSWER_FIELDS = ['invoiceID', 'validationErrors', 'status', 'total', 'amountPaid', 'amountDue', 'lineItems', 'lineAmountTypes', 'currencyCode', 'currencyRate'];

/** Of the invoices Xero now holds with these statuses: which Xero should email, and whose online link is to be fetched. */
function followUpsOf(loaded: LoadedInvoices, held: Array<{ invoiceId: string; status: string }>): { toEmail: string[]; toLink: string[] } {
  const toEmail = held
    .filter(({ invoiceId, status }) => {
      const invoice = loaded.invoices.get(invoiceId)!;
      return !invoice.emailedAt && emailAllowed(loaded.settings, status, loaded.contactEmail.get(invoice.contactId));
    })
    .map(({ invoiceId }) => invoiceId);
  const toLink = loaded.settings.onlineInvoiceLinks
    ? held.filter(({ invoiceId, status }) => LINKABLE.has(status) && !loaded.invoices.get(invoiceId)!.onlineInvoiceUrl).map(({ invoiceId }) => invoiceId)
    : [];
  return { toEmail, toLink };
}

export const invoiceStrategy: PushStrategy<LoadedInvoices, Invoice, Invoice> = {
  recordType: 'invoice',
  // Two statements, side by side: the batch's invoices (lines, contacts), and the organisation's context.
  async load(deps, orgId, claims, options) {
    const [batch, context] = await Promise.all([
      getInvoiceBatch(deps.db, { orgId, invoiceIds: claims.map((c) => c.recordId) }),
      loadPushContext(deps.db, { orgId, defaults: deps.settingsDefaults, catalogues: NAMED_CATALOGUES }),
    ]);
    const contactSync = new Map<string, ContactInXero>();
    for (const [id, contact] of batch.contacts) if (contact.sync) contactSync.set(id, contact.sync);
    return {
      invoices: new Map(batch.invoices.map((i) => [i.id, i])),
      settings: context.settings,
      currencies: context.currencies?.currencies,
      contactSync,
      contactEmail: new Map([...batch.contacts].map(([id, c]) => [id, c.email])),
      names: nameContextOf(context.catalogues, options),
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
  // Built and read in Xero's wire shape (xero/wire.ts): xero-node's serialiser was most of a batch's cost.
  send: (api, tenantId, invoices, key) => sendWire(api, toWire({ invoices }, 'Invoices'), () => api.updateOrCreateInvoices(tenantId, { invoices: [] }, false, 4, key)),
  answered: (body) =>
    wireElements(body, 'Invoices').map((raw) => {
      const i = fromWire<Invoice>(raw, 'Invoice', INVOICE_ANSWER_FIELDS);
      return { xeroId: i.invoiceID, errors: validationMessages(i), answer: i };
    }),
  isDuplicate: (errors) => errors.some((e) => INVOICE_NUMBER_TAKEN.test(e)),
  writes({ orgId, taken, loaded }) {
    const states = taken.map(({ claim, answer }) => ({
      invoiceId: claim.recordId,
      status: String(answer.status ?? ''),
      total: money(answer.total),
      amountPaid: money(answer.amountPaid),
      amountDue: money(answer.amountDue),
    }));
    const live = taken.filter(({ claim }) => !loaded.invoices.get(claim.recordId)!.voidRequestedAt);
    const writes = [
      ...xeroInvoiceStatesWrites({ orgId, states }),
      ...outboundEventsWrites(voidedEvents(orgId, taken, loaded.invoices)),
      // What each invoice now holds on deferred revenue, in Xero's own figures (recognised month by month).
      ...deferredRevenueLinesWrites({
        orgId,
        invoiceIds: live.map(({ claim }) => claim.recordId),
        lines: live.flatMap(({ claim, answer }) => deferredLinesOf(loaded.invoices.get(claim.recordId)!, answer, loaded.settings)),
      }),
    ];
    return { writes, ...followUpsOf(loaded, live.map(({ claim, answer }) => ({ invoiceId: claim.recordId, status: String(answer.status ?? '') }))) };
  },
  // The batch's invoices as stored: their Xero status is the one its answer gave.
  followUps(settled, loaded) {
    const held = settled.flatMap((claim) => {
      const invoice = loaded.invoices.get(claim.recordId);
      return invoice && claim.state === 'synced' && !invoice.voidRequestedAt ? [{ invoiceId: claim.recordId, status: invoice.xeroStatus ?? '' }] : [];
    });
    return followUpsOf(loaded, held);
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
