/**
 * Documents with lines (sales invoices, bills), written the same way in the caller's transaction: each
 * header upserted by (org, id), the old lines of those documents deleted and the new ones inserted, in
 * chunks, so a 1,000-document import is a handful of statements.
 */
import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../client.ts';
import { chunks } from '../../lib/chunks.ts';

/** A header table keyed by (org_id, id), and its lines table pointing at it through `parent`. */
export interface DocumentTables {
  header: PgTable & { orgId: PgColumn; id: PgColumn };
  lines: PgTable & { orgId: PgColumn };
  /** The lines' column naming their document (invoice_id, expense_id). */
  parent: PgColumn;
  /** The lines' property holding that id (invoiceId, expenseId). */
  parentKey: string;
}

export interface DocumentToWrite {
  id: string;
  /** Header columns other than org_id and id (all of them: a write replaces the header). */
  values: Record<string, unknown>;
  lines: Array<Record<string, unknown>>;
}

export async function replaceDocuments(tx: DbOrTx, tables: DocumentTables, { orgId, documents }: { orgId: string; documents: DocumentToWrite[] }): Promise<void> {
  if (documents.length === 0) return;
  const { header, lines, parent, parentKey } = tables;
  const update = excludedSet(header, Object.keys(documents[0]!.values));
  for (const part of chunks(documents, 1_000)) {
    await tx
      .insert(header)
      .values(part.map((d) => ({ orgId, id: d.id, ...d.values })))
      .onConflictDoUpdate({ target: [header.orgId, header.id], set: { ...update, updatedAt: sql`now()` } });
    await tx.delete(lines).where(and(eq(lines.orgId, orgId), inArray(parent, part.map((d) => d.id))));
  }
  for (const part of chunks(documents.flatMap((d) => d.lines.map((line) => ({ orgId, [parentKey]: d.id, ...line }))), 2_000)) {
    await tx.insert(lines).values(part);
  }
}

/** `SET column = excluded.column` for these properties of the table. */
function excludedSet(table: PgTable, properties: string[]): Record<string, SQL> {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  return Object.fromEntries(properties.map((p) => [p, sql.raw(`excluded."${columns[p]!.name}"`)]));
}
