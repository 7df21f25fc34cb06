/**
 * One measured stretch of a benchmark: from waking the organisation until nothing of it is pending, with
 * the CPU every process spent meanwhile, the statements Postgres ran, and the Xero calls the sandbox served.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { machineCpuTicks, postgresCpuMsFromDataDir, processCpuMs } from '../process-cpu.ts';
import type { SandboxCounters } from './sandbox-process.ts';
import type { BenchStack } from './stack.ts';

export interface MeasuredProcess {
  name: string;
  cpuMs: () => number;
}

export interface Statement {
  query: string;
  calls: number;
  totalMs: number;
}

export interface Measured {
  wallMs: number;
  /** Accounting calls the sandbox served to the organisation. */
  calls: number;
  cpuMs: Array<{ name: string; ms: number }>;
  statements: Statement[];
  failed: number;
  counters: SandboxCounters;
  /** CPU the whole machine spent meanwhile (all cores): the measured processes' and everyone else's. */
  machineBusyMs: number;
}

/** The processes whose CPU a benchmark reports: the workers, Postgres, Temporal, the sandbox, and itself. */
export function measuredProcesses(stack: BenchStack, workerPids: number[]): MeasuredProcess[] {
  return [
    ...workerPids.map((pid, i) => ({ name: workerPids.length > 1 ? `worker ${i + 1}` : 'worker', cpuMs: () => processCpuMs(pid) })),
    ...(stack.postgresDataDir ? [{ name: 'Postgres', cpuMs: () => postgresCpuMsFromDataDir(stack.postgresDataDir!) }] : []),
    { name: 'Temporal server', cpuMs: () => processCpuMs(stack.temporalPid) },
    { name: 'Xero sandbox', cpuMs: () => processCpuMs(stack.sandbox.pid) },
    {
      name: 'bench (polling)',
      cpuMs: () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      },
    },
  ];
}

const callsTo = (counters: SandboxCounters, tenantId: string) => Object.values(counters.calls[tenantId] ?? {}).reduce((a, b) => a + b, 0);

/** Runs `go`, then waits until the organisation has nothing pending; measures what happened meanwhile. */
export async function measure(
  { db }: Database,
  stack: BenchStack,
  processes: MeasuredProcess[],
  { orgId, tenantId }: { orgId: string; tenantId: string },
  go: () => Promise<void>,
): Promise<Measured> {
  const callsBefore = callsTo(await stack.sandbox.counters(), tenantId);
  const statementsCounted = await db.execute(sql`select pg_stat_statements_reset()`).then(
    () => true,
    () => false,
  );
  const cpuBefore = processes.map((p) => p.cpuMs());
  const machineBefore = machineCpuTicks();
  const started = Date.now();
  await go();
  for (;;) {
    // An index probe, not a count: the poll must not be what Postgres spends its time on.
    const [row] = await db.execute<{ pending: boolean }>(
      sql`select exists (select 1 from sync_state where org_id = ${orgId} and state = 'pending') as pending /* bench */`,
    );
    if (!row!.pending) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const wallMs = Date.now() - started;
  const cpuMs = processes.map((p, i) => ({ name: p.name, ms: p.cpuMs() - cpuBefore[i]! }));
  const machineAfter = machineCpuTicks();
  // USER_HZ ticks (10 ms each on Linux), steal excluded: what the cores spent running anything.
  const machineBusyMs = (machineAfter.total - machineBefore.total - (machineAfter.idle - machineBefore.idle) - (machineAfter.steal - machineBefore.steal)) * 10;
  const counters = await stack.sandbox.counters();
  const statements = statementsCounted
    ? (
        await db.execute<{ query: string; calls: number; total_ms: number }>(
          sql`select query, calls::int, total_exec_time as total_ms from pg_stat_statements
              where dbid = (select oid from pg_database where datname = current_database())
                and query not like '%/* bench */%' and query not like '%pg_stat_statements%'
              order by calls desc`,
        )
      ).map((r) => ({ query: r.query, calls: r.calls, totalMs: r.total_ms }))
    : [];
  const [failed] = await db.execute<{ n: number }>(sql`select count(*)::int as n from sync_state where org_id = ${orgId} and state = 'failed' /* bench */`);
  return { wallMs, calls: callsTo(counters, tenantId) - callsBefore, cpuMs, statements, failed: failed!.n, counters, machineBusyMs };
}
