/**
 * The suite's secret audit, the test files' side: every secret a fixture makes (keys, client secrets, the tokens
 * the sandbox issues, the bearer tokens tests mint) is written down, and so is every log line our code writes,
 * every answer our API gives and, before a scratch database is dropped, every row it held. After the whole run,
 * test/setup/global.ts looks for each secret in all of it (test/setup/secret-scan.ts) and fails the run on a find.
 *
 * Files under the run's audit directory, one per process and thread, appended to synchronously (a worker
 * thread can end at any moment): `secrets-*`, `logs-*`, `answers-*`, `rows-*`.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { pino, type DestinationStream } from 'pino';
import { createLogger, type Logger } from '../../config/logger.ts';
import { inject } from 'vitest';
import type { Database } from '../../db/client.ts';

export type AuditFile = 'secrets' | 'logs' | 'answers' | 'rows';

/** The run's audit directory, when running under vitest with the stack's global setup. */
export function auditDir(): string | undefined {
  if (!process.env.VITEST) return undefined;
  try {
    return inject('secretAuditDir');
  } catch {
    return undefined;
  }
}

export function auditFile(kind: AuditFile): string | undefined {
  const dir = auditDir();
  return dir ? join(dir, `${kind}-${process.pid}-${threadId}.txt`) : undefined;
}

/** Secrets shorter than this would match by chance; none of the suite's is. */
export const MIN_SECRET_LENGTH = 16;

/** Writes a secret down, to be looked for after the run. */
export function rememberSecret(kind: string, value: string | undefined | null): void {
  const file = auditFile('secrets');
  if (!file || !value || value.length < MIN_SECRET_LENGTH) return;
  appendFileSync(file, `${JSON.stringify({ kind, value })}\n`);
}

/** Where a test's logger writes: the audit's log file (pino JSON lines, as production writes them). */
export function auditedLogDestination(): DestinationStream | undefined {
  const file = auditFile('logs');
  if (!file) return undefined;
  return { write: (line: string) => appendFileSync(file, line) };
}

/**
 * The logger a test hands our code: production's (its redaction included), at `trace` so that every line the
 * code could write is written, into the audit. TEST_LOG_LEVEL also prints them, at that level.
 */
export function testLogger(): Logger {
  const audited = auditedLogDestination();
  const shown = process.env.TEST_LOG_LEVEL;
  if (!audited) return createLogger({ level: shown ?? 'silent' });
  if (!shown) return createLogger({ level: 'trace', destination: audited });
  return createLogger({ level: 'trace', destination: pino.multistream([{ level: 'trace', stream: audited }, { level: shown as pino.Level, stream: process.stdout }]) });
}

/** Output of a process the test started (a worker, `npm run dev`): its log lines, audited like ours. */
export function rememberOutput(source: string, output: string): void {
  const file = auditFile('logs');
  if (file && output) appendFileSync(file, `${output.split('\n').map((line) => `[${source}] ${line}`).join('\n')}\n`);
}

export function rememberAnswer(answer: { method?: string; url?: string; status: number; headers: unknown; body: string }): void {
  const file = auditFile('answers');
  if (file) appendFileSync(file, `${JSON.stringify(answer)}\n`);
}

/** Every row of every table of the database, as text (`row::text`: bytea as hex), one line each. */
export async function dumpRows(database: Database, label: string, write: (line: string) => void): Promise<void> {
  const tables = await database.sql<{ schema: string; table: string }[]>`
    select table_schema as schema, table_name as table from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`;
  for (const { schema, table } of tables) {
    const rows = await database.sql.unsafe<{ row: string }[]>(`select t::text as row from "${schema}"."${table}" t`);
    for (const { row } of rows) write(`${label} ${schema}.${table}\t${row}`);
  }
}

/** Before a scratch database is dropped: its rows, kept for the audit. */
export async function rememberRows(database: Database, label: string): Promise<void> {
  const file = auditFile('rows');
  if (!file) return;
  const lines: string[] = [];
  await dumpRows(database, label, (line) => lines.push(line));
  if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
}

/** Ports of servers that stand for Xero (the sandbox): their answers carry tokens by design and are not ours. */
export const xeroSidePorts = new Set<number>();
