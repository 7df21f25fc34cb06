/**
 * Set-based intake of the main app's records: a batch of 1,000 costs a handful of statements, not
 * thousands. Each record's content hash decides whether it changed; only changed records are written
 * and queued (the same body twice is one record and no extra push), and a change bumps `version`, so
 * a push in flight for the older content will not mark the newer one as synced.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { syncState, type RecordType, type SyncState } from '../schema/index.ts';
import { chunks } from '../../lib/chunks.ts';
import { ensureOrganisation } from './organisations.ts';
import { adoptPrelinks } from './xero-links.ts';

export interface IntakeEntry {
  recordId: string;
  hash: string;
}

export interface IntakeResult {
  id: string;
  changed: boolean;
}

/** The ids whose content differs from what is stored (or that are new), with what is known of each. */
async function findChanged(
  tx: DbOrTx,
  { orgId, recordType, entries }: { orgId: string; recordType: RecordType; entries: IntakeEntry[] },
): Promise<{ changed: Set<string>; existing: Map<string, { contentHash: string; xeroId: string | null }> }> {
  const existing = new Map<string, { contentHash: string; xeroId: string | null }>();
  for (const part of chunks(entries, 5_000)) {
    const rows = await tx
      .select({ recordId: syncState.recordId, contentHash: syncState.contentHash, xeroId: syncState.xeroId })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, recordType), inArray(syncState.recordId, part.map((e) => e.recordId))));
    for (const r of rows) existing.set(r.recordId, r);
  }
  return { changed: new Set(entries.filter((e) => existing.get(e.recordId)?.contentHash !== e.hash).map((e) => e.recordId)), existing };
}

/** Queues changed records for Xero (`state`: pending, or skipped while auto-sync is off). */
async function markRecordsPending(
  tx: DbOrTx,
  { orgId, recordType, entries, state = 'pending' }: { orgId: string; recordType: RecordType; entries: IntakeEntry[]; state?: SyncState },
): Promise<void> {
  for (const part of chunks(entries, 1_000)) {
    await tx
      .insert(syncState)
      .values(part.map((e) => ({ orgId, recordType, recordId: e.recordId, state, contentHash: e.hash })))
      .onConflictDoUpdate({
        target: [syncState.orgId, syncState.recordType, syncState.recordId],
        set: {
          state: sql`excluded.state`,
          contentHash: sql`excluded.content_hash`,
          version: sql`${syncState.version} + 1`,
          attempts: 0,
          lastError: null,
          lastErrorHint: null,
          updatedAt: sql`now()`,
        },
        setWhere: sql`${syncState.contentHash} <> excluded.content_hash`,
      });
  }
}

export interface PreparedRecord {
  id: string;
  /** The content hash of what the record says (what a push would send). */
  hash: string;
}

/**
 * The intake every kind of record follows, in the caller's transaction: find which records changed,
 * let `write` store those (it may refuse, seeing what is stored), queue them for Xero, and answer for
 * each whether it changed.
 */
export async function storeChanged<T extends PreparedRecord>(
  tx: DbOrTx,
  { orgId, recordType, prepared, state }: { orgId: string; recordType: RecordType; prepared: T[]; state?: SyncState },
  write: (changed: T[], existing: Map<string, { contentHash: string; xeroId: string | null }>) => Promise<void>,
): Promise<IntakeResult[]> {
  await ensureOrganisation(tx, { orgId });
  const { changed, existing } = await findChanged(tx, { orgId, recordType, entries: prepared.map((p) => ({ recordId: p.id, hash: p.hash })) });
  const toWrite = prepared.filter((p) => changed.has(p.id));
  await write(toWrite, existing);
  await markRecordsPending(tx, { orgId, recordType, entries: toWrite.map((p) => ({ recordId: p.id, hash: p.hash })), state });
  // Records new to us whose Xero link was imported beforehand: their first push updates, never creates.
  const created = toWrite.filter((p) => !existing.has(p.id)).map((p) => p.id);
  await adoptPrelinks(tx, { orgId, recordType, recordIds: created });
  return prepared.map((p) => ({ id: p.id, changed: changed.has(p.id) }));
}
