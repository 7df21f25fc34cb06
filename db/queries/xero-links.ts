/**
 * Imported links (platform record id → Xero id) for records synced before by something else. Every check
 * and write is set-based over the import's rows (10,000 rows are a handful of statements).
 */
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroLinkImportRows, xeroLinkImports, type LinkableRecordType, type LinkImportStatus } from '../schema/index.ts';
import { chunks } from '../../lib/chunks.ts';

export interface LinkRow {
  row: number;
  recordType: LinkableRecordType;
  recordId: string;
  /** Lower-case. */
  xeroId: string;
}

export interface RowProblem {
  row: number;
  problem: string;
}

/** The claim id that holds an import's records out of the push queue while it is verified. */
export const importHold = (importId: string) => `link-import:${importId}`;

/**
 * What stands against each link in the database now: the record already linked to another Xero record, the
 * Xero record already linked to another of the organisation's records (or waiting for one), the record
 * being pushed right now. Links an import holds itself (`importId`) do not count against it. Xero sends its
 * ids in lower case, as they are stored, so they are compared as they are (the index on xero_id serves it).
 */
export async function linkProblems(db: DbOrTx, { orgId, rows, importId }: { orgId: string; rows: LinkRow[]; importId?: string }): Promise<RowProblem[]> {
  const problems: RowProblem[] = [];
  const ownHold = importId ? importHold(importId) : '';
  for (const part of chunks(rows, 2_000)) {
    const json = JSON.stringify(part.map((r) => ({ row: r.row, record_type: r.recordType, record_id: r.recordId, xero_id: r.xeroId })));
    const found = await db.execute<{ row: number; problem: string }>(sql`
      with r as (select * from jsonb_to_recordset(${json}::jsonb) as x(row int, record_type text, record_id text, xero_id text))
      select r.row, coalesce(
        (select 'the record is already linked to Xero id ' || s.xero_id from sync_state s
          where s.org_id = ${orgId} and s.record_type = r.record_type and s.record_id = r.record_id
            and s.xero_id is not null and lower(s.xero_id) <> r.xero_id),
        (select 'the record is being pushed to Xero right now: try again in a minute' from sync_state s
          where s.org_id = ${orgId} and s.record_type = r.record_type and s.record_id = r.record_id
            and s.claim_id is not null and s.claim_id <> ${ownHold} and s.claimed_at > now() - interval '15 minutes'),
        (select 'the Xero record is already linked to ' || r.record_type || ' ' || s.record_id from sync_state s
          where s.org_id = ${orgId} and s.record_type = r.record_type and s.xero_id = r.xero_id and s.record_id <> r.record_id
          limit 1),
        (select 'the record already has an imported link to Xero id ' || p.xero_id from xero_prelinks p
          where p.org_id = ${orgId} and p.record_type = r.record_type and p.record_id = r.record_id and p.xero_id <> r.xero_id),
        (select 'the Xero record is already linked to ' || r.record_type || ' ' || p.record_id || ' (imported, not sent yet)' from xero_prelinks p
          where p.org_id = ${orgId} and p.record_type = r.record_type and p.xero_id = r.xero_id and p.record_id <> r.record_id
          limit 1)
      ) as problem
      from r`);
    for (const f of found) if (f.problem) problems.push({ row: f.row, problem: f.problem });
  }
  return problems;
}

/**
 * Stores an import and its rows, and holds its records that have no Xero id yet out of the push queue (a
 * claim that looks a day old only after a day: the push engine takes claims older than 15 minutes), so that
 * the workflow does not create them in Xero while their links are being verified.
 */
export async function createLinkImport(db: DbOrTx, { orgId, rows, requestedBy }: { orgId: string; rows: LinkRow[]; requestedBy?: string }): Promise<string> {
  const [created] = await db.insert(xeroLinkImports).values({ orgId, rows: rows.length, requestedBy }).returning({ id: xeroLinkImports.id });
  const importId = created!.id;
  for (const part of chunks(rows, 1_000)) {
    await db.insert(xeroLinkImportRows).values(part.map((r) => ({ importId, orgId, ...r })));
  }
  await db.execute(sql`
    update sync_state s set claim_id = ${importHold(importId)}, claimed_at = now() + interval '1 day'
    from xero_link_import_rows r
    where r.import_id = ${importId} and s.org_id = ${orgId} and s.record_type = r.record_type and s.record_id = r.record_id
      and s.xero_id is null and s.claim_id is null`);
  return importId;
}

/** How many pages of distinct Xero ids of each type the import has to verify. */
export async function linkImportPages(db: DbOrTx, { orgId, importId, pageSize }: { orgId: string; importId: string; pageSize: number }) {
  const rows = await db
    .select({ recordType: xeroLinkImportRows.recordType, ids: sql<number>`count(distinct ${xeroLinkImportRows.xeroId})::int` })
    .from(xeroLinkImportRows)
    .where(and(eq(xeroLinkImportRows.orgId, orgId), eq(xeroLinkImportRows.importId, importId)))
    .groupBy(xeroLinkImportRows.recordType);
  const pages = (type: LinkableRecordType) => Math.ceil((rows.find((r) => r.recordType === type)?.ids ?? 0) / pageSize);
  return { contact: pages('contact'), invoice: pages('invoice') };
}

/** One page of the import's distinct Xero ids of one type (stable order). */
export async function linkImportXeroIds(
  db: DbOrTx,
  { orgId, importId, recordType, page, pageSize }: { orgId: string; importId: string; recordType: LinkableRecordType; page: number; pageSize: number },
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ xeroId: xeroLinkImportRows.xeroId })
    .from(xeroLinkImportRows)
    .where(and(eq(xeroLinkImportRows.orgId, orgId), eq(xeroLinkImportRows.importId, importId), eq(xeroLinkImportRows.recordType, recordType)))
    .orderBy(asc(xeroLinkImportRows.xeroId))
    .offset(page * pageSize)
    .limit(pageSize);
  return rows.map((r) => r.xeroId);
}

/** Records each Xero id's problem (unknown in Xero...) on every row naming it. */
export async function recordXeroIdProblems(
  db: DbOrTx,
  { orgId, importId, recordType, problems }: { orgId: string; importId: string; recordType: LinkableRecordType; problems: Array<{ xeroId: string; problem: string }> },
): Promise<void> {
  if (problems.length === 0) return;
  const json = JSON.stringify(problems.map((p) => ({ xero_id: p.xeroId, problem: p.problem })));
  await db.execute(sql`
    update xero_link_import_rows r set problem = x.problem
    from jsonb_to_recordset(${json}::jsonb) as x(xero_id text, problem text)
    where r.org_id = ${orgId} and r.import_id = ${importId} and r.record_type = ${recordType} and r.xero_id = x.xero_id and r.problem is null`);
}

export async function recordRowProblems(db: DbOrTx, { orgId, importId, problems }: { orgId: string; importId: string; problems: RowProblem[] }): Promise<void> {
  for (const part of chunks(problems, 2_000)) {
    const json = JSON.stringify(part);
    await db.execute(sql`
      update xero_link_import_rows r set problem = x.problem
      from jsonb_to_recordset(${json}::jsonb) as x(row int, problem text)
      where r.org_id = ${orgId} and r.import_id = ${importId} and r.row = x.row and r.problem is null`);
  }
}

export async function getLinkImport(db: DbOrTx, { orgId, importId }: { orgId: string; importId: string }) {
  const [row] = await db.select().from(xeroLinkImports).where(and(eq(xeroLinkImports.orgId, orgId), eq(xeroLinkImports.id, importId)));
  return row;
}

export async function getLinkImportRows(db: DbOrTx, { orgId, importId }: { orgId: string; importId: string }): Promise<LinkRow[]> {
  return db
    .select({ row: xeroLinkImportRows.row, recordType: xeroLinkImportRows.recordType, recordId: xeroLinkImportRows.recordId, xeroId: xeroLinkImportRows.xeroId })
    .from(xeroLinkImportRows)
    .where(and(eq(xeroLinkImportRows.orgId, orgId), eq(xeroLinkImportRows.importId, importId)))
    .orderBy(asc(xeroLinkImportRows.row));
}

export async function getLinkImportProblems(db: DbOrTx, { orgId, importId }: { orgId: string; importId: string }) {
  return db
    .select({ row: xeroLinkImportRows.row, recordType: xeroLinkImportRows.recordType, recordId: xeroLinkImportRows.recordId, xeroId: xeroLinkImportRows.xeroId, problem: xeroLinkImportRows.problem })
    .from(xeroLinkImportRows)
    .where(and(eq(xeroLinkImportRows.orgId, orgId), eq(xeroLinkImportRows.importId, importId), isNotNull(xeroLinkImportRows.problem)))
    .orderBy(asc(xeroLinkImportRows.row));
}

/** Locks the import for its one finishing transaction; false when it is already finished. */
export async function lockVerifyingImport(db: DbOrTx, { orgId, importId }: { orgId: string; importId: string }): Promise<boolean> {
  const rows = await db.execute<{ id: string }>(sql`
    select id from xero_link_imports where org_id = ${orgId} and id = ${importId} and status = 'verifying' for update`);
  return rows.length > 0;
}

/**
 * Applies every link of the import: records the platform has get the Xero id and go back to the queue (a
 * push is then an update, never a create; invoices left `skipped` by auto-sync stay skipped); records it
 * does not have yet get a prelink, consumed when they arrive. Releases the import's hold. Call inside the
 * transaction that checked the rows.
 */
export async function applyLinks(db: DbOrTx, { orgId, importId }: { orgId: string; importId: string }): Promise<{ linkedRecords: number; pendingRecords: number }> {
  const linked = await db.execute(sql`
    update sync_state s set
      xero_id = r.xero_id,
      state = case when s.state = 'skipped' then 'skipped' else 'pending' end,
      version = s.version + 1,
      attempts = 0, last_error = null, last_error_hint = null,
      claim_id = null, claimed_at = null,
      updated_at = now()
    from xero_link_import_rows r
    where r.import_id = ${importId} and r.org_id = ${orgId}
      and s.org_id = ${orgId} and s.record_type = r.record_type and s.record_id = r.record_id
    returning s.record_id`);
  const pending = await db.execute(sql`
    insert into xero_prelinks (org_id, record_type, record_id, xero_id, import_id)
    select ${orgId}, r.record_type, r.record_id, r.xero_id, ${importId}::uuid from xero_link_import_rows r
    where r.import_id = ${importId} and r.org_id = ${orgId}
      and not exists (select 1 from sync_state s where s.org_id = ${orgId} and s.record_type = r.record_type and s.record_id = r.record_id)
    on conflict (org_id, record_type, record_id) do update set xero_id = excluded.xero_id, import_id = excluded.import_id
    returning record_id`);
  return { linkedRecords: linked.length, pendingRecords: pending.length };
}

/** Lets go of the records an import held (rejected or failed: they are pushed as before). */
export async function releaseImportHold(db: DbOrTx, { orgId, importId }: { orgId: string; importId: string }): Promise<void> {
  await db.execute(sql`update sync_state set claim_id = null, claimed_at = null where org_id = ${orgId} and claim_id = ${importHold(importId)}`);
}

export async function finishLinkImport(
  db: DbOrTx,
  args: { orgId: string; importId: string; status: Exclude<LinkImportStatus, 'verifying'>; linkedRecords?: number; pendingRecords?: number; message?: string },
): Promise<void> {
  await db
    .update(xeroLinkImports)
    .set({ status: args.status, linkedRecords: args.linkedRecords, pendingRecords: args.pendingRecords, message: args.message, finishedAt: sql`now()` })
    .where(and(eq(xeroLinkImports.orgId, args.orgId), eq(xeroLinkImports.id, args.importId)));
}

/** Ends a verifying import as failed (nothing applied) and lets go of its records; call inside a transaction. */
export async function abandonLinkImport(db: DbOrTx, { orgId, importId, message }: { orgId: string; importId: string; message: string }): Promise<void> {
  if (!(await lockVerifyingImport(db, { orgId, importId }))) return;
  await releaseImportHold(db, { orgId, importId });
  await finishLinkImport(db, { orgId, importId, status: 'failed', message: `Nothing was applied: ${message}` });
}

/**
 * A record arriving for the first time takes the Xero id imported for it (its first push updates that
 * Xero record), in the intake's transaction; the prelink is consumed.
 */
export async function adoptPrelinks(db: DbOrTx, { orgId, recordType, recordIds }: { orgId: string; recordType: string; recordIds: string[] }): Promise<void> {
  if (recordIds.length === 0 || (recordType !== 'contact' && recordType !== 'invoice')) return;
  for (const part of chunks(recordIds, 5_000)) {
    await db.execute(sql`
      with used as (
        delete from xero_prelinks p where p.org_id = ${orgId} and p.record_type = ${recordType} and p.record_id in (select jsonb_array_elements_text(${JSON.stringify(part)}::jsonb))
        returning p.record_id, p.xero_id)
      update sync_state s set xero_id = used.xero_id
      from used
      where s.org_id = ${orgId} and s.record_type = ${recordType} and s.record_id = used.record_id and s.xero_id is null`);
  }
}
