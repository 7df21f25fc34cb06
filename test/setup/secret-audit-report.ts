/**
 * The secret audit at the end of the run: what the fixtures wrote down (test/support/secret-audit.ts) looked
 * for in the logs, the answers and every database row (test/setup/secret-scan.ts). A find prints where, with
 * the secret masked, and fails the run: vitest only logs an error thrown at teardown, so the exit code is set too.
 */
import { createDatabase } from '../../db/client.ts';
import { dumpRows } from '../support/secret-audit.ts';
import { basename } from 'node:path';
import { auditedFiles, createSecretScanner, readSecrets, scanFile, type SecretFind } from './secret-scan.ts';

const SHOWN = 30;

export async function auditSecrets({ dir, databaseUrl }: { dir: string; databaseUrl: string }): Promise<void> {
  const secrets = readSecrets(dir);
  const scan = createSecretScanner(secrets);
  const finds: SecretFind[] = [];
  const figures = { logs: 0, answers: 0, rows: 0 };
  for (const kind of ['logs', 'answers', 'rows'] as const) {
    for (const path of auditedFiles(dir, kind)) {
      const scanned = scanFile(path, `${kind} ${basename(path)}`, secrets, scan);
      figures[kind] += scanned.lines;
      finds.push(...scanned.finds);
    }
  }
  const database = createDatabase(databaseUrl, { max: 1 });
  try {
    const lines: string[] = [];
    await dumpRows(database, 'shared database', (line) => lines.push(line));
    figures.rows += lines.length;
    finds.push(...lines.flatMap((line) => scan(line, () => line.slice(0, line.indexOf('\t')))));
  } finally {
    await database.close();
  }
  const summary = `secret audit: ${secrets.filter((s) => !s.kind.endsWith('(as bytes)')).length} secrets looked for in ${figures.logs} log lines, ${figures.answers} API answers, ${figures.rows} database rows`;
  if (finds.length === 0) {
    console.log(`${summary}: none found`);
    return;
  }
  const report = [`${summary}: ${finds.length} found in plain text`, ...finds.slice(0, SHOWN).map((f) => `  - ${f.kind} in ${f.where}: …${f.context}…`)].join('\n');
  console.error(report);
  process.exitCode = 1;
  throw new Error(report);
}
