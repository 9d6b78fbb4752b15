import { readFileSync } from 'node:fs';

/** The machine's CPU time so far, in clock ticks, all CPUs together. */
export interface CpuTicks {
  /** Time the hypervisor ran something else while this guest wanted the CPU. */
  steal: number;
  /** user + nice + system + idle + iowait + irq + softirq + steal. */
  total: number;
}

/**
 * The aggregate `cpu` line of /proc/stat. Its fields are user, nice, system, idle, iowait, irq,
 * softirq, steal, then guest and guest_nice, which user and nice already include (left out).
 */
export function parseCpuTicks(procStat: string): CpuTicks | undefined {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (line === undefined) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 8 || fields.some((field) => !Number.isFinite(field))) return undefined;
  return { steal: fields[7] ?? 0, total: fields.reduce((sum, field) => sum + field, 0) };
}

/** Undefined where there is no /proc/stat (not Linux). */
export function readCpuTicks(): CpuTicks | undefined {
  try {
    return parseCpuTicks(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The share of the machine's CPU time between two readings that the hypervisor gave to other
 * guests. A virtual machine whose host is busy runs everything slower without any process of its
 * own using more CPU, and a process's CPU time then grows with it: runs with steal are not
 * comparable with runs without.
 */
export function stealShare(
  start: CpuTicks | undefined,
  end: CpuTicks | undefined,
): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const total = end.total - start.total;
  return total > 0 ? (end.steal - start.steal) / total : undefined;
}
