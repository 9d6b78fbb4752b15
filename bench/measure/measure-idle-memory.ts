import { setTimeout as delay } from 'node:timers/promises';
import type { TargetName } from '../build-bench-phases.ts';
import type { MemorySnapshot } from '../child/child-messages.ts';
import type { BenchChild } from '../child/spawn-bench-child.ts';
import { type LoadJob, loadResultSchema } from '../load/load-jobs.ts';

export interface IdleMemory {
  target: TargetName;
  memory: MemorySnapshot;
}

/** Quiet time between the warm-up and the reading, so in-flight work and its buffers are gone. */
const SETTLE_MS = 1_000;

/**
 * The resident set of each target at rest: after start-up and a short warm-up (a few hundred
 * requests at concurrency 1, streamed and not, so code is compiled and pools are open), before any
 * load. No garbage collection is forced: this is what `ps` would show.
 */
export async function measureIdleMemory(options: {
  targets: readonly TargetName[];
  processes: Partial<Record<TargetName, BenchChild>>;
  loadGenerator: BenchChild;
  warmups: (target: TargetName) => LoadJob[];
}): Promise<IdleMemory[]> {
  for (const target of options.targets) {
    for (const job of options.warmups(target)) {
      const result = loadResultSchema.parse(await options.loadGenerator.call('run', job, 60_000));
      if (result.failed > 0) {
        throw new Error(`warm-up of ${target} failed: ${result.firstFailure ?? 'unknown'}`);
      }
    }
  }
  await delay(SETTLE_MS);
  const readings: IdleMemory[] = [];
  for (const target of options.targets) {
    const child = options.processes[target];
    if (child === undefined) throw new Error(`no process for target ${target}`);
    readings.push({ target, memory: await child.memory() });
  }
  return readings;
}
