import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

/** Records whose Xero link can be imported: contacts and sales invoices. */
export const linkableRecordTypes = ['contact', 'invoice'] as const;
export type LinkableRecordType = (typeof linkableRecordTypes)[number];

/**
 * `verifying`: its Xero ids are being read back from Xero; `applied`: every link is in place; `rejected`:
 * some row has a problem, nothing was applied; `failed`: Xero could not be asked (connection lost), nothing
 * was applied.
 */
export const linkImportStatuses = ['verifying', 'applied', 'rejected', 'failed'] as const;
export type LinkImportStatus = (typeof linkImportStatuses)[number];

/**
 * An import of existing links (platform record id → Xero id) for an organisation whose records were synced
 * before by something else ("Migrate"). Verified against Xero by its own workflow, then applied in one
 * transaction or not at all.
 */
export const xeroLinkImports = pgTable(
  'xero_link_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    status: text('status', { enum: linkImportStatuses }).notNull().default('verifying'),
    rows: integer('rows').notNull(),
    /** Rows whose record exists in the platform (linked now) and rows kept for records still to come. */
    linkedRecords: integer('linked_records'),
    pendingRecords: integer('pending_records'),
    /** Why it failed (not a row's problem: those are on the rows). */
    message: text('message'),
    requestedBy: text('requested_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('xero_link_imports_org_idx').on(t.orgId, t.createdAt)],
);

/** One requested link; `problem` says why it cannot be applied (unknown in Xero, linked elsewhere...). */
export const xeroLinkImportRows = pgTable(
  'xero_link_import_rows',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => xeroLinkImports.id, { onDelete: 'cascade' }),
    orgId: text('org_id').notNull(),
    /** Position in the request (0-based), as the answer names it. */
    row: integer('row').notNull(),
    recordType: text('record_type', { enum: linkableRecordTypes }).notNull(),
    recordId: text('record_id').notNull(),
    /** Lower-case: Xero's GUIDs compare case-insensitively. */
    xeroId: text('xero_id').notNull(),
    problem: text('problem'),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.row] }),
    // Verification reads the import's distinct Xero ids of one type, page by page.
    index('xero_link_import_rows_xero_idx').on(t.importId, t.recordType, t.xeroId),
  ],
);

/**
 * A link imported for a record the platform has not sent yet: when it arrives, its sync state starts with
 * this Xero id, so its first push updates the Xero record instead of creating another. Consumed then.
 */
export const xeroPrelinks = pgTable(
  'xero_prelinks',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    recordType: text('record_type', { enum: linkableRecordTypes }).notNull(),
    recordId: text('record_id').notNull(),
    xeroId: text('xero_id').notNull(),
    importId: uuid('import_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.recordType, t.recordId] }),
    // "Is this Xero id already someone's?" covers links still waiting for their record.
    index('xero_prelinks_xero_idx').on(t.orgId, t.recordType, t.xeroId),
  ],
);
