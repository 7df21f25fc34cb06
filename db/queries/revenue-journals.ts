/**
 * Recognition journals: one per organisation and month, its lines (what it moved for each deferred line), and
 * what the journals moved so far. Every statement is scoped by the organisation.
 */
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { deferredRevenueLines, invoices, revenueJournalLines, revenueJournals, type RevenueJournalState } from '../schema/index.ts';

export type RevenueJournalRow = typeof revenueJournals.$inferSelect;
export type RevenueJournalLineRow = typeof revenueJournalLines.$inferSelect;

/** Whether the organisation has anything recognition could act on: deferred lines, or journals to undo. */
export async function hasRevenueToRecognise(db: DbOrTx, { orgId }: { orgId: string }): Promise<boolean> {
  const rows = await db.execute<{ any: boolean }>(sql`
    select exists (select 1 from deferred_revenue_lines where org_id = ${orgId})
        or exists (select 1 from revenue_journal_lines where org_id = ${orgId}) as any`);
  return rows[0]?.any === true;
}

/** Every deferred line with its invoice's date and Xero status. */
export async function deferredLinesWithInvoices(db: DbOrTx, { orgId }: { orgId: string }) {
  return db
    .select({
      invoiceId: deferredRevenueLines.invoiceId,
      lineNo: deferredRevenueLines.lineNo,
      deferredAccountCode: deferredRevenueLines.deferredAccountCode,
      revenueAccountCode: deferredRevenueLines.revenueAccountCode,
      serviceStart: deferredRevenueLines.serviceStart,
      serviceEnd: deferredRevenueLines.serviceEnd,
      netAmount: deferredRevenueLines.netAmount,
      currencyCode: deferredRevenueLines.currencyCode,
      currencyRate: deferredRevenueLines.currencyRate,
      invoiceNumber: invoices.number,
      invoiceDate: invoices.date,
      invoiceTotal: invoices.total,
      xeroStatus: invoices.xeroStatus,
    })
    .from(deferredRevenueLines)
    .innerJoin(invoices, and(eq(invoices.orgId, deferredRevenueLines.orgId), eq(invoices.id, deferredRevenueLines.invoiceId)))
    .where(eq(deferredRevenueLines.orgId, orgId))
    .orderBy(asc(deferredRevenueLines.invoiceId), asc(deferredRevenueLines.lineNo));
}

export type DeferredLineWithInvoice = Awaited<ReturnType<typeof deferredLinesWithInvoices>>[number];

/**
 * What journals moved per line and pair of accounts: before `beforePeriod` (the next journal's starting
 * point), or in journals dated up to `throughDate` (the report). Journals Xero refused moved nothing.
 */
export async function movedSoFar(
  db: DbOrTx,
  { orgId, beforePeriod, throughDate, states }: { orgId: string; beforePeriod?: string; throughDate?: string; states?: RevenueJournalState[] },
) {
  const rows = await db.execute<{ invoice_id: string; line_no: number; deferred_account_code: string; revenue_account_code: string; amount: string }>(sql`
    select l.invoice_id, l.line_no, l.deferred_account_code, l.revenue_account_code, sum(l.amount)::numeric(18,2)::text as amount
      from revenue_journal_lines l
      join revenue_journals j on j.org_id = l.org_id and j.period = l.period
     where l.org_id = ${orgId}
       and ${states ? sql`j.state in (${sql.join(states.map((s) => sql`${s}`), sql`, `)})` : sql`j.state <> 'failed'`}
       ${beforePeriod ? sql`and l.period < ${beforePeriod}` : sql``}
       ${throughDate ? sql`and j.journal_date <= ${throughDate}` : sql``}
     group by 1, 2, 3, 4`);
  return rows.map((r) => ({
    invoiceId: r.invoice_id,
    lineNo: Number(r.line_no),
    deferredAccountCode: r.deferred_account_code,
    revenueAccountCode: r.revenue_account_code,
    amount: r.amount,
  }));
}

/** The last month settled (posted, or nothing to move) and the first one still open (sending, failed). */
export async function journalProgress(db: DbOrTx, { orgId }: { orgId: string }): Promise<{ lastSettled?: string; firstOpen?: string }> {
  const rows = await db.execute<{ last_settled: string | null; first_open: string | null }>(sql`
    select max(period) filter (where state in ('posted', 'empty')) as last_settled,
           min(period) filter (where state in ('sending', 'failed')) as first_open
      from revenue_journals where org_id = ${orgId}`);
  return { lastSettled: rows[0]?.last_settled ?? undefined, firstOpen: rows[0]?.first_open ?? undefined };
}

/** The first month anything could be recognised in: a deferred line's start, or its invoice's date if later. */
export async function firstRecognitionPeriod(db: DbOrTx, { orgId }: { orgId: string }): Promise<string | undefined> {
  const rows = await db.execute<{ period: string | null }>(sql`
    select to_char(min(greatest(d.service_start, i.date)), 'YYYY-MM') as period
      from deferred_revenue_lines d
      join invoices i on i.org_id = d.org_id and i.id = d.invoice_id
     where d.org_id = ${orgId}`);
  return rows[0]?.period ?? undefined;
}

export async function getRevenueJournal(db: DbOrTx, { orgId, period }: { orgId: string; period: string }): Promise<RevenueJournalRow | undefined> {
  const [row] = await db.select().from(revenueJournals).where(and(eq(revenueJournals.orgId, orgId), eq(revenueJournals.period, period)));
  return row;
}

/** One organisation's journals are worked out one at a time (a retried step never races its first attempt). */
export async function lockRevenueJournals(tx: DbOrTx, { orgId }: { orgId: string }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`revenue-journals:${orgId}`}, 0))`);
}

export interface JournalToSave {
  period: string;
  narration: string;
  journalDate: string;
  state: Extract<RevenueJournalState, 'sending' | 'empty'>;
  total: string;
  lines: Array<Omit<RevenueJournalLineRow, 'orgId' | 'period'>>;
}

/** A month's journal and its lines, written before anything goes to Xero (replacing a refused attempt). */
export async function saveRevenueJournal(tx: DbOrTx, { orgId, journal }: { orgId: string; journal: JournalToSave }): Promise<void> {
  const { lines, ...row } = journal;
  await tx
    .insert(revenueJournals)
    .values({ orgId, ...row, attempts: 0 })
    .onConflictDoUpdate({
      target: [revenueJournals.orgId, revenueJournals.period],
      set: { narration: row.narration, journalDate: row.journalDate, state: row.state, total: row.total, attempts: 0, lastError: null, xeroJournalId: null },
    });
  await tx.delete(revenueJournalLines).where(and(eq(revenueJournalLines.orgId, orgId), eq(revenueJournalLines.period, journal.period)));
  if (lines.length > 0) await tx.insert(revenueJournalLines).values(lines.map((l) => ({ ...l, orgId, period: journal.period })));
}

export async function revenueJournalLinesOf(db: DbOrTx, { orgId, period }: { orgId: string; period: string }): Promise<RevenueJournalLineRow[]> {
  return db
    .select()
    .from(revenueJournalLines)
    .where(and(eq(revenueJournalLines.orgId, orgId), eq(revenueJournalLines.period, period)))
    .orderBy(asc(revenueJournalLines.invoiceId), asc(revenueJournalLines.lineNo));
}

/** Counted before each PUT: a journal sent at least once may be in Xero even if no answer came back. */
export async function countJournalAttempt(db: DbOrTx, { orgId, period }: { orgId: string; period: string }): Promise<void> {
  await db
    .update(revenueJournals)
    .set({ attempts: sql`${revenueJournals.attempts} + 1` })
    .where(and(eq(revenueJournals.orgId, orgId), eq(revenueJournals.period, period)));
}

export async function markJournalPosted(
  db: DbOrTx,
  { orgId, period, xeroJournalId, adopted }: { orgId: string; period: string; xeroJournalId: string; adopted: boolean },
): Promise<void> {
  await db
    .update(revenueJournals)
    .set({ state: 'posted', xeroJournalId, lastError: null, postedAt: sql`now()`, ...(adopted ? { adoptedAt: sql`now()` } : {}) })
    .where(and(eq(revenueJournals.orgId, orgId), eq(revenueJournals.period, period), ne(revenueJournals.state, 'posted')));
}

export async function markJournalFailed(db: DbOrTx, { orgId, period, error }: { orgId: string; period: string; error: string }): Promise<void> {
  await db
    .update(revenueJournals)
    .set({ state: 'failed', lastError: error })
    .where(and(eq(revenueJournals.orgId, orgId), eq(revenueJournals.period, period), eq(revenueJournals.state, 'sending')));
}

/** The organisation's journals, oldest first, optionally only those dated up to a day. */
export async function listRevenueJournals(db: DbOrTx, { orgId, throughDate }: { orgId: string; throughDate?: string }): Promise<RevenueJournalRow[]> {
  return db
    .select()
    .from(revenueJournals)
    .where(and(eq(revenueJournals.orgId, orgId), throughDate ? sql`${revenueJournals.journalDate} <= ${throughDate}` : undefined))
    .orderBy(asc(revenueJournals.period));
}
