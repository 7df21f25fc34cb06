/** Splits a list into runs of at most `size` (Postgres allows 65,535 parameters per statement). */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
