/**
 * A platform invoice as a Xero sales invoice (ACCREC), with the organisation's settings: its status, the
 * account of each line (service mapping, else the default revenue account; the deferred revenue account for
 * a line with a service period when one is set), tax types, amount type and currency. Pure: unit-tested without Xero.
 */
import { Invoice, LineAmountTypes, type LineItem } from 'xero-node';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import type { InvoiceWithLines } from '../../db/queries/invoices.ts';
import { currencyProblem } from './currency-check.ts';
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
 * Why an invoice cannot be sent (said before any Xero call), or undefined when it can. `enabledCurrencies`:
 * what the organisation's Xero is known to be subscribed to (undefined: not known).
 */
export function invoiceProblem(
  invoice: InvoiceWithLines,
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
  const unmapped = [...new Set(invoice.lines.filter((l) => l.taxCode && !settings.taxTypes[l.taxCode]).map((l) => l.taxCode!))];
  if (unmapped.length > 0) {
    return {
      error: `No Xero tax type is mapped for platform tax code ${unmapped.join(', ')}.`,
      hint: `Map tax code ${unmapped[0]} to a Xero tax type in Settings > Integrations > Xero > Mappings.`,
    };
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
    lineItems: invoice.lines.map(
      (line): LineItem => ({
        description: line.servicePeriodStart && line.servicePeriodEnd ? `${line.description} (${line.servicePeriodStart} to ${line.servicePeriodEnd})` : line.description,
        quantity: Number(line.quantity),
        unitAmount: Number(line.unitAmount),
        accountCode: lineAccounts(line, settings).postedTo,
        ...(line.taxCode ? { taxType: settings.taxTypes[line.taxCode] } : settings.defaultTaxType ? { taxType: settings.defaultTaxType } : {}),
      }),
    ),
  };
}

/**
 * Where a line goes in Xero and where its revenue belongs. A line with a service period is posted to the
 * organisation's deferred revenue account when one is set, and recognised month by month into its revenue
 * account (the service's mapping, else the default); without a deferred account it goes to revenue at once.
 */
export function lineAccounts(
  line: Pick<InvoiceWithLines['lines'][number], 'serviceCode' | 'servicePeriodStart' | 'servicePeriodEnd'>,
  settings: Pick<EffectiveSettings, 'serviceAccounts' | 'defaultRevenueAccountCode' | 'deferredRevenueAccountCode'>,
): { postedTo: string; revenueAccount: string; deferred: boolean } {
  const revenueAccount = (line.serviceCode && settings.serviceAccounts[line.serviceCode]) || settings.defaultRevenueAccountCode;
  const deferredTo = line.servicePeriodStart && line.servicePeriodEnd ? settings.deferredRevenueAccountCode : undefined;
  return deferredTo ? { postedTo: deferredTo, revenueAccount, deferred: true } : { postedTo: revenueAccount, revenueAccount, deferred: false };
}

/** Xero's amounts (floats in xero-node) as numeric(18,2) text. */
export function money(value: number | undefined): string | undefined {
  return value === undefined || value === null ? undefined : value.toFixed(2);
}
