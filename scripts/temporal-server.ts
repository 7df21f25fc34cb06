/**
 * Temporal Server on PostgreSQL persistence, on this machine: the production topology (docker-compose's
 * `temporal` service), without Docker. Used by `npm run drill -- --server=postgres`.
 *
 * The server and its schema tool are built once with Go from the module proxy (`go install
 * go.temporal.io/server/cmd/server@v1.32.0` and `.../cmd/tools/sql`, the server the Temporal CLI embeds) into
 * the cache beside the CLI (~/.cache/xero-sync/temporal-server-1.32.0/); that takes minutes the first time.
 * Its persistence is an embedded PostgreSQL of its own (a data directory in the run's folder), whose two
 * databases are created and migrated with temporal-sql-tool from the schema files in the module's source,
 * as docker/temporal/setup-schema.sh does; the namespace is registered with the CLI once the server answers.
 *
 * Run directly (`tsx scripts/temporal-server.ts`) it builds (if needed) and prints where the binaries are.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { freePort, freePortsFrom } from './free-port.ts';
import { cacheDir, ensureTemporalCli } from './temporal-cli.ts';
import { DEV_SERVER_DYNAMIC_CONFIG } from './temporal-dev-server.ts';
import { orgSearchAttributes } from '../workflows/search-attributes.ts';

export const TEMPORAL_SERVER_VERSION = 'v1.32.0';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server's module source. */
  schemaDir: string;
}

/** The server and temporal-sql-tool, built with Go into the cache unless already there. */
export function ensureTemporalServer(log: (line: string) => void = () => {}): TemporalServerBinaries {
  const dir = join(cacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION.slice(1)}`);
  const server = join(dir, 'server');
  const sqlTool = join(dir, 'sql');
  if (!existsSync(server) || !existsSync(sqlTool)) {
    if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
      throw new Error('Temporal Server on PostgreSQL is built with Go, and go is not installed (apt-get install golang, or use the dev server: drop --server=postgres)');
    }
    log(`temporal-server: building ${MODULE} ${TEMPORAL_SERVER_VERSION} with go install (minutes, once)`);
    mkdirSync(dir, { recursive: true });
    execFileSync('go', ['install', `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`], {
      env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  const modCache = execFileSync('go', ['env', 'GOMODCACHE']).toString().trim();
  let schemaDir = join(modCache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!existsSync(schemaDir)) {
    // The binaries came from elsewhere (a copied cache): fetch the module's source for its schema files.
    execFileSync('go', ['mod', 'download', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    schemaDir = join(modCache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  }
  return { server, sqlTool, schemaDir };
}

export interface TemporalPostgresServer {
  address: string;
  process: ChildProcess;
  /** Temporal's own PostgreSQL: outlives restarts of the server, stopped by the caller at the end. */
  persistence: { stop(): Promise<void> };
}

interface Persistence {
  port: number;
  stop(): Promise<void>;
}
const persistenceByWork = new Map<string, Persistence>();

/** Starts (or, on the same `work` folder, restarts) the server on `port`, with its persistence in `work`. */
export async function startTemporalPostgresServer({ port, work, log }: { port: number; work: string; log: (line: string) => void }): Promise<TemporalPostgresServer> {
  const binaries = ensureTemporalServer(log);
  let persistence = persistenceByWork.get(work);
  const firstStart = !persistence;
  if (!persistence) {
    const pgPort = await freePort();
    const pg = await startEmbeddedPostgres({ dataDir: join(work, 'temporal-pg'), port: pgPort, database: 'postgres', persistent: true });
    persistence = { port: pgPort, stop: pg.stop };
    persistenceByWork.set(work, persistence);
    for (const [database, schema] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
      const tool = (...args: string[]) =>
        execFileSync(binaries.sqlTool, ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pgPort), '-u', 'postgres', '--pw', 'postgres', '--db', database, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      tool('create-database');
      tool('setup-schema', '-v', '0.0');
      tool('update-schema', '-d', join(binaries.schemaDir, schema, 'versioned'));
    }
  }
  const configDir = join(work, 'temporal-config');
  mkdirSync(configDir, { recursive: true });
  // The dev server's settings (fairness on), as every server we start has them.
  const dynamicConfig = { 'limit.maxIDLength': 255, ...DEV_SERVER_DYNAMIC_CONFIG };
  writeFileSync(join(configDir, 'dynamicconfig.yaml'), Object.entries(dynamicConfig).map(([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n`).join(''));
  writeFileSync(join(configDir, 'development.yaml'), serverConfig({ port, pgPort: persistence.port, base: await freePortBlock(), dynamicConfig: join(configDir, 'dynamicconfig.yaml') }));

  // --config is relative to --root.
  const child = spawn(binaries.server, ['--root', work, '--config', 'temporal-config', '--env', 'development', '--allow-no-auth', 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = join(work, 'temporal-server.log');
  const { createWriteStream } = await import('node:fs');
  const stream = createWriteStream(logFile, { flags: 'a' });
  child.stdout!.pipe(stream, { end: false });
  child.stderr!.pipe(stream, { end: false });
  const address = `127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`temporal server exited with code ${code} (see ${logFile})`))));
  exited.catch(() => {});
  await Promise.race([answering(address, 120_000), exited]);
  if (firstStart) await registerNamespace(address, log);
  return { address, process: child, persistence };
}

/**
 * History, matching and worker each need a gRPC and a membership port, the frontend a membership port. The
 * server stores membership ports as a smallint, so they come from below the OS's ephemeral range: from
 * Temporal's own defaults (6933-6939, 7234-7239) plus 500, so a Temporal Server on its defaults is left alone.
 */
async function freePortBlock(): Promise<number[]> {
  return freePortsFrom(7_433, 7);
}

function serverConfig({ port, pgPort, base, dynamicConfig }: { port: number; pgPort: number; base: number[]; dynamicConfig: string }): string {
  const store = (database: string, conns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "127.0.0.1:${pgPort}"
        connectProtocol: "tcp"
        user: "postgres"
        password: "postgres"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const service = (name: string, grpc: number, membership: number) => `
  ${name}:
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true`;
  return `log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:${store('temporal', 20)}
    postgres-visibility:${store('temporal_visibility', 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:${service('frontend', port, base[0]!)}${service('history', base[1]!, base[2]!)}${service('matching', base[3]!, base[4]!)}${service('worker', base[5]!, base[6]!)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${port}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "${dynamicConfig}"
  pollInterval: "10s"
`;
}

async function answering(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`Temporal server at ${address} not answering after ${timeoutMs} ms: ${String(last)}`);
}

/** The `default` namespace and its search attributes, as docker/temporal/register-namespace.sh registers them; a new server needs a few tries. */
async function registerNamespace(address: string, log: (line: string) => void): Promise<void> {
  const cli = await ensureTemporalCli(log);
  for (let attempt = 1; ; attempt++) {
    const created = spawnSync(cli.path, ['operator', 'namespace', 'create', '--address', address, '--namespace', 'default'], { encoding: 'utf8' });
    const described = spawnSync(cli.path, ['operator', 'namespace', 'describe', '--address', address, '--namespace', 'default'], { encoding: 'utf8' });
    if (described.status === 0) break;
    if (attempt >= 30) throw new Error(`could not register the default namespace: ${created.stderr || described.stderr}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  // The workflows' search attributes, as docker/temporal/register-namespace.sh adds them: the worker refuses to start without them.
  // One per call (the CLI adds only the first of several), retried while the new namespace is unknown to the server.
  for (const key of orgSearchAttributes) {
    for (let attempt = 1; ; attempt++) {
      spawnSync(cli.path, ['operator', 'search-attribute', 'create', '--address', address, '--namespace', 'default', '--name', key.name, '--type', 'Keyword'], { encoding: 'utf8' });
      const listed = spawnSync(cli.path, ['operator', 'search-attribute', 'list', '--address', address, '--namespace', 'default', '--output', 'json'], { encoding: 'utf8' });
      if (new RegExp(`"${key.name}"\\s*:\\s*"(indexed_value_type_)?keyword"`, 'i').test(listed.stdout)) break;
      if (attempt >= 30) throw new Error(`could not add search attribute ${key.name}: ${listed.stderr || listed.stdout}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  log(`temporal-server: namespace default registered, with the search attributes ${orgSearchAttributes.map((key) => key.name).join(', ')} (Keyword)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const binaries = ensureTemporalServer((line) => console.error(line));
  console.log(`Temporal Server ${TEMPORAL_SERVER_VERSION}: ${binaries.server}, ${binaries.sqlTool}, schema ${binaries.schemaDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
