/**
 * Money arithmetic. Xero stores amounts to 2 decimal places (unit amounts to 4 with `unitdp=4`) and rounds
 * half away from zero. Working in integer cents keeps 0.1 + 0.2 out of totals.
 */
export function round(value: number, dp = 2): number {
  const factor = 10 ** dp;
  const scaled = Math.abs(value) * factor;
  // The epsilon absorbs binary noise such as 1.005 * 100 = 100.49999999999999.
  const rounded = Math.round(scaled + 1e-9) / factor;
  return value < 0 ? -rounded : rounded;
}

export function sum(values: number[]): number {
  return round(values.reduce((total, v) => total + Math.round(v * 100), 0) / 100);
}

/** Reads a number a client sent; Xero's deserialiser also takes numeric strings. */
export function readNumber(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : 'invalid';
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  return 'invalid';
}
