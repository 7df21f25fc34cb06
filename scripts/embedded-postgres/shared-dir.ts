/**
 * Where embedded PostgreSQL keeps what the server's user must reach when the clone's own folder hides it
 * (see server-user.ts): a copy of the binaries and the data directories it could not have in place.
 * Outside any home folder, so the `postgres` user can enter it; persistent, so dev data survives restarts.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../../config/env.ts';

export const DEFAULT_SHARED_DIR = '/var/lib/xero-sync';

export function sharedDir(): string {
  return resolve(process.env.DEV_POSTGRES_SHARED_DIR || DEFAULT_SHARED_DIR);
}

/** mkdir -p, each level it creates opened to everyone (0755) whatever root's umask: the server's user passes through. */
export function makeOpenDir(path: string): void {
  const missing: string[] = [];
  for (let dir = path; !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
  try {
    mkdirSync(path, { recursive: true });
    for (const dir of missing) chmodSync(dir, 0o755);
  } catch (err) {
    throw unreachableSharedDir(path, (err as NodeJS.ErrnoException).code ?? String(err));
  }
}

/** The one line for the case nothing here can fix: even the shared directory is out of the server user's reach. */
export function unreachableSharedDir(path: string, reason = 'a parent folder is closed to it'): ConfigError {
  return new ConfigError(
    `PostgreSQL (embedded): the \`postgres\` user, which runs the server because Postgres refuses root, cannot use ${path} (${reason}); set DEV_POSTGRES_SHARED_DIR to a folder it can enter (every parent world-searchable), run as a non-root user, or set DATABASE_URL (tests: TEST_DATABASE_URL) to a running server`,
  );
}
