import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { expenseLines, expenses } from '../schema/index.ts';
import { groupBy } from '../../lib/group-by.ts';
import { contentHash } from './content-hash.ts';
import { replaceDocuments } from './documents-with-lines.ts';
import { storeChanged, type IntakeResult } from './record-intake.ts';
import { getSyncState, type SyncStateRow } from './sync-state.ts';

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

/** Stores expenses (replacing their lines) and queues the changed ones as ACCPAY bills for Xero. */
export async function upsertExpenses(tx: DbOrTx, { orgId, items }: { orgId: string; items: Array<{ id: string; expense: ExpenseInput }> }): Promise<IntakeResult[]> {
  const prepared = items.map(({ id, expense }) => {
    const values = {
      supplierName: expense.supplierName,
      supplierEmail: expense.supplierEmail ?? null,
      reference: expense.reference ?? null,
      date: expense.date,
      dueDate: expense.dueDate ?? null,
      currencyCode: expense.currencyCode ?? null,
    };
    const lines = expense.lines.map((line, i) => ({
      lineNo: i + 1,
      serviceCode: line.serviceCode ?? null,
      description: line.description,
      quantity: line.quantity,
      unitAmount: line.unitAmount,
      taxCode: line.taxCode ?? null,
    }));
    return { id, values, lines, hash: contentHash({ ...values, lines }) };
  });
  return storeChanged(tx, { orgId, recordType: 'expense', prepared }, (toWrite) => replaceDocuments(tx, EXPENSE_TABLES, { orgId, documents: toWrite }));
}

const EXPENSE_TABLES = { header: expenses, lines: expenseLines, parent: expenseLines.expenseId, parentKey: 'expenseId' };

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
