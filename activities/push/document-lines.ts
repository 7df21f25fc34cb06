/**
 * A platform document line (invoice or credit note) as a Xero line item: the account from the service
 * mapping (else the default revenue account; the deferred revenue account for a line with a service period
 * when one is set), the tax type, the Xero item of a mapped service (`ItemCode`:
 * Xero fills in only what the line leaves out, so our description, amount and account still win), Xero's
 * discount (sales invoices only) and the tracking resolved against the organisation's categories. Pure.
 */
import type { LineItem, LineItemTracking } from 'xero-node';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import type { LineTracking } from '../../db/schema/index.ts';

export interface DocumentLine {
  serviceCode: string | null;
  description: string;
  quantity: string;
  unitAmount: string;
  taxCode: string | null;
  servicePeriodStart?: string | null;
  servicePeriodEnd?: string | null;
  discountRate?: string | null;
  discountAmount?: string | null;
  tracking?: LineTracking | null;
}

/** Why a document's lines cannot be sent, said before any Xero call. */
export interface LineProblem {
  error: string;
  hint?: string;
}

export function unmappedTaxCodeProblem(lines: DocumentLine[], settings: EffectiveSettings): LineProblem | undefined {
  const unmapped = [...new Set(lines.filter((l) => l.taxCode && !settings.taxTypes[l.taxCode]).map((l) => l.taxCode!))];
  if (unmapped.length === 0) return undefined;
  return {
    error: `No Xero tax type is mapped for platform tax code ${unmapped.join(', ')}.`,
    hint: `Map tax code ${unmapped[0]} to a Xero tax type in Settings > Integrations > Xero > Mappings.`,
  };
}

export function toXeroLine(line: DocumentLine, settings: EffectiveSettings, tracking?: LineItemTracking[]): LineItem {
  const itemCode = line.serviceCode ? settings.serviceItems[line.serviceCode] : undefined;
  return {
    description: line.servicePeriodStart && line.servicePeriodEnd ? `${line.description} (${line.servicePeriodStart} to ${line.servicePeriodEnd})` : line.description,
    quantity: Number(line.quantity),
    unitAmount: Number(line.unitAmount),
    ...(itemCode ? { itemCode } : {}),
    accountCode: lineAccounts(line, settings).postedTo,
    ...(line.taxCode ? { taxType: settings.taxTypes[line.taxCode] } : settings.defaultTaxType ? { taxType: settings.defaultTaxType } : {}),
    ...(line.discountRate != null ? { discountRate: Number(line.discountRate) } : {}),
    ...(line.discountAmount != null ? { discountAmount: Number(line.discountAmount) } : {}),
    ...(tracking && tracking.length > 0 ? { tracking } : {}),
  };
}

/**
 * Where a line goes in Xero and where its revenue belongs. A line with a service period is posted to the
 * organisation's deferred revenue account when one is set, and recognised month by month into its revenue
 * account (the service's mapping, else the default); without a deferred account it goes to revenue at once.
 */
export function lineAccounts(
  line: Pick<DocumentLine, 'serviceCode' | 'servicePeriodStart' | 'servicePeriodEnd'>,
  settings: Pick<EffectiveSettings, 'serviceAccounts' | 'defaultRevenueAccountCode' | 'deferredRevenueAccountCode'>,
): { postedTo: string; revenueAccount: string; deferred: boolean } {
  const revenueAccount = (line.serviceCode && settings.serviceAccounts[line.serviceCode]) || settings.defaultRevenueAccountCode;
  const deferredTo = line.servicePeriodStart && line.servicePeriodEnd ? settings.deferredRevenueAccountCode : undefined;
  return deferredTo ? { postedTo: deferredTo, revenueAccount, deferred: true } : { postedTo: revenueAccount, revenueAccount, deferred: false };
}
