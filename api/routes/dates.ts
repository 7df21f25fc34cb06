/**
 * Dates and instants the API accepts: ISO 8601, as zod checks them, and storable. The formats allow year 0000
 * (`0000-02-29` is even a leap day), which Postgres refuses: left through, one such date failed the whole
 * request, or a batch of a thousand, with a 500.
 */
import { z } from 'zod';

const storable = (value: string) => !value.startsWith('0000');
const YEAR_ZERO = 'year 0000 is not a date: the calendar starts at 0001';

/** `YYYY-MM-DD`. */
export const isoDate = (message: string) => z.iso.date(message).refine(storable, YEAR_ZERO);

/** A date-time with an offset (`Z` or `+hh:mm`). */
export const isoInstant = (message: string) => z.iso.datetime({ offset: true, message }).refine(storable, YEAR_ZERO);
