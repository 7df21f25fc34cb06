/**
 * Who runs the PostgreSQL server. Postgres refuses to run as root, so as root it runs as the `postgres`
 * user (created when missing), and that user cannot reach everything root can: a clone in root's home
 * (mode 0700) hides node_modules and .data from it.
 */
import { chownSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { ConfigError } from '../../config/env.ts';

export interface ServerUser {
  /** Set when the server runs as another user than this process (we are root). */
  ids?: { uid: number; gid: number };
}

const POSTGRES_USER = 'postgres';

export function serverUser(): ServerUser {
  if (process.getuid?.() !== 0) return {};
  return { ids: postgresUserIds() };
}

/**
 * True when the server's user passes a shell test such as `test -x "$1"`. The probe is spawned exactly as
 * the server will be (same uid and gid; Node drops supplementary groups for both), so the kernel's answer,
 * ACLs included, is the one the server will get. This process's own user reaches what this process does.
 */
export function serverUserPasses(user: ServerUser, script: string, ...args: string[]): boolean {
  if (!user.ids) return true;
  return spawnSync('/bin/sh', ['-c', script, 'sh', ...args], { ...user.ids, cwd: '/', stdio: 'ignore' }).status === 0;
}

/** Gives a path this process created to the server's user (initdb insists on owning its data directory). */
export function handToServerUser(user: ServerUser, path: string): void {
  if (user.ids) chownSync(path, user.ids.uid, user.ids.gid);
}

function postgresUserIds(): { uid: number; gid: number } {
  if (!exists(POSTGRES_USER)) {
    try {
      execFileSync('useradd', ['--system', '--user-group', POSTGRES_USER], { stdio: 'ignore' });
    } catch {
      throw new ConfigError(
        `PostgreSQL (embedded) cannot run as root and there is no \`${POSTGRES_USER}\` user to run it (useradd failed): create one (useradd --system --user-group ${POSTGRES_USER}), run as another user, or set DATABASE_URL (tests: TEST_DATABASE_URL) to a running server`,
      );
    }
  }
  const id = (flag: string) => Number(execFileSync('id', [flag, POSTGRES_USER]).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

function exists(name: string): boolean {
  return spawnSync('id', [name], { stdio: 'ignore' }).status === 0;
}
