import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout);
    ticksPerSecond = Number.isInteger(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

/** Whether CPU time and memory of another process can be read here (Linux /proc). */
export function canReadProcessUsage(): boolean {
  return existsSync('/proc/self/stat') && existsSync('/proc/self/status');
}

/**
 * CPU time (user + system, every thread) of another process so far, µs, from /proc/<pid>/stat.
 * Its resolution is one clock tick (10 ms): fine over windows of a second or more.
 */
export function readProcessCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) {
    throw new Error(`unexpected /proc/${pid}/stat: ${stat.slice(0, 200)}`);
  }
  return ((userTicks + systemTicks) * 1_000_000) / clockTicksPerSecond();
}

/** Resident set size of another process now, bytes, from /proc/<pid>/status. */
export function readProcessRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
