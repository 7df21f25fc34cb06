/** Revenue recognition's answers: the report (`GET .../revenue`), and its overview on the card and the admin status. */
import { z } from 'zod';

const money = z.string().meta({ description: 'A decimal amount in base currency, e.g. `120.00`' });
const figures = { totalNet: money, earned: money, unearned: money.meta({ description: 'Still on the deferred revenue account' }) };
const day = z.iso.date();
const period = z.string().meta({ description: 'A calendar month, `YYYY-MM`' });

const journal = z.object({ period, xeroJournalId: z.string(), date: day, total: money, adopted: z.boolean() });
const openMonth = z.object({ period, state: z.string(), lastError: z.string().nullable() });

export const revenueReportSchema = z.object({
  orgId: z.string(),
  asOf: day,
  baseCurrency: z.string().nullable(),
  timeZone: z.string().meta({ description: "The Xero organisation's IANA zone, whose calendar months are recognised" }),
  lines: z.array(
    z.object({
      invoiceId: z.string(),
      invoiceNumber: z.string().nullable(),
      lineNo: z.number().int(),
      revenueAccountCode: z.string(),
      deferredAccountCode: z.string(),
      servicePeriod: z.object({ start: day, end: day }).nullable(),
      xeroStatus: z.string().nullable(),
      currencyCode: z.string().nullable(),
      currencyRate: z.string().nullable(),
      invoicedNet: money.nullable(),
      invoicedNetInBaseCurrency: money.nullable(),
      ...figures,
    }),
  ),
  byRevenueAccount: z.array(z.object({ accountCode: z.string(), ...figures })),
  byDeferredAccount: z.array(z.object({ accountCode: z.string(), ...figures })),
  totals: z.object(figures),
  journals: z.array(journal),
  openMonths: z.array(openMonth).meta({ description: "Months worked out but not in Xero yet (being sent, or refused: Xero's words in lastError)" }),
});

/** On the integration card (`revenueRecognition`). */
export const revenueOverviewSchema = z.object({
  deferredRevenueAccountCode: z.string().nullable(),
  asOf: day,
  baseCurrency: z.string().nullable(),
  totals: z.object(figures),
  byRevenueAccount: z.array(z.object({ accountCode: z.string(), ...figures })),
  lastJournal: journal.nullable(),
  openMonths: z.array(openMonth),
  warning: z.string().nullable(),
});

/** On the admin status (`revenue_recognition`), in its snake_case. */
export const revenueStatusSchema = z.object({
  deferred_revenue_account_code: z.string().nullable(),
  as_of: day,
  base_currency: z.string().nullable(),
  total_net: money,
  earned: money,
  unearned: money,
  by_revenue_account: z.array(z.object({ account_code: z.string(), total_net: money, earned: money, unearned: money })),
  last_journal: z.object({ period, xero_journal_id: z.string(), date: day, total: money }).nullable(),
  open_months: z.array(z.object({ period, state: z.string(), last_error: z.string().nullable() })),
  warning: z.string().nullable(),
});
