/**
 * Line items and document totals, as Xero computes them.
 *
 * LineAmount = Quantity x UnitAmount less any discount (discounts.ts), rounded to 2 dp. Tax is worked out per line at
 * 2 dp: on top of the line for `Exclusive`, inside it for `Inclusive`, never for `NoTax`. A document's
 * SubTotal, TotalTax and Total are sums of the rounded lines.
 */
import { randomUUID } from 'node:crypto';
import { round, sum } from '../money.ts';
import { ACCOUNT_NOT_VALID, TAX_TYPE_NOT_VALID, accountByCode, accountById, taxRate, taxUsable, usableOnDocument } from './accounts.ts';
import { array, compact, number, text, type Json } from './fields.ts';
import type { Account, Books, LineAmountTypes, LineItem } from './records.ts';
import { renderLineTracking, resolveTracking } from './tracking.ts';
import { ITEM_CODE_NOT_VALID, itemByCode, itemDefaults } from './items.ts';
import { DISCOUNT_AMOUNT_RANGE, discountTaken, discountedAmount, readDiscount, undiscountedAmount } from './discounts.ts';

export const ACCOUNT_REQUIRED = 'Account code must be specified for line items with an amount on an approved document.';

export interface Totals {
  SubTotal: number;
  TotalTax: number;
  Total: number;
  TotalDiscount: number;
}

export function readLineAmountTypes(value: string | undefined, fallback: LineAmountTypes): LineAmountTypes | 'invalid' {
  if (value === undefined || value === '') return fallback;
  const v = value.toLowerCase();
  if (v === 'exclusive') return 'Exclusive';
  if (v === 'inclusive') return 'Inclusive';
  if (v === 'notax' || v === 'none') return 'NoTax';
  return 'invalid';
}

export interface LineOptions {
  side: 'sales' | 'purchases';
  lineAmountTypes: LineAmountTypes;
  /** Approved documents need an account on every line that carries an amount. */
  approving: boolean;
  /** unitdp=4 keeps four decimal places on UnitAmount. */
  unitDp: 2 | 4;
  /** Only sales invoices take DiscountRate / DiscountAmount. */
  discounts: boolean;
  previous?: LineItem[];
  /** The inputs are stored lines being recomputed (new amount type, approval): their tracking stays as it is. */
  stored?: boolean;
}

function resolveAccount(books: Books, input: Json, itemAccountCode?: string): { account?: Account; code?: string; error?: string } {
  const code = text(input, 'AccountCode')?.trim() || (text(input, 'AccountID') ? undefined : itemAccountCode);
  const id = text(input, 'AccountID');
  if (!code && !id) return {};
  const account = code ? accountByCode(books, code) : accountById(books, id!);
  if (!account || !usableOnDocument(account)) return { code, error: ACCOUNT_NOT_VALID(code ?? account?.Code ?? id!) };
  return { account, code: account.Code };
}

export function computeLines(books: Books, inputs: Json[], options: LineOptions): { lines: LineItem[]; errors: string[] } {
  const errors: string[] = [];
  const lines: LineItem[] = [];
  for (const input of inputs) {
    const itemCode = text(input, 'ItemCode')?.trim();
    const item = itemCode ? itemByCode(books, itemCode) : undefined;
    if (itemCode && !item) errors.push(ITEM_CODE_NOT_VALID(itemCode));
    const defaults = item ? itemDefaults(item, options.side) : {};
    const { account, code: accountCode, error } = resolveAccount(books, input, defaults.AccountCode);
    if (error) errors.push(error);
    const accountFromItem = !text(input, 'AccountCode')?.trim() && !text(input, 'AccountID') && account !== undefined;
    let quantity = number(input, 'Quantity');
    let unitAmount = number(input, 'UnitAmount') ?? (number(input, 'LineAmount') === undefined ? defaults.UnitPrice : undefined);
    const givenLineAmount = number(input, 'LineAmount');
    const discount = readDiscount(input, options.discounts, errors);
    if (unitAmount !== undefined) unitAmount = round(unitAmount, options.unitDp);
    if (quantity === undefined && (unitAmount !== undefined || givenLineAmount !== undefined)) quantity = 1;
    if (unitAmount === undefined && givenLineAmount !== undefined && quantity) unitAmount = round(undiscountedAmount(givenLineAmount, discount) / quantity, options.unitDp);
    const gross = quantity !== undefined && unitAmount !== undefined ? quantity * unitAmount : (givenLineAmount ?? 0);
    if (discount.DiscountAmount !== undefined && discount.DiscountAmount > Math.abs(round(gross))) errors.push(DISCOUNT_AMOUNT_RANGE);
    const lineAmount = discountedAmount(gross, discount);

    const givenTaxType = text(input, 'TaxType')?.trim();
    // An item's tax type goes with its account; a line coded to another account takes that account's default.
    const taxType = givenTaxType || (accountFromItem ? defaults.TaxType : undefined) || account?.TaxType || (options.lineAmountTypes === 'NoTax' ? 'NONE' : undefined);
    let taxAmount = 0;
    if (taxType !== undefined) {
      const rate = taxRate(books, taxType);
      // Under NoTax Xero ignores the rate for the amounts, but a named tax type must still exist.
      const usable = options.lineAmountTypes === 'NoTax' && !givenTaxType ? true : taxUsable(rate, options.side, account);
      if (!usable) errors.push(TAX_TYPE_NOT_VALID(taxType));
      else if (rate && options.lineAmountTypes !== 'NoTax') {
        const percent = rate.Rate;
        const computed = options.lineAmountTypes === 'Exclusive' ? lineAmount * (percent / 100) : lineAmount * (percent / (100 + percent));
        taxAmount = round(computed);
        // Xero lets a caller override the computed tax on a line.
        const override = number(input, 'TaxAmount');
        if (override !== undefined) taxAmount = round(override);
      }
    }
    if (options.approving && !account && !error && lineAmount !== 0) errors.push(ACCOUNT_REQUIRED);

    const givenId = text(input, 'LineItemID');
    const kept = givenId ? options.previous?.find((l) => l.LineItemID === givenId.toLowerCase()) : undefined;
    lines.push(compact({
      LineItemID: kept?.LineItemID ?? randomUUID(),
      Description: text(input, 'Description') ?? defaults.Description,
      Quantity: quantity,
      UnitAmount: unitAmount,
      ItemCode: item?.Code ?? itemCode,
      // A code Xero refused stays on the line of the failed element, as it was sent.
      AccountCode: account?.Code ?? accountCode,
      AccountID: account?.AccountID,
      TaxType: taxType,
      TaxAmount: taxAmount,
      LineAmount: lineAmount,
      ...discount,
      Tracking: options.stored ? (input['Tracking'] as LineItem['Tracking']) : resolveTracking(books, array(input, 'Tracking')),
    }) as LineItem);
  }
  return { lines, errors: [...new Set(errors)] };
}

export function totals(lines: LineItem[], lineAmountTypes: LineAmountTypes): Totals {
  const lineSum = sum(lines.map((l) => l.LineAmount));
  const tax = sum(lines.map((l) => l.TaxAmount));
  const discount = sum(lines.map((l) => discountTaken((l.Quantity ?? 0) * (l.UnitAmount ?? 0), l.LineAmount, l)));
  if (lineAmountTypes === 'Inclusive') return { SubTotal: round(lineSum - tax), TotalTax: tax, Total: lineSum, TotalDiscount: discount };
  if (lineAmountTypes === 'NoTax') return { SubTotal: lineSum, TotalTax: 0, Total: lineSum, TotalDiscount: discount };
  return { SubTotal: lineSum, TotalTax: tax, Total: round(lineSum + tax), TotalDiscount: discount };
}

export function renderLine(books: Books, line: LineItem): Record<string, unknown> {
  const item = line.ItemCode ? itemByCode(books, line.ItemCode) : undefined;
  return compact({
    ...line,
    Item: item ? { ItemID: item.ItemID, Name: item.Name, Code: item.Code } : undefined,
    Tracking: (line.Tracking ?? []).map(renderLineTracking),
  });
}

/** Do two line lists say the same thing (ignoring ids)? Used to allow re-sending the lines of a paid invoice. */
export function sameLines(a: LineItem[], b: LineItem[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return x.Description === y.Description && x.Quantity === y.Quantity && x.UnitAmount === y.UnitAmount &&
      x.AccountCode === y.AccountCode && x.TaxType === y.TaxType && x.LineAmount === y.LineAmount && x.TaxAmount === y.TaxAmount;
  });
}
