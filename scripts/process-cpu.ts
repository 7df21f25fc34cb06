/** CPU time of the processes a benchmark measures, read from /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CPU time of one embedded Postgres: its postmaster, the backends alive now, and those that have exited. */
export function postgresCpuMsFromDataDir(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    if (pid !== postmaster && ppid !== postmaster) continue;
    // utime, stime; for the postmaster also cutime, cstime (its exited children).
    ticks += Number(fields[11]) + Number(fields[12]);
    if (pid === postmaster) ticks += Number(fields[13]) + Number(fields[14]);
  }
  return ticks / ticksPerMs;
}

/** The machine-wide CPU counters of /proc/stat (all cores): total, idle (incl. iowait) and steal ticks. */
export function machineCpuTicks(): { total: number; idle: number; steal: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = fields.map(Number);
  return { total: n.slice(0, 8).reduce((a, b) => a + b, 0), idle: n[3]! + n[4]!, steal: n[7]! };
}

/** CPU time (user + system, every thread) one process has used so far; 0 once it has gone. */
export function processCpuMs(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
}

/** The most memory one process has held at once (VmHWM), in MiB; 0 once it has gone. */
export function peakRssMiB(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
