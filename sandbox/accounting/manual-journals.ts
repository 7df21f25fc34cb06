/**
 * Manual journals: balanced sets of lines posted straight to accounts (revenue recognition). Debits are positive,
 * credits negative, and the lines must sum to zero (with Exclusive amounts, including their tax). Status DRAFT or
 * POSTED on creation; DRAFT -> POSTED or DELETED, POSTED -> VOIDED afterwards. Xero sends no webhooks for them: a
 * caller finds its journal again by a stable Narration (`where=Narration=="..."`). A failed element is answered as
 * the draft journal it would have saved.
 */
import { randomUUID } from 'node:crypto';
import { round, sum } from '../money.ts';
import { calendarDate, dateString, isoSeconds, msDate, msDateOnly } from '../xero-dates.ts';
import { ACCOUNT_NOT_VALID, TAX_TYPE_NOT_VALID, accountByCode, accountById, taxRate, taxUsable, usableOnJournal } from './accounts.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { touch, type BooksContext } from './context.ts';
import { readDate, readEnum } from './document-fields.ts';
import { postDataInvalid } from './errors.ts';
import { array, bool, compact, has, number, text, type Json } from './fields.ts';
import { DOCUMENT_NOT_FOUND } from './invoices.ts';
import { readLineAmountTypes } from './line-items.ts';
import type { Books, JournalLine, LineAmountTypes, ManualJournal } from './records.ts';
import { renderLineTracking, resolveTracking } from './tracking.ts';
import type { FieldMap } from './where.ts';

export const NARRATION_REQUIRED = 'Narration must be specified.';
export const TWO_LINES = 'A manual journal must have at least two journal lines.';
export const NOT_VALID_FOR_CREATION = 'Manual journal not of valid status for creation';
export const NOT_VALID_FOR_MODIFICATION = 'Manual journal not of valid status for modification';
export const UNBALANCED = (debits: number, credits: number) =>
  `The total debits (${debits.toFixed(2)}) must equal total credits (${credits.toFixed(2)})`;

type JournalStatus = ManualJournal['Status'];
const STATUSES = ['DRAFT', 'POSTED', 'DELETED', 'VOIDED', 'ARCHIVED'] as const;
const NEXT_STATUS: Record<JournalStatus, JournalStatus[]> = { DRAFT: ['POSTED', 'DELETED'], POSTED: ['VOIDED'], DELETED: [], VOIDED: [] };

function readLines(books: Books, inputs: Json[], lineAmountTypes: LineAmountTypes, errors: string[]): JournalLine[] {
  return inputs.map((line) => {
    const code = text(line, 'AccountCode')?.trim();
    const id = text(line, 'AccountID');
    const account = code ? accountByCode(books, code) : id ? accountById(books, id) : undefined;
    if (!account || !usableOnJournal(account)) errors.push(ACCOUNT_NOT_VALID(code ?? id ?? ''));
    const amount = round(number(line, 'LineAmount') ?? 0);
    const taxType = text(line, 'TaxType') || account?.TaxType || 'NONE';
    const rate = taxRate(books, taxType);
    if (account && !taxUsable(rate, 'journal', account)) errors.push(TAX_TYPE_NOT_VALID(taxType));
    const percent = lineAmountTypes === 'NoTax' ? 0 : (rate?.Rate ?? 0);
    const tax = lineAmountTypes === 'Exclusive' ? round((amount * percent) / 100) : round((amount * percent) / (100 + percent));
    return compact({
      LineAmount: amount, AccountCode: account?.Code ?? code, AccountID: account?.AccountID, Description: text(line, 'Description'),
      TaxType: taxType, TaxAmount: tax, IsBlank: false, Tracking: resolveTracking(books, array(line, 'Tracking')),
    }) as JournalLine;
  });
}

function balanceErrors(lines: JournalLine[], lineAmountTypes: LineAmountTypes): string[] {
  if (lines.length < 2) return [TWO_LINES];
  // Exclusive lines carry their tax on top; the journal must balance including it.
  const signed = lines.map((l) => (lineAmountTypes === 'Exclusive' ? round(l.LineAmount + l.TaxAmount) : l.LineAmount));
  const debits = sum(signed.filter((v) => v > 0));
  const credits = sum(signed.filter((v) => v < 0));
  return round(debits + credits) === 0 ? [] : [UNBALANCED(debits, credits)];
}

function lineAmountTypesOf(input: Json, fallback: LineAmountTypes): LineAmountTypes {
  const value = readLineAmountTypes(text(input, 'LineAmountTypes'), fallback);
  if (value === 'invalid') throw postDataInvalid(`Requested value '${text(input, 'LineAmountTypes')}' was not found. Path 'LineAmountTypes'.`);
  return value;
}

/** PUT creates; POST updates the journal its ManualJournalID names, or creates; `{updateId}` is POST /ManualJournals/{id}. */
export function saveManualJournal(ctx: BooksContext, input: Json, mode: 'create' | 'upsert' | { updateId: string }): ElementResult {
  const { books } = ctx;
  let existing: ManualJournal | undefined;
  if (typeof mode === 'object') existing = books.manualJournals.get(mode.updateId.toLowerCase());
  else if (mode === 'upsert') {
    const id = text(input, 'ManualJournalID');
    if (id && id !== ZERO_GUID) {
      existing = books.manualJournals.get(id.toLowerCase());
      if (!existing) return createManualJournal(ctx, input, [DOCUMENT_NOT_FOUND]);
    }
  }
  return existing ? updateManualJournal(ctx, existing, input) : createManualJournal(ctx, input);
}

function createManualJournal(ctx: BooksContext, input: Json, refused: string[] = []): ElementResult {
  const { books } = ctx;
  const errors = [...refused];
  const narration = text(input, 'Narration')?.trim();
  if (!narration) errors.push(NARRATION_REQUIRED);
  const status = readEnum(input, 'Status', STATUSES) ?? 'DRAFT';
  if (status !== 'DRAFT' && status !== 'POSTED') errors.push(NOT_VALID_FOR_CREATION);
  const lineAmountTypes = lineAmountTypesOf(input, 'NoTax');
  const date = readDate(input, 'Date', errors) ?? calendarDate(ctx.now());
  const lines = readLines(books, array(input, 'JournalLines') ?? [], lineAmountTypes, errors);
  if (errors.length === 0) errors.push(...balanceErrors(lines, lineAmountTypes));
  const draft: ManualJournal = compact({
    ManualJournalID: ZERO_GUID,
    Narration: narration,
    Date: date,
    Status: (status === 'ARCHIVED' ? 'DRAFT' : status) as JournalStatus,
    LineAmountTypes: lineAmountTypes,
    JournalLines: lines,
    Url: text(input, 'Url'),
    ShowOnCashBasisReports: bool(input, 'ShowOnCashBasisReports') ?? true,
    updatedAt: 0,
  }) as ManualJournal;
  if (errors.length > 0) return { element: renderManualJournal(books, draft), errors: [...new Set(errors)] };
  const journal: ManualJournal = { ...draft, ManualJournalID: randomUUID(), updatedAt: touch(ctx) };
  books.manualJournals.set(journal.ManualJournalID, journal);
  return { element: renderManualJournal(books, journal), errors: [] };
}

function updateManualJournal(ctx: BooksContext, existing: ManualJournal, input: Json): ElementResult {
  const { books } = ctx;
  const errors: string[] = [];
  const requested = readEnum(input, 'Status', STATUSES) ?? existing.Status;
  const next: ManualJournal = { ...existing, Status: requested as JournalStatus };
  const fail = (messages: string[]): ElementResult => ({ element: renderManualJournal(books, next), errors: [...new Set(messages)] });
  if (requested === 'ARCHIVED' || (requested !== existing.Status && !NEXT_STATUS[existing.Status].includes(requested))) return fail([NOT_VALID_FOR_MODIFICATION]);
  if (existing.Status === 'VOIDED' || existing.Status === 'DELETED') return fail([NOT_VALID_FOR_MODIFICATION]);
  if (has(input, 'Narration')) {
    next.Narration = text(input, 'Narration')?.trim() ?? '';
    if (!next.Narration) errors.push(NARRATION_REQUIRED);
  }
  next.Date = readDate(input, 'Date', errors) ?? existing.Date;
  next.LineAmountTypes = lineAmountTypesOf(input, existing.LineAmountTypes);
  if (has(input, 'Url')) next.Url = text(input, 'Url');
  if (has(input, 'ShowOnCashBasisReports')) next.ShowOnCashBasisReports = bool(input, 'ShowOnCashBasisReports') ?? true;
  const lineInputs = array(input, 'JournalLines');
  if (lineInputs) next.JournalLines = readLines(books, lineInputs, next.LineAmountTypes, errors);
  if (errors.length === 0) errors.push(...balanceErrors(next.JournalLines, next.LineAmountTypes));
  if (errors.length > 0) return fail(errors);
  next.updatedAt = touch(ctx, existing.updatedAt);
  books.manualJournals.set(next.ManualJournalID, compact(next as unknown as Record<string, unknown>) as unknown as ManualJournal);
  return { element: renderManualJournal(books, next), errors: [] };
}

/** A manual journal as Xero shows it; lines only when `withLines` (paged lists, one by id, write answers). */
export function renderManualJournal(_books: Books, mj: ManualJournal, withLines = true): Record<string, unknown> {
  const saved = mj.updatedAt > 0;
  return compact({
    ManualJournalID: mj.ManualJournalID,
    Narration: mj.Narration,
    DateString: dateString(mj.Date),
    Date: msDateOnly(mj.Date),
    Status: mj.Status,
    LineAmountTypes: mj.LineAmountTypes,
    UpdatedDateUTC: saved ? msDate(mj.updatedAt) : undefined,
    UpdatedDateUTCString: saved ? isoSeconds(mj.updatedAt) : undefined,
    Url: mj.Url,
    ShowOnCashBasisReports: mj.ShowOnCashBasisReports,
    HasAttachments: false,
    JournalLines: withLines ? mj.JournalLines.map((l) => ({ ...l, Tracking: l.Tracking.map(renderLineTracking) })) : undefined,
  });
}

export const JOURNAL_FIELDS: FieldMap<ManualJournal> = {
  manualjournalid: (m) => m.ManualJournalID,
  narration: (m) => m.Narration,
  status: (m) => m.Status,
  date: (m) => Date.parse(`${m.Date}T00:00:00Z`),
  lineamounttypes: (m) => m.LineAmountTypes,
  url: (m) => m.Url,
  updateddateutc: (m) => m.updatedAt,
};
