/** The kinds of record the main app sends, each tied to its body schema and its queries. */
import { getContact, upsertContacts } from '../../db/queries/contacts.ts';
import { getExpense, upsertExpenses } from '../../db/queries/expenses.ts';
import { getInvoice, InvoiceVoidedError, upsertInvoices } from '../../db/queries/invoices.ts';
import { getPayment, ReceiptFrozenError, upsertReceipts } from '../../db/queries/payments.ts';
import { HttpError } from '../errors.ts';
import { creditNoteKind } from './credit-note-kind.ts';
import { contactBody, expenseBody, invoiceBody, receiptBody } from './record-bodies.ts';
import type { RecordKind } from './records.ts';
import type { z } from 'zod';

export const contactKind: RecordKind<z.infer<typeof contactBody>> = {
  type: 'contact',
  plural: 'contacts',
  body: contactBody,
  writeMethod: 'put',
  store: (tx, { orgId, items }) => upsertContacts(tx, { orgId, items: items.map(({ id, body }) => ({ id, contact: body })) }),
  load: async (db, { orgId, id }) => {
    const found = await getContact(db, { orgId, contactId: id });
    return found && { record: found.contact, sync: found.sync };
  },
};

export const invoiceKind: RecordKind<z.infer<typeof invoiceBody>> = {
  type: 'invoice',
  plural: 'invoices',
  body: invoiceBody,
  writeMethod: 'put',
  store: async (tx, { orgId, items, context }) => {
    try {
      return await upsertInvoices(tx, { orgId, items: items.map(({ id, body }) => ({ id, invoice: body })), initialState: context.initialState('invoice') });
    } catch (err) {
      if (err instanceof InvoiceVoidedError) throw new HttpError(409, 'invoice_voided', err.message);
      throw err;
    }
  },
  load: async (db, { orgId, id }) => {
    const found = await getInvoice(db, { orgId, invoiceId: id });
    return found && { record: found.invoice, sync: found.sync };
  },
};

export const paymentKind: RecordKind<z.infer<typeof receiptBody>> = {
  type: 'payment',
  plural: 'payments',
  body: receiptBody,
  writeMethod: 'post',
  store: async (tx, { orgId, items }) => {
    try {
      return await upsertReceipts(tx, { orgId, items: items.map(({ id, body }) => ({ id, receipt: body })) });
    } catch (err) {
      if (err instanceof ReceiptFrozenError) throw new HttpError(409, 'payment_in_xero', err.message);
      throw err;
    }
  },
  load: async (db, { orgId, id }) => {
    const found = await getPayment(db, { orgId, paymentId: id });
    return found && { record: found.payment, sync: found.sync };
  },
};

export const expenseKind: RecordKind<z.infer<typeof expenseBody>> = {
  type: 'expense',
  plural: 'expenses',
  body: expenseBody,
  writeMethod: 'put',
  store: (tx, { orgId, items }) => upsertExpenses(tx, { orgId, items: items.map(({ id, body }) => ({ id, expense: body })) }),
  load: async (db, { orgId, id }) => {
    const found = await getExpense(db, { orgId, expenseId: id });
    return found && { record: found.expense, sync: found.sync };
  },
};

export const recordKinds = [contactKind, invoiceKind, paymentKind, expenseKind, creditNoteKind] as Array<RecordKind<unknown>>;
