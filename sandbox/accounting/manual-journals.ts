/**
 * Manual journals: balanced sets of lines posted straight to accounts (used for revenue recognition).
 * Debits are positive, credits negative, and they must sum to zero.
 */
import { randomUUID } from 'node:crypto';
import { round, sum } from '../money.ts';
import { calendarDate, dateString, msDate, msDateOnly, parseDateOnly } from '../xero-dates.ts';
import { ACCOUNT_NOT_VALID, TAX_TYPE_NOT_VALID, accountByCode, accountById, taxRate, taxUsable, usableOnJournal } from './accounts.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { touch, type BooksContext } from './context.ts';
import { postDataInvalid } from './errors.ts';
import { array, bool, compact, number, text, type Json } from './fields.ts';
import { readLineAmountTypes } from './line-items.ts';
import type { Books, JournalLine, ManualJournal } from './records.ts';
import { renderLineTracking, resolveTracking } from './tracking.ts';

export const NARRATION_REQUIRED = 'Narration must be specified.';
export const TWO_LINES = 'A manual journal must have at least two journal lines.';
export const UNBALANCED = (debits: number, credits: number) =>
  `The total debits (${debits.toFixed(2)}) must equal total credits (${credits.toFixed(2)})`;

export function createManualJournal(ctx: BooksContext, input: Json): ElementResult {
  const { books } = ctx;
  const errors: string[] = [];
  const narration = text(input, 'Narration')?.trim();
  if (!narration) errors.push(NARRATION_REQUIRED);
  const status = (text(input, 'Status')?.toUpperCase() || 'DRAFT') as ManualJournal['Status'];
  if (status !== 'DRAFT' && status !== 'POSTED') errors.push('Manual journal not of valid status for creation');
  const lineAmountTypes = readLineAmountTypes(text(input, 'LineAmountTypes'), 'NoTax');
  if (lineAmountTypes === 'invalid') throw postDataInvalid("Requested value was not found. Path 'LineAmountTypes'.");
  const rawDate = text(input, 'Date');
  const date = rawDate ? parseDateOnly(rawDate) : calendarDate(ctx.now());
  if (!date) errors.push('Date must be a valid date.');

  const lines: JournalLine[] = [];
  for (const line of array(input, 'JournalLines') ?? []) {
    const code = text(line, 'AccountCode');
    const id = text(line, 'AccountID');
    const account = code ? accountByCode(books, code) : id ? accountById(books, id) : undefined;
    if (!account || !usableOnJournal(account)) {
      errors.push(ACCOUNT_NOT_VALID(code ?? id ?? ''));
      continue;
    }
    const amount = round(number(line, 'LineAmount') ?? 0);
    const taxType = text(line, 'TaxType') || account.TaxType;
    const rate = taxRate(books, taxType);
    if (!taxUsable(rate, 'journal', account)) errors.push(TAX_TYPE_NOT_VALID(taxType));
    const percent = lineAmountTypes === 'NoTax' ? 0 : (rate?.Rate ?? 0);
    const tax = lineAmountTypes === 'Exclusive' ? round(amount * percent / 100) : round(amount * percent / (100 + percent));
    lines.push(compact({
      LineAmount: amount, AccountCode: account.Code, AccountID: account.AccountID, Description: text(line, 'Description'),
      TaxType: taxType, TaxAmount: tax, IsBlank: false, Tracking: resolveTracking(books, array(line, 'Tracking')),
    }) as JournalLine);
  }
  if (lines.length < 2 && errors.length === 0) errors.push(TWO_LINES);
  // Exclusive lines carry their tax on top; the journal must balance including it.
  const signed = lines.map((l) => (lineAmountTypes === 'Exclusive' ? round(l.LineAmount + l.TaxAmount) : l.LineAmount));
  const debits = sum(signed.filter((v) => v > 0));
  const credits = sum(signed.filter((v) => v < 0));
  if (lines.length >= 2 && round(debits + credits) !== 0) errors.push(UNBALANCED(debits, credits));
  if (errors.length > 0) return { element: { ...input, ManualJournalID: ZERO_GUID }, errors: [...new Set(errors)] };

  const journal: ManualJournal = compact({
    ManualJournalID: randomUUID(),
    Narration: narration!,
    Date: date!,
    Status: status,
    LineAmountTypes: lineAmountTypes,
    JournalLines: lines,
    Url: text(input, 'Url'),
    ShowOnCashBasisReports: bool(input, 'ShowOnCashBasisReports') ?? true,
    updatedAt: touch(ctx),
  }) as ManualJournal;
  books.manualJournals.set(journal.ManualJournalID, journal);
  return { element: renderManualJournal(books, journal), errors: [] };
}

export function renderManualJournal(_books: Books, mj: ManualJournal): Record<string, unknown> {
  return compact({
    ManualJournalID: mj.ManualJournalID,
    Narration: mj.Narration,
    DateString: dateString(mj.Date),
    Date: msDateOnly(mj.Date),
    Status: mj.Status,
    LineAmountTypes: mj.LineAmountTypes,
    UpdatedDateUTC: msDate(mj.updatedAt),
    Url: mj.Url,
    ShowOnCashBasisReports: mj.ShowOnCashBasisReports,
    HasAttachments: false,
    JournalLines: mj.JournalLines.map((l) => ({ ...l, Tracking: l.Tracking.map(renderLineTracking) })),
  });
}
