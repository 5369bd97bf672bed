import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type postgres from 'postgres';

/** CPU and memory of processes, read from /proc (Linux). */

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface StatFields {
  readonly ppid: number;
  /** utime + stime in clock ticks. */
  readonly ticks: number;
}

function readStat(pid: number): StatFields | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // the process has exited
  }
}

/** The process and all its descendants (npm and tsx wrappers start the real node as a child). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU time in ms per pid. */
export type CpuSnapshot = ReadonlyMap<number, number>;

export function cpuSnapshot(pids: readonly number[]): CpuSnapshot {
  const snapshot = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) snapshot.set(pid, (stat.ticks * 1000) / CLOCK_TICKS);
  }
  return snapshot;
}

/** CPU ms used between two snapshots; a process first seen in `after` counts in full. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Peak resident set size (VmHWM) in MB, the largest over the given processes. */
export function peakRssMb(pids: readonly number[]): number {
  let peak = 0;
  for (const pid of pids) {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]) / 1024);
    } catch {
      // exited
    }
  }
  return peak;
}

/**
 * PostgreSQL backends serving a database (pooled connections, so they live across a run). Asked
 * over a connection to another database, so the question does not count itself.
 */
export async function backendPids(monitor: postgres.Sql, databases: readonly string[]): Promise<number[]> {
  const rows = await monitor<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname IN ${monitor(databases)}`;
  return rows.map((r) => r.pid);
}
