/**
 * Line discounts. Xero takes a `DiscountRate` (percent) or a `DiscountAmount` on the lines of sales invoices
 * (ACCREC) only: the spec says bills and credit notes do not support discounts. The line amount is the
 * discounted one, rounded to 2 dp: Quantity x UnitAmount x (100 - DiscountRate) / 100, or Quantity x UnitAmount -
 * DiscountAmount; tax is worked out on it. The refusals below (both given, out of range, wrong document) and their
 * wording are the sandbox's own: whether Xero refuses or ignores them is unverified.
 */
import { round } from '../money.ts';
import { has, number, type Json } from './fields.ts';

export const DISCOUNT_NOT_SUPPORTED = 'Discounts are only supported on the lines of sales invoices (ACCREC).';
export const DISCOUNT_BOTH = 'A line item can have a DiscountRate or a DiscountAmount, not both.';
export const DISCOUNT_RATE_RANGE = 'DiscountRate must be between 0 and 100.';
export const DISCOUNT_AMOUNT_RANGE = "DiscountAmount must be between 0 and the line's Quantity x UnitAmount.";

export interface LineDiscount {
  DiscountRate?: number;
  DiscountAmount?: number;
}

/** The discount a line asks for, with the problems Xero would (we assume) refuse it for. */
export function readDiscount(input: Json, supported: boolean, errors: string[]): LineDiscount {
  const rate = number(input, 'DiscountRate');
  const amount = number(input, 'DiscountAmount');
  if (rate === undefined && amount === undefined) return {};
  if (!supported) {
    // A zero discount changes nothing; anything else would change the total.
    if (rate || amount) errors.push(DISCOUNT_NOT_SUPPORTED);
    return {};
  }
  if (has(input, 'DiscountRate') && has(input, 'DiscountAmount')) errors.push(DISCOUNT_BOTH);
  if (rate !== undefined) {
    if (rate < 0 || rate > 100) errors.push(DISCOUNT_RATE_RANGE);
    return { DiscountRate: rate };
  }
  if (amount! < 0) errors.push(DISCOUNT_AMOUNT_RANGE);
  return { DiscountAmount: round(amount!) };
}

/** LineAmount after the discount, from the undiscounted Quantity x UnitAmount (a refused discount is held in range). */
export function discountedAmount(gross: number, discount: LineDiscount): number {
  if (discount.DiscountRate !== undefined) return round((gross * (100 - Math.min(100, Math.max(0, discount.DiscountRate)))) / 100);
  if (discount.DiscountAmount !== undefined) return round(round(gross) - Math.min(Math.abs(round(gross)), Math.max(0, discount.DiscountAmount)));
  return round(gross);
}

/** The undiscounted amount behind a given (discounted) LineAmount, to work out a missing UnitAmount. */
export function undiscountedAmount(lineAmount: number, discount: LineDiscount): number {
  if (discount.DiscountRate !== undefined && discount.DiscountRate < 100) return (lineAmount * 100) / (100 - discount.DiscountRate);
  if (discount.DiscountAmount !== undefined) return lineAmount + discount.DiscountAmount;
  return lineAmount;
}

/** What a line's discount took off (0 without one). */
export function discountTaken(gross: number, lineAmount: number, discount: LineDiscount): number {
  return discount.DiscountRate !== undefined || discount.DiscountAmount !== undefined ? round(round(gross) - lineAmount) : 0;
}
