/**
 * The arithmetic of revenue recognition: straight-line by day over the service period (both ends included),
 * one share per calendar month in exact cents with the last month taking the remainder, foreign-currency
 * lines converted at the invoice's own rate, and when a month has ended on the organisation's calendar.
 */
import { describe, expect, it } from 'vitest';
import { daysInclusive, lastEndedPeriod, localDate, monthsCovered, periodEnd, periodsFrom } from '../../lib/revenue-periods.ts';
import { NOTHING, WHOLE, earnedThrough, fromCents, periodShares, rateText, recognisedThrough, roundDiv, toBaseCents, toCents } from '../../lib/revenue-schedule.ts';
import { FALLBACK_ZONE, IANA_OF_XERO_TIMEZONE, zoneOfXeroTimezone } from '../../lib/xero-timezones.ts';
import { defaultTimezone } from '../../sandbox/accounting/organisation-enums.ts';

describe('day counts and months', () => {
  it('counts both ends of a service period', () => {
    expect(daysInclusive('2026-01-15', '2027-01-14')).toBe(365);
    expect(daysInclusive('2028-01-01', '2028-12-31')).toBe(366);
    expect(daysInclusive('2026-03-05', '2026-03-05')).toBe(1);
  });

  it('splits a mid-month year into thirteen months whose days add up to the period', () => {
    const months = monthsCovered('2026-01-15', '2027-01-14');
    expect(months).toHaveLength(13);
    expect(months[0]).toEqual({ period: '2026-01', days: 17 });
    expect(months[1]).toEqual({ period: '2026-02', days: 28 });
    expect(months[12]).toEqual({ period: '2027-01', days: 14 });
    expect(months.reduce((n, m) => n + m.days, 0)).toBe(365);
  });

  it('knows month ends, leap years included, and refuses a period that ends before it starts', () => {
    expect(periodEnd('2026-02')).toBe('2026-02-28');
    expect(periodEnd('2028-02')).toBe('2028-02-29');
    expect(periodEnd('2026-12')).toBe('2026-12-31');
    expect(periodsFrom('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(periodsFrom('2026-11', '2026-10')).toEqual([]);
    expect(() => monthsCovered('2026-02-01', '2026-01-31')).toThrow(/ends .* before it starts/);
  });
});

describe('cents', () => {
  it('reads and writes amounts exactly and rounds halves away from zero', () => {
    expect(toCents('1200.00')).toBe(120000n);
    expect(toCents('-0.5')).toBe(-50n);
    expect(toCents('7')).toBe(700n);
    expect(fromCents(-5n)).toBe('-0.05');
    expect(fromCents(123456n)).toBe('1234.56');
    expect(roundDiv(5n, 2n)).toBe(3n);
    expect(roundDiv(-5n, 2n)).toBe(-3n);
    expect(roundDiv(4n, 3n)).toBe(1n);
    expect(() => toCents('1.234')).toThrow();
  });
});

describe('a line\'s schedule', () => {
  it('earns each month its days\' share, rounded once, and the last month takes the remainder', () => {
    const shares = periodShares({ netCents: 120000n, currencyRate: '1', serviceStart: '2026-01-15', serviceEnd: '2027-01-14' });
    // 1,200.00 x 17/365 = 55.8904..., x 28/365 = 92.0547..., x 31/365 = 101.9178...
    expect(shares.slice(0, 3).map((s) => s.cents)).toEqual([5589n, 9205n, 10192n]);
    for (const s of shares.slice(0, -1)) expect(s.cents).toBe(roundDiv(120000n * BigInt(s.days), 365n));
    const others = shares.slice(0, -1).reduce((n, s) => n + s.cents, 0n);
    expect(shares.at(-1)!.cents).toBe(120000n - others);
    expect(shares.reduce((n, s) => n + s.cents, 0n)).toBe(120000n);
    expect(earnedThrough(shares, '2026-02')).toBe(5589n + 9205n);
    expect(earnedThrough(shares, '2025-12')).toBe(0n);
    expect(earnedThrough(shares, '2030-01')).toBe(120000n);
  });

  it('adds up exactly even when every month rounds the same way', () => {
    // 100.00 over 3 equal-length months: 33.33, 33.33, then the remainder 33.34.
    const shares = periodShares({ netCents: 10000n, currencyRate: '1', serviceStart: '2026-04-01', serviceEnd: '2026-06-30' });
    expect(shares.map((s) => [s.period, s.days])).toEqual([['2026-04', 30], ['2026-05', 31], ['2026-06', 30]]);
    expect(shares.map((s) => s.cents)).toEqual([3297n, 3407n, 3296n]);
    const even = periodShares({ netCents: 10000n, currencyRate: '1', serviceStart: '2026-07-01', serviceEnd: '2026-09-29' });
    expect(even.map((s) => s.days)).toEqual([31, 31, 29]);
    expect(even.reduce((n, s) => n + s.cents, 0n)).toBe(10000n);
  });

  it('converts a foreign-currency line at the invoice\'s own rate, the months summing to the converted total', () => {
    // CurrencyRate is units of the invoice's currency per unit of base currency: 100.00 USD at 0.6 = 166.67 NZD.
    expect(toBaseCents(10000n, '0.6')).toBe(16667n);
    const shares = periodShares({ netCents: 10000n, currencyRate: '0.6', serviceStart: '2026-04-01', serviceEnd: '2026-06-30' });
    // 100 / 0.6 x 30/91 = 54.945..., x 31/91 = 56.776...
    expect(shares.map((s) => s.cents)).toEqual([5495n, 5678n, 16667n - 5495n - 5678n]);
    expect(shares.reduce((n, s) => n + s.cents, 0n)).toBe(16667n);
    expect(toBaseCents(-999n, '1.3333')).toBe(-749n);
    expect(rateText(0.606061)).toBe('0.606061');
    expect(rateText(undefined)).toBe('1');
  });

  it('recognises nothing of a voided invoice and the kept share of a credited one', () => {
    const shares = periodShares({ netCents: 120000n, currencyRate: '1', serviceStart: '2026-01-01', serviceEnd: '2026-12-31' });
    expect(recognisedThrough(shares, '2026-06', WHOLE)).toBe(earnedThrough(shares, '2026-06'));
    expect(recognisedThrough(shares, '2026-06', NOTHING)).toBe(0n);
    expect(recognisedThrough(shares, '2026-12', { kept: 3n, of: 4n })).toBe(90000n);
  });
});

describe('month boundaries on the organisation\'s calendar', () => {
  it('ends November at midnight in Auckland, hours before it ends in London', () => {
    const auckland = zoneOfXeroTimezone('NEWZEALANDSTANDARDTIME').zone;
    const london = zoneOfXeroTimezone('GMTSTANDARDTIME').zone;
    // New Zealand daylight time is UTC+13: 1 December begins at 11:00 UTC on 30 November.
    expect(lastEndedPeriod(new Date('2026-11-30T10:59:59Z'), auckland)).toBe('2026-10');
    expect(lastEndedPeriod(new Date('2026-11-30T11:00:00Z'), auckland)).toBe('2026-11');
    expect(lastEndedPeriod(new Date('2026-11-30T23:59:59Z'), london)).toBe('2026-10');
    expect(lastEndedPeriod(new Date('2026-12-01T00:00:00Z'), london)).toBe('2026-11');
    // Winter in Auckland (UTC+12) and summer in London (UTC+1).
    expect(localDate(new Date('2026-06-30T12:00:00Z'), auckland)).toBe('2026-07-01');
    expect(localDate(new Date('2026-06-30T23:00:00Z'), london)).toBe('2026-07-01');
    expect(lastEndedPeriod(new Date('2027-01-01T05:00:00Z'), london)).toBe('2026-12');
  });

  it('maps the timezones the sandbox seeds and falls back to the last zone on earth for the rest', () => {
    for (const country of ['NZ', 'AU', 'GB', 'US', 'CA', 'SG', 'ZA']) {
      expect(zoneOfXeroTimezone(defaultTimezone(country)), country).toMatchObject({ mapped: true });
    }
    expect(zoneOfXeroTimezone('AUSEASTERNSTANDARDTIME')).toEqual({ zone: 'Australia/Sydney', mapped: true });
    expect(zoneOfXeroTimezone('MARQUESASSTANDARDTIME')).toEqual({ zone: FALLBACK_ZONE, mapped: false });
    expect(zoneOfXeroTimezone(undefined)).toEqual({ zone: FALLBACK_ZONE, mapped: false });
    // Every zone in the table is one the runtime knows.
    for (const zone of [...Object.values(IANA_OF_XERO_TIMEZONE), FALLBACK_ZONE]) expect(() => localDate(new Date(), zone), zone).not.toThrow();
    // The fallback (UTC-12) finishes a month last: 12:00 UTC on 1 December.
    expect(lastEndedPeriod(new Date('2026-12-01T11:59:59Z'), FALLBACK_ZONE)).toBe('2026-10');
    expect(lastEndedPeriod(new Date('2026-12-01T12:00:00Z'), FALLBACK_ZONE)).toBe('2026-11');
  });
});
