/**
 * The body of a link import, `{ "links": [{ "type": "contact" | "invoice", "record_id": "...", "xero_id": "..." }] }`
 * (up to 10,000), checked row by row: every problem is reported against its row, `{ row, record_id, xero_id,
 * problem }`, so the admin fixes them all at once.
 */
import { z } from 'zod';
import { linkableRecordTypes } from '../../../db/schema/index.ts';
import type { LinkRow, RowProblem } from '../../../db/queries/xero-links.ts';
import { recordId } from '../record-bodies.ts';

export const MAX_LINKS_PER_IMPORT = 10_000;

/** 10,000 links with long record ids exceed the API's general body limit. */
export const LINK_IMPORT_BODY_LIMIT = '4mb';

export const linkImportBody = z.strictObject({
  links: z.array(z.unknown()).min(1, 'at least one link').max(MAX_LINKS_PER_IMPORT, `at most ${MAX_LINKS_PER_IMPORT.toLocaleString('en')} links per request`),
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const linkRow = z.strictObject({
  type: z.enum(linkableRecordTypes, { message: `expected ${linkableRecordTypes.join(' or ')}` }),
  record_id: recordId,
  xero_id: z.string().regex(GUID, "expected a Xero id (a GUID such as 'b9d5e2a1-3c4f-4e8a-9f10-1a2b3c4d5e6f')"),
});

/** A row's problem as the answer names it. */
export interface LinkProblem {
  row: number;
  record_id: string | null;
  xero_id: string | null;
  problem: string;
}

export function parseLinkRows(raw: unknown[]): { rows: LinkRow[]; problems: LinkProblem[] } {
  const rows: LinkRow[] = [];
  const problems: LinkProblem[] = [];
  const byRecord = new Map<string, number>();
  const byXeroId = new Map<string, number>();
  raw.forEach((item, row) => {
    const given = (item ?? {}) as Record<string, unknown>;
    const named = { row, record_id: typeof given.record_id === 'string' ? given.record_id : null, xero_id: typeof given.xero_id === 'string' ? given.xero_id : null };
    const parsed = linkRow.safeParse(item);
    if (!parsed.success) {
      problems.push({ ...named, problem: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ') });
      return;
    }
    const { type, record_id, xero_id } = parsed.data;
    const xeroId = xero_id.toLowerCase();
    const recordKey = `${type}:${record_id}`;
    const xeroKey = `${type}:${xeroId}`;
    if (byRecord.has(recordKey)) {
      problems.push({ ...named, problem: `the same ${type} is linked in row ${byRecord.get(recordKey)} too` });
      return;
    }
    if (byXeroId.has(xeroKey)) {
      problems.push({ ...named, problem: `the same Xero ${type} is linked to another record in row ${byXeroId.get(xeroKey)}` });
      return;
    }
    byRecord.set(recordKey, row);
    byXeroId.set(xeroKey, row);
    rows.push({ row, recordType: type, recordId: record_id, xeroId });
  });
  return { rows, problems };
}

export function presentRowProblems(rows: LinkRow[], problems: RowProblem[]): LinkProblem[] {
  const byRow = new Map(rows.map((r) => [r.row, r]));
  return problems.map((p) => ({ row: p.row, record_id: byRow.get(p.row)?.recordId ?? null, xero_id: byRow.get(p.row)?.xeroId ?? null, problem: p.problem }));
}
