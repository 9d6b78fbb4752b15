import { spawnSync } from 'node:child_process';
import type { BenchChild } from './spawn-bench-child.ts';
import { canPinCpus } from './spawn-bench-child.ts';

/**
 * Moves every thread of a running child to `cpus` (`taskset -a -p`); false where taskset is
 * missing or refused.
 */
export function repinProcess(child: BenchChild, cpus: string): boolean {
  if (!canPinCpus()) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', cpus, String(child.pid)]).status === 0;
}
