/**
 * Where the cluster's data lives: the requested directory when the server's user can get to it, else a
 * directory of its own under the shared directory, named after the requested one, so the same clone finds
 * the same data on every start.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serverUserPasses, type ServerUser } from './server-user.ts';
import { makeOpenDir, unreachableSharedDir } from './shared-dir.ts';

export function usableDataDir(user: ServerUser, requested: string, sharedDir: string, say: (line: string) => void): string {
  // The data directory itself is handed to the server's user; it only needs to pass through its parents.
  mkdirSync(dirname(requested), { recursive: true });
  if (canEnter(user, dirname(requested))) return requested;

  const moved = join(sharedDir, 'postgres', nameFor(requested));
  makeOpenDir(dirname(moved));
  if (!canEnter(user, dirname(moved))) throw unreachableSharedDir(dirname(moved));
  say(`PostgreSQL: data in ${moved} (the postgres user, which runs the server, cannot enter a parent of ${requested})`);
  return moved;
}

function canEnter(user: ServerUser, dir: string): boolean {
  return serverUserPasses(user, 'test -x "$1"', dir);
}

/** Readable (the tail of the path) and unique (a hash of all of it). */
function nameFor(requested: string): string {
  const readable = requested.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+/, '').slice(-60);
  return `${readable}-${createHash('sha256').update(requested).digest('hex').slice(0, 8)}`;
}
