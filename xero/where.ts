/** Pieces of Xero's `where` filter language. */

/** A string literal inside a `where` filter. */
export function whereString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `Field==Guid("...") OR ...` for a list of ids (at most one call's worth: keep the list short). */
export function whereAnyGuid(field: string, ids: string[]): string {
  return ids.map((id) => `${field}==Guid(${whereString(id)})`).join(' OR ');
}
