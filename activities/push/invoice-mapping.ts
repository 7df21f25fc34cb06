/**
 * A platform invoice as a Xero sales invoice (ACCREC), with the organisation's settings: its status, the
 * account of each line (service mapping, else the default revenue account; the deferred revenue account for
 * a line with a service period when one is set), tax types, items, discounts, tracking, branding theme,
 * amount type and currency. Pure: unit-tested without Xero.
 */
import { Invoice, LineAmountTypes, type LineItemTracking } from 'xero-node';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import type { InvoiceWithLines } from '../../db/queries/invoices.ts';
import { currencyProblem } from './currency-check.ts';
import { toXeroLine, unmappedTaxCodeProblem, type DocumentLine } from './document-lines.ts';
import { hintFor } from './hints.ts';

export const LINE_AMOUNT_TYPES: Record<EffectiveSettings['amountType'], LineAmountTypes> = {
  EXCLUSIVE: LineAmountTypes.Exclusive,
  INCLUSIVE: LineAmountTypes.Inclusive,
  NOTAX: LineAmountTypes.NoTax,
};

/** What is known of the invoice's contact in Xero. */
export interface ContactInXero {
  state: string;
  xeroId: string | null;
  lastError: string | null;
}

/**
 * Why an invoice (or credit note) cannot be sent (said before any Xero call), or undefined when it can.
 * `enabledCurrencies`: what the organisation's Xero is known to be subscribed to (undefined: not known).
 */
export function invoiceProblem(
  invoice: Pick<InvoiceWithLines, 'contactId' | 'number' | 'currencyCode'> & { lines: DocumentLine[] },
  contact: ContactInXero | undefined,
  settings: EffectiveSettings,
  enabledCurrencies?: string[],
): { error: string; hint?: string } | undefined {
  if (!contact) return { error: `Unknown contact ${invoice.contactId}.`, hint: 'Send the contact (PUT .../contacts/{id}) before its invoices.' };
  if (!contact.xeroId) {
    return {
      error: `Contact ${invoice.contactId} is not in Xero (${contact.state}${contact.lastError ? `: ${contact.lastError}` : ''}).`,
      hint: 'Fix the contact, then retry this invoice.',
    };
  }
  const currency = currencyProblem(invoice.currencyCode ?? settings.currencyCode, enabledCurrencies, `invoice ${invoice.number}`);
  if (currency) return { ...currency, hint: hintFor(currency.error) };
  return unmappedTaxCodeProblem(invoice.lines, settings);
}

/** What was resolved against the organisation's Xero lists: each line's tracking, the invoice's own theme. */
export interface ResolvedNames {
  tracking?: Array<LineItemTracking[] | undefined>;
  brandingThemeId?: string;
}

export function toXeroInvoice(invoice: InvoiceWithLines, contactXeroId: string, xeroId: string | null, settings: EffectiveSettings, names: ResolvedNames = {}): Invoice {
  const brandingThemeID = names.brandingThemeId ?? settings.brandingThemeId;
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
    ...(brandingThemeID ? { brandingThemeID } : {}),
    lineItems: invoice.lines.map((line, i) => toXeroLine(line, settings, names.tracking?.[i])),
  };
}

/** Voiding in Xero is a status-only change: DELETED while the invoice is a draft (or submitted), VOIDED once approved. */
export function voidStatusFor(xeroStatus: string | null, createdAs: EffectiveSettings['invoiceStatus']): 'DELETED' | 'VOIDED' {
  const status = xeroStatus ?? createdAs;
  return status === 'DRAFT' || status === 'SUBMITTED' ? 'DELETED' : 'VOIDED';
}

/** Xero's amounts (floats in xero-node) as numeric(18,2) text. */
export function money(value: number | undefined): string | undefined {
  return value === undefined || value === null ? undefined : value.toFixed(2);
}
