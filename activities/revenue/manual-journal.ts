/**
 * A month's recognition journal as Xero's Manual Journal: a stable narration per organisation and month (how it
 * is found again after a crash), dated the month's last day, POSTED, amounts already net (`NoTax`), one line per
 * account (debits positive, credits negative, as Xero's spec says), balanced to zero. Pure.
 */
import { createHash } from 'node:crypto';
import { LineAmountTypes, ManualJournal, type ManualJournalLine } from 'xero-node';
import { fromCents, toCents } from '../../lib/revenue-schedule.ts';
import { accountMovements } from './journal-plan.ts';

export function journalNarration(orgId: string, period: string): string {
  return `xero-sync revenue recognition ${orgId} ${period}`;
}

/** Finds the journal by its exact narration (`GET /ManualJournals?where=...`). */
export function narrationFilter(narration: string): string {
  return `Narration=="${narration.replace(/["\\]/g, '')}"`;
}

export interface StoredJournal {
  period: string;
  narration: string;
  journalDate: string;
}

export function manualJournalOf(journal: StoredJournal, lines: Array<{ deferredAccountCode: string; revenueAccountCode: string; amount: string }>): ManualJournal {
  const plan = lines.map((l) => ({ ...l, invoiceId: '', lineNo: 0, cents: toCents(l.amount) }));
  const deferredAccounts = new Set(lines.map((l) => l.deferredAccountCode));
  const journalLines = accountMovements(plan).map(
    (m): ManualJournalLine => ({
      lineAmount: Number(fromCents(m.cents)),
      accountCode: m.accountCode,
      description: deferredAccounts.has(m.accountCode)
        ? `Revenue earned in ${journal.period}, out of deferred revenue`
        : `Revenue earned in ${journal.period}${m.cents > 0n ? ' (net of reversals of voided or credited invoices)' : ''}`,
    }),
  );
  return {
    narration: journal.narration,
    date: journal.journalDate,
    status: ManualJournal.StatusEnum.POSTED,
    lineAmountTypes: LineAmountTypes.NoTax,
    journalLines,
  };
}

/** The same journal sent twice (a retry within Xero's window) is answered from Xero's cache, not posted again. */
export function journalIdempotencyKey(orgId: string, period: string, body: ManualJournal): string {
  return `xs-mj-${createHash('sha256').update(orgId).update('\0').update(period).update('\0').update(JSON.stringify(body)).digest('base64url')}`;
}
