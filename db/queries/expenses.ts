import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { expenseLines, expenses } from '../schema/index.ts';
import { groupBy } from '../../lib/group-by.ts';
import { contentHash } from './content-hash.ts';
import { ensureOrganisation } from './organisations.ts';
import { getSyncState, markRecordPending, type SyncStateRow } from './sync-state.ts';

export interface ExpenseLineInput {
  serviceCode?: string | null;
  description: string;
  quantity: string;
  unitAmount: string;
  taxCode?: string | null;
}

export interface ExpenseInput {
  supplierName: string;
  supplierEmail?: string | null;
  reference?: string | null;
  date: string;
  dueDate?: string | null;
  currencyCode?: string | null;
  lines: ExpenseLineInput[];
}

export type ExpenseRow = typeof expenses.$inferSelect;
export type ExpenseWithLines = ExpenseRow & { lines: Array<typeof expenseLines.$inferSelect> };

/** Stores an expense and queues it as an ACCPAY bill for Xero. */
export async function upsertExpense(
  tx: DbOrTx,
  { orgId, expenseId, expense }: { orgId: string; expenseId: string; expense: ExpenseInput },
): Promise<{ changed: boolean }> {
  await ensureOrganisation(tx, { orgId });
  const values = {
    supplierName: expense.supplierName,
    supplierEmail: expense.supplierEmail ?? null,
    reference: expense.reference ?? null,
    date: expense.date,
    dueDate: expense.dueDate ?? null,
    currencyCode: expense.currencyCode ?? null,
  };
  const lines = expense.lines.map((line, i) => ({
    orgId,
    expenseId,
    lineNo: i + 1,
    serviceCode: line.serviceCode ?? null,
    description: line.description,
    quantity: line.quantity,
    unitAmount: line.unitAmount,
    taxCode: line.taxCode ?? null,
  }));
  const hash = contentHash({ ...values, lines: lines.map(({ orgId: _o, expenseId: _e, ...rest }) => rest) });
  const existing = await getSyncState(tx, { orgId, recordType: 'expense', recordId: expenseId });
  if (existing?.contentHash === hash) return { changed: false };

  await tx
    .insert(expenses)
    .values({ orgId, id: expenseId, ...values })
    .onConflictDoUpdate({ target: [expenses.orgId, expenses.id], set: { ...values, updatedAt: sql`now()` } });
  await tx.delete(expenseLines).where(and(eq(expenseLines.orgId, orgId), eq(expenseLines.expenseId, expenseId)));
  await tx.insert(expenseLines).values(lines);
  return markRecordPending(tx, { orgId, recordType: 'expense', recordId: expenseId, hash });
}

export async function getExpensesWithLines(db: DbOrTx, { orgId, expenseIds }: { orgId: string; expenseIds: string[] }): Promise<ExpenseWithLines[]> {
  if (expenseIds.length === 0) return [];
  const [rows, lines] = await Promise.all([
    db.select().from(expenses).where(and(eq(expenses.orgId, orgId), inArray(expenses.id, expenseIds))),
    db
      .select()
      .from(expenseLines)
      .where(and(eq(expenseLines.orgId, orgId), inArray(expenseLines.expenseId, expenseIds)))
      .orderBy(asc(expenseLines.expenseId), asc(expenseLines.lineNo)),
  ]);
  const byExpense = groupBy(lines, (l) => l.expenseId);
  return rows.map((row) => ({ ...row, lines: byExpense.get(row.id) ?? [] }));
}

export async function getExpense(
  db: DbOrTx,
  { orgId, expenseId }: { orgId: string; expenseId: string },
): Promise<{ expense: ExpenseWithLines; sync: SyncStateRow | undefined } | undefined> {
  const [found] = await getExpensesWithLines(db, { orgId, expenseIds: [expenseId] });
  if (!found) return undefined;
  return { expense: found, sync: await getSyncState(db, { orgId, recordType: 'expense', recordId: expenseId }) };
}
