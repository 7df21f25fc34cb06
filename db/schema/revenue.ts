import { date, index, integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/**
 * An invoice line Xero holds on the organisation's deferred revenue account, as Xero answered the push that
 * put it there: the schedule of its recognition is worked out from this row (and the invoice's status) alone,
 * never from a recomputation of tax or currency that could differ from Xero's by a cent. Replaced whole on
 * every push of the invoice; a line no longer deferred has no row (what was recognised of it is reversed).
 */
export const deferredRevenueLines = pgTable(
  'deferred_revenue_lines',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    invoiceId: text('invoice_id').notNull(),
    lineNo: integer('line_no').notNull(),
    /** Where the line was posted: the deferred revenue (liability) account. */
    deferredAccountCode: text('deferred_account_code').notNull(),
    /** Where recognition moves it: the line's service mapping, else the default revenue account. */
    revenueAccountCode: text('revenue_account_code').notNull(),
    serviceStart: date('service_start').notNull(),
    serviceEnd: date('service_end').notNull(),
    /** Xero's answer for the line and its invoice. */
    lineAmount: numeric('line_amount', { precision: 18, scale: 2 }).notNull(),
    taxAmount: numeric('tax_amount', { precision: 18, scale: 2 }).notNull(),
    lineAmountTypes: text('line_amount_types').notNull(),
    currencyCode: text('currency_code').notNull(),
    /** Units of the invoice's currency per unit of base currency, exactly as Xero answered it. */
    currencyRate: numeric('currency_rate').notNull(),
    /** LineAmount net of tax, in the invoice's currency. */
    netAmount: numeric('net_amount', { precision: 18, scale: 2 }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.invoiceId, t.lineNo] })],
);

export const revenueJournalStates = ['sending', 'posted', 'empty', 'failed'] as const;
export type RevenueJournalState = (typeof revenueJournalStates)[number];

/**
 * One recognition journal per organisation and month. `sending` is written, with its lines, before the
 * Manual Journal goes to Xero: a row still `sending` after a crash may be in Xero already, and is looked up by
 * its narration before it is sent again. `empty`: the month had nothing to move (no Xero call). `failed`:
 * Xero refused it (its words in `last_error`); the next pass works it out afresh.
 */
export const revenueJournals = pgTable(
  'revenue_journals',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** The month, `YYYY-MM`, on the Xero organisation's calendar. */
    period: text('period').notNull(),
    /** Stable per organisation and month: how the journal is found again in Xero. */
    narration: text('narration').notNull(),
    /** The month's last day. */
    journalDate: date('journal_date').notNull(),
    state: text('state', { enum: revenueJournalStates }).notNull(),
    xeroJournalId: text('xero_journal_id'),
    /** Net amount moved from deferred revenue to revenue (negative when reversals outweigh recognition). */
    total: numeric('total', { precision: 18, scale: 2 }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Set when the journal was found in Xero by its narration rather than answered to our PUT. */
    adoptedAt: timestamp('adopted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    postedAt: timestamp('posted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.period] })],
);

/**
 * What one month's journal moved for one invoice line, between one deferred and one revenue account. What a
 * line has had recognised is the sum of its rows; the next month posts the difference to its schedule.
 */
export const revenueJournalLines = pgTable(
  'revenue_journal_lines',
  {
    orgId: text('org_id').notNull(),
    period: text('period').notNull(),
    invoiceId: text('invoice_id').notNull(),
    lineNo: integer('line_no').notNull(),
    deferredAccountCode: text('deferred_account_code').notNull(),
    revenueAccountCode: text('revenue_account_code').notNull(),
    /** Base-currency amount moved from deferred to revenue (negative: a reversal). */
    amount: numeric('amount', { precision: 18, scale: 2 }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'revenue_journal_lines_pk', columns: [t.orgId, t.period, t.invoiceId, t.lineNo, t.deferredAccountCode, t.revenueAccountCode] }),
    // What each line has had recognised so far is summed per line across months.
    index('revenue_journal_lines_line_idx').on(t.orgId, t.invoiceId, t.lineNo),
  ],
);

/**
 * What the Xero organisation says of itself that recognition needs: its timezone (whose months the journals
 * follow) and base currency. Read from Xero's Organisation at each recognition pass.
 */
export const xeroOrganisationProfiles = pgTable('xero_organisation_profiles', {
  orgId: text('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  /** Xero's own Timezone value, e.g. NEWZEALANDSTANDARDTIME. */
  xeroTimezone: text('xero_timezone'),
  /** The IANA zone it maps to (or the fallback). */
  timeZone: text('time_zone').notNull(),
  baseCurrency: text('base_currency'),
  readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
});
