/**
 * The straight-line schedule of one deferred invoice line, in exact cents of the organisation's base currency.
 *
 *   - The line's amount is net of tax, as Xero computed it (LineAmount, less TaxAmount when the invoice's
 *     amounts are tax-inclusive), in the invoice's currency.
 *   - It is converted at the invoice's own CurrencyRate (Xero's: units of the invoice's currency per unit of
 *     base currency), so the line's base amount is round(net / rate).
 *   - Each month of the service period earns the share of its days (both ends of the period included),
 *     rounded once to the cent; the last month takes the remainder, so the months add up to the line's base
 *     amount exactly.
 *
 * Money is bigint cents throughout and rates are exact decimals: no float ever touches an amount.
 * Pure: unit-tested without a database.
 */
import { monthsCovered } from './revenue-periods.ts';

const MONEY = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** `"123.45"` (numeric(18,2) text, or Xero's amount as text) as cents. */
export function toCents(amount: string): bigint {
  const m = MONEY.exec(amount.trim());
  if (!m) throw new RangeError(`not an amount of money: ${amount}`);
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** n / d rounded to the nearest integer, halves away from zero (d > 0). */
export function roundDiv(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  const abs = n < 0n ? -n : n;
  const q = (2n * abs + d) / (2n * d);
  return n < 0n ? -q : q;
}

/** A positive decimal rate as an exact fraction `units / 10^scale`. */
export function parseRate(rate: string): { units: bigint; scale: bigint } {
  const m = DECIMAL.exec(rate.trim());
  if (!m) throw new RangeError(`not a currency rate: ${rate}`);
  const fraction = m[2] ?? '';
  const units = BigInt(m[1]! + fraction);
  if (units === 0n) throw new RangeError('a currency rate must be greater than zero');
  return { units, scale: 10n ** BigInt(fraction.length) };
}

/** Xero's CurrencyRate (a float in xero-node) as the decimal text it was written with. */
export function rateText(rate: number | undefined): string {
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) return '1';
  const text = String(rate);
  return /e/i.test(text) ? rate.toFixed(12).replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** An amount in the invoice's currency, in base-currency cents: round(cents / rate). */
export function toBaseCents(cents: bigint, rate: string): bigint {
  const { units, scale } = parseRate(rate);
  return roundDiv(cents * scale, units);
}

export interface DeferredLine {
  /** Net of tax, in the invoice's currency. */
  netCents: bigint;
  /** The invoice's CurrencyRate as Xero answered it ('1' for the base currency). */
  currencyRate: string;
  serviceStart: string;
  serviceEnd: string;
}

export interface PeriodShare {
  period: string;
  days: number;
  /** Base-currency cents earned in this month. */
  cents: bigint;
}

/** The line's schedule: one share per month of its service period, summing exactly to its base amount. */
export function periodShares(line: DeferredLine): PeriodShare[] {
  const months = monthsCovered(line.serviceStart, line.serviceEnd);
  const totalDays = BigInt(months.reduce((n, m) => n + m.days, 0));
  const { units, scale } = parseRate(line.currencyRate);
  const total = roundDiv(line.netCents * scale, units);
  let given = 0n;
  return months.map(({ period, days }, i) => {
    const cents = i === months.length - 1 ? total - given : roundDiv(line.netCents * BigInt(days) * scale, totalDays * units);
    given += cents;
    return { period, days, cents };
  });
}

/** What the schedule has earned by the end of `period` (everything, once the service period is over). */
export function earnedThrough(shares: PeriodShare[], period: string): bigint {
  return shares.reduce((sum, s) => (s.period <= period ? sum + s.cents : sum), 0n);
}

/**
 * The part of an invoice that is still to be recognised at all: all of it while it stands, none once voided,
 * the uncredited part once credit notes are allocated to it (`kept / of`, both in the same units, e.g. the
 * invoice's total and what is left of it after credits).
 */
export interface RecognisableShare {
  kept: bigint;
  of: bigint;
}

export const WHOLE: RecognisableShare = { kept: 1n, of: 1n };
export const NOTHING: RecognisableShare = { kept: 0n, of: 1n };

/** The line's earned amount through `period` after its invoice's recognisable share: rounded once, to the cent. */
export function recognisedThrough(shares: PeriodShare[], period: string, share: RecognisableShare): bigint {
  if (share.of <= 0n || share.kept <= 0n) return 0n;
  const earned = earnedThrough(shares, period);
  return share.kept >= share.of ? earned : roundDiv(earned * share.kept, share.of);
}
