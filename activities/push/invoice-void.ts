/**
 * An invoice the platform voided (`POST .../invoices/{id}/void`), as the invoice strategy sends it: a
 * status-only change decided from Xero's last known status (DELETED for a draft or submitted invoice,
 * VOIDED for an approved one), nothing at all when Xero never had it or has already settled it, and a
 * clear refusal when money is applied to it (Xero refuses that too: a credit note is the way).
 */
import type { Invoice } from 'xero-node';
import type { InvoiceWithLines } from '../../db/queries/invoices.ts';
import type { NewOutboundEvent } from '../../db/queries/outbound-events.ts';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import type { SyncStateRow } from '../../db/queries/sync-state.ts';
import { voidStatusFor } from './invoice-mapping.ts';
import type { Settled, Taken } from './strategy.ts';

export const HAS_PAYMENTS_MESSAGE = 'This invoice has payments in Xero: credit it instead (PUT /api/orgs/{orgId}/credit-notes/{id})';

export function prepareVoid(claim: SyncStateRow, invoice: InvoiceWithLines, settings: EffectiveSettings): { element: Invoice } | { settled: Settled } {
  // Never reached Xero (a lost answer would have been adopted by the retry's lookup first): nothing to undo.
  if (!claim.xeroId) return { settled: { outcome: 'skipped' } };
  if (invoice.xeroStatus === 'VOIDED' || invoice.xeroStatus === 'DELETED') return { settled: { outcome: 'synced', xeroId: claim.xeroId } };
  if (invoice.xeroStatus === 'PAID' || Number(invoice.amountPaid) > 0) {
    return {
      settled: {
        outcome: 'failed',
        error: HAS_PAYMENTS_MESSAGE,
        hint: 'Xero does not void an invoice with payments or credit allocated: raise a credit note for it (and refund it if the member is owed money).',
      },
    };
  }
  const status = voidStatusFor(invoice.xeroStatus, settings.invoiceStatus);
  return { element: { invoiceID: claim.xeroId, status: status as unknown as Invoice.StatusEnum } };
}

/** `invoice.voided` for each void Xero has just carried out (the main app learns its request is done). */
export function voidedEvents(orgId: string, taken: Array<Taken<Invoice, Invoice>>, invoices: Map<string, InvoiceWithLines>): NewOutboundEvent[] {
  return taken
    .filter(({ claim, answer }) => invoices.get(claim.recordId)?.voidRequestedAt && ['VOIDED', 'DELETED'].includes(String(answer.status ?? '')))
    .map(({ claim, answer }) => {
      const invoice = invoices.get(claim.recordId)!;
      return {
        orgId,
        type: 'invoice.voided' as const,
        recordKey: `invoice:${invoice.id}`,
        payload: { invoiceId: invoice.id, invoiceNumber: invoice.number, xeroInvoiceId: answer.invoiceID, xeroStatus: String(answer.status), source: 'platform' },
      };
    });
}
