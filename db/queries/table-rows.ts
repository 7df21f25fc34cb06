/**
 * Rows of a drizzle table read with raw SQL, in the shape drizzle's own selects give them. For the hot
 * statements that drizzle's builder cannot express, or that must bring several tables back at once (a batch
 * of invoices with their lines in one round trip): the table's definition stays the one source of its
 * columns, so a column added to the schema comes back here too.
 */
import { getTableColumns, sql, type Column, type InferSelectModel, type SQL, type Table } from 'drizzle-orm';

// Postgres writes numerics (and bigints) into json as numbers, which would lose their scale ("120.0000"):
// they travel as text, as the driver gives them outside json.
const asText = (column: Column) => /^PgNumeric|^PgBigInt/.test(column.columnType);

/** Every column of `table` under `alias`, for a select whose rows go through `rowOf`. */
export function columnsOf(table: Table, alias: string): SQL {
  return sql.raw(Object.values(getTableColumns(table)).map((c) => `${alias}."${c.name}"`).join(', '));
}

/** One row of `table` (under `alias`) as a json object keyed by column name, for `rowOf`. */
export function jsonRowOf(table: Table, alias: string): SQL {
  const pairs = Object.values(getTableColumns(table)).map((c) => `'${c.name}', ${alias}."${c.name}"${asText(c) ? '::text' : ''}`);
  return sql.raw(`json_build_object(${pairs.join(', ')})`);
}

/** A row read by column name (a raw select, or a `jsonRowOf` object) as drizzle's select of `table` gives it. */
export function rowOf<T extends Table>(table: T, raw: Record<string, unknown>): InferSelectModel<T> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}
