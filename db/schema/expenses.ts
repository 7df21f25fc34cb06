import { date, integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/** An expense the platform recorded, pushed to Xero as an ACCPAY bill from a supplier contact. */
export const expenses = pgTable(
  'expenses',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    supplierName: text('supplier_name').notNull(),
    supplierEmail: text('supplier_email'),
    reference: text('reference'),
    date: date('date').notNull(),
    dueDate: date('due_date'),
    currencyCode: text('currency_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const expenseLines = pgTable(
  'expense_lines',
  {
    orgId: text('org_id').notNull(),
    expenseId: text('expense_id').notNull(),
    lineNo: integer('line_no').notNull(),
    serviceCode: text('service_code'),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 18, scale: 4 }).notNull(),
    unitAmount: numeric('unit_amount', { precision: 18, scale: 4 }).notNull(),
    taxCode: text('tax_code'),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.expenseId, t.lineNo] })],
);
