/** How the push benchmark prints what it measured. */
import { cpus } from 'node:os';
import type { BatchTimings, RunHistory } from './history.ts';
import type { Measured } from './measure.ts';

const line = (label: string, text: string) => console.log(`${label.padEnd(24)}${text}`);
const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** What one stretch cost: calls, wall time, CPU per batch by process, statements per batch. */
export function printMeasured(title: string, records: number, m: Measured, { floorMs }: { floorMs?: number } = {}): void {
  const batches = Math.max(1, m.calls);
  console.log(`\n== ${title}`);
  line('records', `${records}${m.failed ? `, ${m.failed} FAILED` : ''}`);
  line('Xero calls', `${m.calls}; per record ${(m.calls / records).toFixed(4)}`);
  if (floorMs !== undefined) {
    line('wall time', `${fixed(m.wallMs / 1000, 2)} s; rate floor ${fixed(floorMs / 1000, 2)} s; ratio ${(m.wallMs / floorMs).toFixed(3)} (goal <= 1.05)`);
  } else {
    line('wall time', `${fixed(m.wallMs / 1000, 2)} s; ${Math.round(records / (m.wallMs / 1000))} records/s`);
  }
  const total = m.cpuMs.reduce((a, p) => a + p.ms, 0);
  line('CPU ms per call', `${m.cpuMs.map((p) => `${p.name} ${fixed(p.ms / batches)}`).join(', ')}; total ${fixed(total / batches)}`);
  const others = Math.max(0, m.machineBusyMs - total);
  line('CPU busy', `${fixed((total / m.wallMs) * 100, 0)}% of one core over the wall time; other processes on the machine ${fixed((others / m.wallMs) * 100, 0)}% (${cpus().length} cores: ${cpus().length * 100}%)`);
  if (m.statements.length > 0) {
    const calls = m.statements.reduce((a, s) => a + s.calls, 0);
    line('statements per call', `${fixed(calls / batches)} (Postgres exec ${fixed(m.statements.reduce((a, s) => a + s.totalMs, 0) / batches, 2)} ms)`);
    for (const s of m.statements.slice(0, 12)) {
      console.log(`    ${fixed(s.calls / batches, 2).padStart(6)} x ${fixed(s.totalMs / s.calls, 3).padStart(7)} ms  ${s.query.replace(/\s+/g, ' ').slice(0, 110)}`);
    }
  }
}

export function printTemporal(history: RunHistory[], timings: BatchTimings): void {
  line('workflow runs', `${history.length}; longest history ${Math.max(...history.map((r) => r.events))} events (goal <= 10,000)`);
  line(
    'per pushBatch (median)',
    `queued ${fixed(timings.queueMs)} ms, running ${fixed(timings.runMs)} ms, answer to next workflow task done ${fixed(timings.turnaroundMs)} ms; ` +
      `${fixed(timings.workflowTasks / Math.max(1, timings.batches), 2)} workflow tasks per batch, ${fixed(timings.workflowTaskMs)} ms each`,
  );
}

/**
 * A process's JS threads by what they were doing, ms per call, start-up included. The profiler samples the
 * threads' busy time, which on a loaded machine includes time the OS gave the core to another process (a
 * socket write that wakes Postgres often hands it the core at once): read it as shares, and take the CPU
 * per process from /proc (`CPU ms per call`).
 */
export function printProfile(name: string, groups: Map<string, number>, batches: number, processCpuMs?: number): void {
  const profiled = [...groups.values()].reduce((a, b) => a + b, 0);
  const total = processCpuMs === undefined ? '' : `; process CPU over its life ${fixed(processCpuMs / batches)}`;
  console.log(`\n${name}: busy time of its JS threads by what they were doing (V8 profile, start-up included), ms per call: ${fixed(profiled / batches)}${total}`);
  for (const [group, ms] of [...groups].sort((a, b) => b[1] - a[1])) {
    if (ms / batches >= 0.05) console.log(`    ${fixed(ms / batches, 2).padStart(6)}  ${fixed((ms / profiled) * 100, 0).padStart(3)}%  ${group}`);
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
