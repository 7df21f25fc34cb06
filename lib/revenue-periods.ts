/**
 * Calendar arithmetic for revenue recognition: service periods are calendar dates (`YYYY-MM-DD`, both ends
 * included) and recognition periods are calendar months (`YYYY-MM`) of the Xero organisation's own calendar.
 * Dates carry no time zone; only "has this month ended yet?" depends on one (`lastEndedPeriod`).
 *
 * Pure: no clock, no I/O.
 */

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})-(\d{2})$/;

/** Days since 1970-01-01 of a calendar date. */
function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function splitPeriod(period: string): { year: number; month: number } {
  const m = PERIOD.exec(period);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`not a period (YYYY-MM): ${period}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** Days from `start` to `end`, both included (a one-day service period is 1). */
export function daysInclusive(start: string, end: string): number {
  return dayNumber(end) - dayNumber(start) + 1;
}

/** The month a date falls in. */
export function periodOf(date: string): string {
  dayNumber(date);
  return date.slice(0, 7);
}

export function periodStart(period: string): string {
  splitPeriod(period);
  return `${period}-01`;
}

/** The month's last day: what a journal for the period is dated. */
export function periodEnd(period: string): string {
  const { year, month } = splitPeriod(period);
  return fromDayNumber(Date.UTC(year, month, 1) / DAY_MS - 1);
}

export function nextPeriod(period: string): string {
  const { year, month } = splitPeriod(period);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

export function previousPeriod(period: string): string {
  const { year, month } = splitPeriod(period);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included, in order (empty when `to` is before `from`). */
export function periodsFrom(from: string, to: string): string[] {
  const periods: string[] = [];
  for (let p = from; p <= to; p = nextPeriod(p)) periods.push(p);
  return periods;
}

/** The months a service period touches, each with the days of the period that fall in it. */
export function monthsCovered(start: string, end: string): Array<{ period: string; days: number }> {
  if (daysInclusive(start, end) < 1) throw new RangeError(`service period ends (${end}) before it starts (${start})`);
  return periodsFrom(periodOf(start), periodOf(end)).map((period) => {
    const from = period === periodOf(start) ? start : periodStart(period);
    const to = period === periodOf(end) ? end : periodEnd(period);
    return { period, days: daysInclusive(from, to) };
  });
}

/** The calendar date an instant falls on in an IANA time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The latest month that has ended, at `instant`, on the calendar of `timeZone`: the month before the local one. */
export function lastEndedPeriod(instant: Date, timeZone: string): string {
  return previousPeriod(periodOf(localDate(instant, timeZone)));
}
