/**
 * Xero's Organisation `Timezone` (its own enum: Windows zone names upper-cased without spaces, e.g.
 * NEWZEALANDSTANDARDTIME) as an IANA zone, for deciding when a month has ended on the organisation's calendar
 * and for the recognition schedule's own time zone.
 *
 * The table covers the zones Xero gives new organisations in the countries it serves (and their neighbours);
 * the IANA names are CLDR's mapping of the Windows zones. Anything else falls back to `Etc/GMT+12`, the last
 * zone on earth to finish a day: a month is then only taken as ended once it has ended everywhere, so a
 * journal can come a day late but never early.
 */

export const IANA_OF_XERO_TIMEZONE: Readonly<Record<string, string>> = {
  NEWZEALANDSTANDARDTIME: 'Pacific/Auckland',
  CHATHAMISLANDSSTANDARDTIME: 'Pacific/Chatham',
  AUSEASTERNSTANDARDTIME: 'Australia/Sydney',
  EAUSTRALIASTANDARDTIME: 'Australia/Brisbane',
  TASMANIASTANDARDTIME: 'Australia/Hobart',
  CENAUSTRALIASTANDARDTIME: 'Australia/Adelaide',
  AUSCENTRALSTANDARDTIME: 'Australia/Darwin',
  WAUSTRALIASTANDARDTIME: 'Australia/Perth',
  FIJISTANDARDTIME: 'Pacific/Fiji',
  GMTSTANDARDTIME: 'Europe/London',
  GREENWICHSTANDARDTIME: 'Atlantic/Reykjavik',
  WEUROPESTANDARDTIME: 'Europe/Berlin',
  ROMANCESTANDARDTIME: 'Europe/Paris',
  SOUTHAFRICASTANDARDTIME: 'Africa/Johannesburg',
  SINGAPORESTANDARDTIME: 'Asia/Singapore',
  EASTERNSTANDARDTIME: 'America/New_York',
  CENTRALSTANDARDTIME: 'America/Chicago',
  MOUNTAINSTANDARDTIME: 'America/Denver',
  PACIFICSTANDARDTIME: 'America/Los_Angeles',
  HAWAIIANSTANDARDTIME: 'Pacific/Honolulu',
  UTC: 'Etc/UTC',
};

/** The zone used when Xero's timezone is unknown or not in the table. */
export const FALLBACK_ZONE = 'Etc/GMT+12';

export interface OrganisationZone {
  /** An IANA zone name. */
  zone: string;
  /** False when Xero's timezone was missing or unknown and the fallback is used. */
  mapped: boolean;
}

export function zoneOfXeroTimezone(xeroTimezone: string | undefined | null): OrganisationZone {
  const zone = xeroTimezone ? IANA_OF_XERO_TIMEZONE[xeroTimezone.toUpperCase()] : undefined;
  return zone ? { zone, mapped: true } : { zone: FALLBACK_ZONE, mapped: false };
}
