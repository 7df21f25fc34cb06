/**
 * Which currency a document is in and at what rate. Xero's CurrencyRate is units of the document's currency per
 * one unit of the base currency; a document in the base currency is always at 1. When a foreign-currency
 * document omits CurrencyRate Xero fills in its day rate: here that is the organisation's rate table (seeded
 * from fixed rates, settable through the control API).
 */
import { currencyRate } from './chart.ts';
import { number, text, type Json } from './fields.ts';
import type { Books } from './records.ts';

export const CURRENCY_NOT_SUBSCRIBED = (ccy: string) => `Organisation is not subscribed to currency ${ccy}`;
export const RATE_NOT_POSITIVE = 'The currency rate must be greater than zero.';

/** The rate table a new organisation starts with: one entry per enabled foreign currency. */
export function seedCurrencyRates(base: string, currencies: string[], given: Record<string, number> = {}): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const code of currencies) if (code !== base) rates[code] = currencyRate(base, code);
  return { ...rates, ...checkRates(given) };
}

/** Upper-cased codes and positive rates, or an Error naming the first bad entry. */
export function checkRates(rates: Record<string, unknown>): Record<string, number> {
  const checked: Record<string, number> = {};
  for (const [code, rate] of Object.entries(rates ?? {})) {
    if (!/^[A-Za-z]{3}$/.test(code)) throw new Error(`currency rate for '${code}': the key must be an ISO currency code`);
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) throw new Error(`currency rate for ${code} must be a positive number`);
    checked[code.toUpperCase()] = rate;
  }
  return checked;
}

export interface DocumentCurrency {
  CurrencyCode: string;
  CurrencyRate: number;
}

/** The currency and rate an invoice or credit note element asks for, over what it had (`current`) when updating. */
export function documentCurrency(books: Books, input: Json, errors: string[], current?: DocumentCurrency): DocumentCurrency {
  const base = books.org.BaseCurrency;
  const code = (text(input, 'CurrencyCode') || current?.CurrencyCode || base).toUpperCase();
  if (!books.org.currencies.includes(code)) errors.push(CURRENCY_NOT_SUBSCRIBED(code));
  const given = number(input, 'CurrencyRate');
  if (code === base) return { CurrencyCode: code, CurrencyRate: 1 };
  if (given !== undefined) {
    if (given <= 0) errors.push(RATE_NOT_POSITIVE);
    return { CurrencyCode: code, CurrencyRate: given };
  }
  if (current && current.CurrencyCode === code) return { CurrencyCode: code, CurrencyRate: current.CurrencyRate };
  return { CurrencyCode: code, CurrencyRate: books.org.currencyRates[code] ?? currencyRate(base, code) };
}
