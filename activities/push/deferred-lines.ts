/**
 * What a pushed invoice holds on deferred revenue, read from Xero's own answer to the push: each deferred
 * line's LineAmount and TaxAmount (Xero works tax out per line), the invoice's amount type, currency and
 * CurrencyRate. Recognition schedules are computed from these figures, so a journal never disagrees with
 * the invoice it recognises by a rounding cent. Pure.
 */
import type { Invoice } from 'xero-node';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import type { InvoiceWithLines } from '../../db/queries/invoices.ts';
import type { DeferredRevenueLineRow } from '../../db/queries/deferred-revenue-lines.ts';
import { fromCents, rateText, toCents } from '../../lib/revenue-schedule.ts';
import { xeroMoney } from '../../xero/values.ts';
import { lineAccounts } from './document-lines.ts';

/** The rows for one invoice's deferred lines; none when Xero's answer does not line up with what was sent. */
export function deferredLinesOf(invoice: InvoiceWithLines, answer: Invoice, settings: EffectiveSettings): DeferredRevenueLineRow[] {
  const answered = answer.lineItems ?? [];
  // Xero answers the lines in the order they were sent; anything else and the figures cannot be paired up.
  if (answered.length !== invoice.lines.length) return [];
  const amountTypes = String(answer.lineAmountTypes ?? settings.amountType);
  const currencyRate = rateText(answer.currencyRate);
  const currencyCode = String(answer.currencyCode ?? invoice.currencyCode ?? settings.currencyCode ?? '');
  return invoice.lines.flatMap((line, i) => {
    const accounts = lineAccounts(line, settings);
    if (!accounts.deferred || !line.servicePeriodStart || !line.servicePeriodEnd) return [];
    const lineAmount = xeroMoney(answered[i]!.lineAmount) ?? '0.00';
    const taxAmount = xeroMoney(answered[i]!.taxAmount) ?? '0.00';
    // Inclusive amounts carry their tax inside the line; Exclusive and NoTax lines are already net.
    const net = /^inclusive$/i.test(amountTypes) ? toCents(lineAmount) - toCents(taxAmount) : toCents(lineAmount);
    return [
      {
        invoiceId: invoice.id,
        lineNo: line.lineNo,
        deferredAccountCode: accounts.postedTo,
        revenueAccountCode: accounts.revenueAccount,
        serviceStart: line.servicePeriodStart,
        serviceEnd: line.servicePeriodEnd,
        lineAmount,
        taxAmount,
        lineAmountTypes: amountTypes,
        currencyCode,
        currencyRate,
        netAmount: fromCents(net),
      },
    ];
  });
}
