/** Times and durations as a person reads them. */
const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function fromNow(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const delta = Date.parse(iso) - now;
  for (const [unit, ms] of units) {
    if (Math.abs(delta) >= ms || unit === 'second') return relative.format(Math.round(delta / ms), unit);
  }
  return iso;
}

export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : 'never');

export function duration(seconds: number): string {
  if (seconds < 1) return 'less than a second';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}

export const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** Record types as people say them; the API takes the singular. */
const TYPE_LABELS = { contact: 'Contacts', invoice: 'Invoices', payment: 'Payments', expense: 'Expenses', credit_note: 'Credit notes', credit_allocation: 'Credit allocations', credit_refund: 'Credit refunds' };
/** A record type's label under its singular name (records_by_type) and the guide's plural (sync_types). */
export const typeLabel: Record<string, string> = {
  ...TYPE_LABELS,
  ...Object.fromEntries(Object.entries(TYPE_LABELS).map(([type, label]) => [`${type}s`, label])),
  connection: 'Connection',
};
