/**
 * What the main app sends for each record, validated with zod. Money and quantities travel as
 * decimal strings (or numbers) and are stored as numeric: never through floating point arithmetic.
 */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullish();

const isoDate = z.iso.date('expected a date as YYYY-MM-DD');
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as NZD').nullish();

/** A decimal with at most `dp` places, returned as a normalised string. */
const decimal = (dp: number, { positive = false } = {}) =>
  z
    .union([z.number().finite(), z.string().trim()])
    .transform((v) => (typeof v === 'number' ? String(v) : v))
    .refine((v) => new RegExp(`^-?\\d{1,14}(\\.\\d{1,${dp}})?$`).test(v), `expected a number with at most ${dp} decimal places`)
    .refine((v) => !positive || Number(v) > 0, 'must be greater than 0');

export const recordId = z.string().min(1).max(100).regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only');

export const contactBody = z.strictObject({
  name: text(255),
  firstName: optionalText(255),
  lastName: optionalText(255),
  email: z.email('expected an email address').max(255).nullish(),
  phone: optionalText(50),
});

const invoiceLine = z.strictObject({
  serviceCode: optionalText(100),
  description: text(4000),
  quantity: decimal(4, { positive: true }),
  unitAmount: decimal(4),
  taxCode: optionalText(100),
  // Recognised day by day from start to end, both included: an end before the start has no days to earn in.
  servicePeriod: z
    .strictObject({ start: isoDate, end: isoDate })
    .refine((p) => p.end >= p.start, { message: 'must not be before servicePeriod.start', path: ['end'] })
    .nullish(),
});

export const invoiceBody = z
  .strictObject({
    contactId: recordId,
    number: text(255),
    reference: optionalText(255),
    date: isoDate,
    dueDate: isoDate,
    currencyCode: currency,
    lines: z.array(invoiceLine).min(1, 'at least one line').max(500, 'at most 500 lines'),
  })
  .refine((inv) => inv.dueDate >= inv.date, { path: ['dueDate'], message: 'must be on or after date' });

export const receiptBody = z.strictObject({
  invoiceId: recordId,
  amount: decimal(2, { positive: true }),
  date: isoDate,
  reference: optionalText(255),
});

const expenseLine = z.strictObject({
  serviceCode: optionalText(100),
  description: text(4000),
  quantity: decimal(4, { positive: true }),
  unitAmount: decimal(4),
  taxCode: optionalText(100),
});

export const expenseBody = z.strictObject({
  supplierName: text(255),
  supplierEmail: z.email('expected an email address').max(255).nullish(),
  reference: optionalText(255),
  date: isoDate,
  dueDate: isoDate.nullish(),
  currencyCode: currency,
  lines: z.array(expenseLine).min(1, 'at least one line').max(500, 'at most 500 lines'),
});

/** Batch forms for imports: up to 1,000 records in one request, each with its own `id`. */
export const MAX_BATCH = 1000;
export const batchEnvelope = z.strictObject({
  items: z
    .array(z.record(z.string(), z.unknown()), 'expected an array of records')
    .min(1, 'at least one item')
    .max(MAX_BATCH, `at most ${MAX_BATCH} items per request`),
});
