import { date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';
import type { LineTracking } from './invoices.ts';

/**
 * A customer credit note raised by the platform, pushed to Xero as an AUTHORISED ACCRECCREDIT. What the
 * platform does with its credit (allocating it to an invoice, refunding it) lives in the two tables below,
 * each a record of its own in sync_state, so that changing one never re-sends the others.
 */
export const creditNotes = pgTable(
  'credit_notes',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    contactId: text('contact_id').notNull(),
    /** Our number, sent as CreditNoteNumber: the stable reference that finds it again in Xero after a crash. */
    number: text('number').notNull(),
    reference: text('reference'),
    date: date('date').notNull(),
    currencyCode: text('currency_code'),
    /** A Xero branding theme's name or id; null: the organisation's. */
    brandingTheme: text('branding_theme'),
    /** Xero's figures, as last answered or read back. */
    total: numeric('total', { precision: 18, scale: 2 }),
    remainingCredit: numeric('remaining_credit', { precision: 18, scale: 2 }),
    xeroStatus: text('xero_status'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // A Xero credit note we have no id for yet is recognised by its number.
    index('credit_notes_number_idx').on(t.orgId, t.number),
  ],
);

export const creditNoteLines = pgTable(
  'credit_note_lines',
  {
    orgId: text('org_id').notNull(),
    creditNoteId: text('credit_note_id').notNull(),
    lineNo: integer('line_no').notNull(),
    serviceCode: text('service_code'),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 18, scale: 4 }).notNull(),
    unitAmount: numeric('unit_amount', { precision: 18, scale: 4 }).notNull(),
    taxCode: text('tax_code'),
    /** Posted to the deferred revenue account (when the organisation has one), like an invoice line with one. */
    servicePeriodStart: date('service_period_start'),
    servicePeriodEnd: date('service_period_end'),
    tracking: jsonb('tracking').$type<LineTracking>(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.creditNoteId, t.lineNo] })],
);

/** Part (or all) of a credit note's credit applied to one invoice (`PUT /CreditNotes/{id}/Allocations`). `id` is the credit note's. */
export const creditAllocations = pgTable(
  'credit_allocations',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    amount: numeric('amount', { precision: 18, scale: 2 }).notNull(),
    date: date('date').notNull(),
    xeroAllocationId: text('xero_allocation_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // Voiding an invoice asks whether credit is (or is about to be) allocated to it.
    index('credit_allocations_invoice_idx').on(t.orgId, t.invoiceId),
  ],
);

/** Credit paid back to the member from the organisation's bank account (a Xero payment against the credit note). `id` is the credit note's. */
export const creditRefunds = pgTable(
  'credit_refunds',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    amount: numeric('amount', { precision: 18, scale: 2 }).notNull(),
    date: date('date').notNull(),
    reference: text('reference'),
    xeroPaymentId: text('xero_payment_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const creditUseKinds = ['allocation', 'refund'] as const;
export type CreditUseKind = (typeof creditUseKinds)[number];

/**
 * Every use of our credit notes' credit that Xero has shown us (allocations and refund payments, ours and
 * those made in Xero), by Xero's id: each is announced to the main app once, however often it is read back.
 */
export const xeroCreditUses = pgTable(
  'xero_credit_uses',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    xeroId: text('xero_id').notNull(),
    creditNoteId: text('credit_note_id').notNull(),
    kind: text('kind', { enum: creditUseKinds }).notNull(),
    /** Allocations: the invoice in Xero. */
    xeroInvoiceId: text('xero_invoice_id'),
    amount: numeric('amount', { precision: 18, scale: 2 }).notNull(),
    date: date('date'),
    /** `platform`: we pushed it; `xero`: a bookkeeper made it in Xero. */
    source: text('source', { enum: ['platform', 'xero'] }).notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.xeroId] })],
);
