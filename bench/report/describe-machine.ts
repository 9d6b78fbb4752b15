import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineDescription {
  cores: number;
  cpuModel: string;
  totalMemoryGiB: number;
  nodeVersion: string;
  /** 1-minute load average when the run started (the machine may be shared). */
  loadAverage: number;
}

function cpuModelName(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1] !== undefined) return match[1].trim();
  } catch {
    // Not Linux: fall back to what os.cpus() says.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** What a reader needs to compare this run with another: cores, CPU, memory, Node, load. */
export function describeMachine(): MachineDescription {
  return {
    cores: availableParallelism(),
    cpuModel: cpuModelName(),
    totalMemoryGiB: totalmem() / 1024 ** 3,
    nodeVersion: process.version,
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
}
