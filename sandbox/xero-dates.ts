/**
 * Xero's date formats.
 *
 * The Accounting API answers with Microsoft JSON dates: `/Date(1700000000000+0000)/` for timestamps and
 * date-only fields, plus ISO "...String" twins on some records. xero-node turns any string that starts with
 * `/Date(` into a Date by reading the digits, so a malformed value makes the SDK fail (status 0): every
 * date the sandbox sends goes through these functions.
 */

/** `/Date(1700000000000+0000)/` for an instant. */
export function msDate(epochMs: number): string {
  return `/Date(${Math.trunc(epochMs)}+0000)/`;
}

/** A date-only value (`YYYY-MM-DD`) as Xero sends it: midnight UTC in MS form. */
export function msDateOnly(isoDate: string): string {
  return msDate(Date.parse(`${isoDate}T00:00:00Z`));
}

/** The `DateString` twin Xero sends beside date-only fields: `2024-01-31T00:00:00`. */
export function dateString(isoDate: string): string {
  return `${isoDate}T00:00:00`;
}

/** `UpdatedDateUTCString` style: ISO 8601 without milliseconds. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The calendar date (UTC) of an instant, `YYYY-MM-DD`. */
export function calendarDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads a date a client sent for a date-only field (invoice Date, DueDate, payment Date).
 * Xero accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss` and the MS form; the time of day is dropped.
 * Returns undefined when the value is not a date.
 */
export function parseDateOnly(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const ms = MS_DATE.exec(text);
  if (ms) return calendarDate(Number(ms[1]));
  const iso = ISO_DATE.exec(text);
  if (!iso) return undefined;
  const [, y, m, d] = iso;
  const candidate = `${y}-${m}-${d}`;
  // Reject impossible calendar dates such as 2024-02-31.
  return calendarDate(Date.parse(`${candidate}T00:00:00Z`)) === candidate ? candidate : undefined;
}

/** Reads an `If-Modified-Since` header: ISO 8601 (what xero-node sends) or an HTTP date. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = MS_DATE.exec(value.trim());
  if (ms) return Number(ms[1]);
  // An ISO value without a zone is UTC in Xero's eyes.
  const text = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim()) ? `${value.trim()}Z` : value.trim();
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Whole days from one `YYYY-MM-DD` to another. */
export function addDays(isoDate: string, days: number): string {
  return calendarDate(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000);
}
