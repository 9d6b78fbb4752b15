import { slowStreamRequest, type TargetEndpoint, type TargetName } from '../build-bench-phases.ts';
import type { BenchChild } from '../child/spawn-bench-child.ts';
import {
  measureSlowStreams,
  SLOW_STREAMS_RUN_MAX_MS,
  type SlowStreamsRun,
} from './measure-slow-streams.ts';

/** The gateway twice in a row (the second run is the leak check), then the floor and the peer. */
const PLAN: ReadonlyArray<{ target: TargetName; runs: number }> = [
  { target: 'gateway', runs: 2 },
  { target: 'proxy', runs: 1 },
  { target: 'portkey', runs: 1 },
];

/** Leaves time for the report and the children's shutdown before the hard limit. */
const SHUTDOWN_MARGIN_MS = 15_000;

/**
 * The slow-streams phase: each planned target that is running, as long as its runs can end
 * (at their longest) before `deadline`; the note names the targets left out for time.
 */
export async function runSlowStreamsPlan(options: {
  count: number;
  processes: Partial<Record<TargetName, BenchChild>>;
  endpoints: Partial<Record<TargetName, TargetEndpoint>>;
  loadGenerator: BenchChild;
  deadline: number;
  log: (message: string) => void;
}): Promise<{ runs: SlowStreamsRun[]; note?: string }> {
  const runs: SlowStreamsRun[] = [];
  const skipped: string[] = [];
  for (const { target, runs: count } of PLAN) {
    const processUnderTest = options.processes[target];
    const endpoint = options.endpoints[target];
    if (processUnderTest === undefined || endpoint === undefined) continue;
    if (
      performance.now() + count * SLOW_STREAMS_RUN_MAX_MS >
      options.deadline - SHUTDOWN_MARGIN_MS
    ) {
      skipped.push(target);
      continue;
    }
    options.log(`slow streams: ${options.count} at once on ${target} (${count}×)`);
    runs.push(
      ...(await measureSlowStreams({
        target,
        processUnderTest,
        loadGenerator: options.loadGenerator,
        request: slowStreamRequest(endpoint),
        count: options.count,
        runs: count,
      })),
    );
  }
  return skipped.length === 0
    ? { runs }
    : { runs, note: `not run on ${skipped.join(', ')}: the time budget was spent` };
}
