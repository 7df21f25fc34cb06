/**
 * Xero's values as we store them. xero-node turns Xero's `/Date(ms+0000)/` into Date objects at run time
 * (even where its types say string), and money into floats: both are normalised here, once.
 */

/** A calendar date, `YYYY-MM-DD` (Xero's payment and invoice dates carry no time of day). */
export function xeroDate(value: unknown): string | undefined {
  const instant = xeroInstant(value);
  return instant ? instant.toISOString().slice(0, 10) : undefined;
}

/** An instant (UpdatedDateUTC), from a Date, an ISO string or Xero's `/Date(ms+0000)/`. */
export function xeroInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  const date = ms ? new Date(Number(ms[1])) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Money as numeric(18,2) text; Xero's amounts have at most 2 decimals, so rounding only drops float noise. */
export function xeroMoney(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(2) : undefined;
}

/** Two amounts as money: `'40'`, `40` and `'40.00'` are the same. */
export function sameMoney(a: unknown, b: unknown): boolean {
  return xeroMoney(a) === xeroMoney(b);
}

/** The newest of these instants, as ISO. */
export function newestInstant(values: unknown[]): string | undefined {
  let newest: Date | undefined;
  for (const v of values) {
    const d = xeroInstant(v);
    if (d && (!newest || d > newest)) newest = d;
  }
  return newest?.toISOString();
}
