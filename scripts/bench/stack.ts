/**
 * What the push benchmark runs on, each in a process of its own so its CPU can be told apart: an embedded
 * PostgreSQL (counting statements with pg_stat_statements), a Temporal dev server, and the Xero sandbox.
 */
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../embedded-postgres.ts';
import { freePort } from '../free-port.ts';
import { ensureTemporalCli } from '../temporal-cli.ts';
import { startTemporalDevServer } from '../temporal-dev-server.ts';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.ts';

/**
 * The history service loads the tasks it dispatches (activities, workflow tasks) at most 20 times a second
 * per shard by default, and the dev server has one shard: one organisation's workflow then waits up to 50 ms
 * for every dispatch, which caps it near 40 calls a second whatever the calls cost. A cluster is configured
 * the same way (docker/temporal/dynamicconfig.yaml).
 */
export const BENCH_TEMPORAL_CONFIG = { 'history.transferProcessorMaxPollRPS': 1000 };

export interface BenchStack {
  databaseUrl: string;
  /** The embedded server's data directory (its postmaster's pid is in it); undefined with DATABASE_URL. */
  postgresDataDir?: string;
  temporalAddress: string;
  temporalPid: number;
  sandbox: SandboxProcess;
  stop(): Promise<void>;
}

/** `sandboxProfileDir`: the sandbox writes a V8 CPU profile there when it stops. */
export async function startBenchStack({ work, timeScale, sandboxProfileDir }: { work: string; timeScale: number; sandboxProfileDir?: string }): Promise<BenchStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => console.error('[bench] stop failed', err));
  };
  try {
    const [postgres, temporal, sandbox] = await Promise.all([
      (async () => {
        if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, dataDir: undefined };
        const pg = await startEmbeddedPostgres({
          dataDir: join(work, 'pg'),
          port: await freePort(),
          database: 'bench',
          persistent: false,
          serverFlags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.max=1000'],
        });
        stops.push(pg.stop);
        return pg;
      })(),
      (async () => {
        const cli = await ensureTemporalCli();
        const server = await startTemporalDevServer({ cliPath: cli.path, dynamicConfig: BENCH_TEMPORAL_CONFIG });
        stops.push(server.stop);
        return server;
      })(),
      (async () => {
        const nodeArgs = sandboxProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${sandboxProfileDir}`] : [];
        const sandbox = await startSandboxProcess({ port: await freePort(), timeScale, nodeArgs });
        stops.push(sandbox.stop);
        return sandbox;
      })(),
    ]);
    return {
      databaseUrl: postgres.url,
      postgresDataDir: postgres.dataDir,
      temporalAddress: temporal.address,
      temporalPid: temporal.process.pid!,
      sandbox,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
