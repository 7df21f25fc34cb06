/**
 * What the main app sends for each record, validated with zod. Money and quantities travel as
 * decimal strings (or numbers) and are stored as numeric: never through floating point arithmetic.
 */
import { z } from 'zod';
import { isoDate as calendarDate } from './dates.ts';

const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullish();

const isoDate = calendarDate('expected a date as YYYY-MM-DD');
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as NZD').nullish();

/** A decimal with at most `dp` places, returned as a normalised string. */
const decimal = (dp: number, { positive = false } = {}) => {
  const shape = new RegExp(`^-?\\d{1,14}(\\.\\d{1,${dp}})?$`);
  const message = `expected a number with at most ${dp} decimal places`;
  return (
    z
      // The string's pattern is stated on the schema itself, so the OpenAPI document shows clients the format.
      .union([z.number().finite(), z.string().trim().regex(shape, message)])
      .transform((v) => (typeof v === 'number' ? String(v) : v))
      .refine((v) => shape.test(v), message)
      .refine((v) => !positive || Number(v) > 0, 'must be greater than 0')
  );
};

export const recordId = z.string().min(1).max(100).regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only');

export const contactBody = z.strictObject({
  name: text(255),
  firstName: optionalText(255),
  lastName: optionalText(255),
  email: z.email('expected an email address').max(255).nullish(),
  phone: optionalText(50),
});

/**
 * A line's tracking: platform dimension → option (`{ "chapter": "Auckland" }`), sent to Xero through the
 * organisation's mapping of dimensions to tracking categories; Xero takes at most two categories.
 */
const tracking = z
  .record(z.string().trim().min(1, 'a dimension name').max(100), z.string().trim().min(1, 'an option name').max(100, 'Xero option names are at most 100 characters'))
  .refine((t) => Object.keys(t).length <= 2, 'at most two dimensions: Xero tracks a line by at most two categories')
  .nullish();

/**
 * The days a line's revenue is earned over, from start to end, both included: an end before the start has
 * no days to earn in. A credit note's line carries its invoice's period, to take back from what is unearned.
 */
const servicePeriod = z
  .strictObject({ start: isoDate, end: isoDate })
  .refine((p) => p.end >= p.start, { message: 'must not be before servicePeriod.start', path: ['end'] })
  .nullish();

/** A theme's name or id: checked against the organisation's Xero branding themes before the push. */
const brandingTheme = optionalText(255);

/** Where Xero takes no discount: refused by name, so the caller knows what to change. */
const noDiscount = (where: string) => z.never({ error: `Xero takes no discounts on ${where}: put the discounted price in unitAmount` }).optional();

const invoiceLine = z
  .strictObject({
    serviceCode: optionalText(100),
    description: text(4000),
    quantity: decimal(4, { positive: true }),
    unitAmount: decimal(4),
    taxCode: optionalText(100),
    servicePeriod,
    /** Xero's DiscountRate: a percentage off the line. */
    discountRate: decimal(4)
      .refine((v) => Number(v) >= 0 && Number(v) <= 100, 'a percentage from 0 to 100')
      .nullish(),
    /** Xero's DiscountAmount: an amount off the line. */
    discountAmount: decimal(2)
      .refine((v) => Number(v) >= 0, 'must not be negative')
      .nullish(),
    tracking,
  })
  .refine((l) => l.discountRate == null || l.discountAmount == null, {
    path: ['discountAmount'],
    message: 'give discountRate or discountAmount, not both: Xero takes one discount per line',
  })
  .refine((l) => l.discountAmount == null || Number(l.discountAmount) <= Number(l.quantity) * Number(l.unitAmount), {
    path: ['discountAmount'],
    message: "must not exceed the line's amount (quantity × unitAmount)",
  });

export const invoiceBody = z
  .strictObject({
    contactId: recordId,
    number: text(255),
    reference: optionalText(255),
    date: isoDate,
    dueDate: isoDate,
    currencyCode: currency,
    brandingTheme,
    lines: z.array(invoiceLine).min(1, 'at least one line').max(500, 'at most 500 lines'),
  })
  .refine((inv) => inv.dueDate >= inv.date, { path: ['dueDate'], message: 'must be on or after date' });

const creditNoteLine = z.strictObject({
  serviceCode: optionalText(100),
  description: text(4000),
  quantity: decimal(4, { positive: true }),
  unitAmount: decimal(4),
  taxCode: optionalText(100),
  // Crediting an invoice whose revenue is recognised over time: the same period takes the credit off deferred
  // revenue (and reduces what is still to recognise); without one the credit comes off revenue at once.
  servicePeriod,
  tracking,
  discountRate: noDiscount('credit notes'),
  discountAmount: noDiscount('credit notes'),
});

/**
 * A customer credit note, like an invoice (no due date, no discounts); `invoiceId` with `amount` allocates
 * that much of its credit to the invoice, `refund` pays credit back from the organisation's bank account.
 */
export const creditNoteBody = z
  .strictObject({
    contactId: recordId,
    number: text(255),
    reference: optionalText(255),
    date: isoDate,
    currencyCode: currency,
    brandingTheme,
    lines: z.array(creditNoteLine).min(1, 'at least one line').max(500, 'at most 500 lines'),
    invoiceId: recordId.optional(),
    amount: decimal(2, { positive: true }).optional(),
    refund: z.strictObject({ amount: decimal(2, { positive: true }), date: isoDate, reference: optionalText(255) }).optional(),
  })
  .refine((cn) => cn.invoiceId === undefined || cn.amount !== undefined, { path: ['amount'], message: 'the amount of credit to allocate to invoiceId' })
  .refine((cn) => cn.amount === undefined || cn.invoiceId !== undefined, { path: ['invoiceId'], message: 'the invoice to allocate amount to' });

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
  discountRate: noDiscount('bills'),
  discountAmount: noDiscount('bills'),
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
