import type { BenchPhase, TargetName } from '../build-bench-phases.ts';
import type { BenchChild } from '../child/spawn-bench-child.ts';
import { type LoadJob, type LoadResult, loadResultSchema } from '../load/load-jobs.ts';
import { samplePeakRss } from './sample-peak-rss.ts';

export interface PhaseMeasurement extends LoadResult {
  /** CPU time (user + system) the process under test spent during the window, µs. */
  cpuMicros: number;
  /** Highest resident set of the process under test seen during the window (sampled phases). */
  peakRssBytes?: number;
}

/** How often the resident set is sampled during a window: ~15 reads per 1.5 s window. */
const MEMORY_SAMPLE_INTERVAL_MS = 100;

/** Generous bound on one job: its window, the streams still open at its end, and slack. */
function jobTimeoutMs(job: LoadJob): number {
  if (job.kind === 'first-token' || job.kind === 'failover-latency' || job.kind === 'latency') {
    return 30_000 + job.count * 1_000;
  }
  return job.durationMs + 30_000;
}

async function runJob(loadGenerator: BenchChild, job: LoadJob): Promise<LoadResult> {
  return loadResultSchema.parse(await loadGenerator.call('run', job, jobTimeoutMs(job)));
}

/**
 * Puts the upstream simulator under a phase's load (its warm-up and its job, results discarded)
 * `times` times, before any target relays to it. The phase must be built with the upstream's URL as
 * its `direct` endpoint, so its requests go straight to the simulator. A gateway whose first load
 * meets a simulator still compiling its own hot path stays slower for the rest of its life: with
 * the simulator cold, an identical build warmed first read 10–25 % more CPU per non-streaming
 * request in every later round than one warmed second (docs/benchmarks.md, 2026-11-25 07:11
 * annotation). compare-gateways and profile-target call this first, so both sides of a comparison
 * start alike; `npm run bench` keeps the order of its recorded runs (the proxy's warm-up loads the
 * upstream first). A failover phase addresses the gateway itself: nothing is warmed for it.
 */
export async function warmUpstream(options: {
  phase: BenchPhase;
  loadGenerator: BenchChild;
  times: number;
}): Promise<void> {
  const { phase, loadGenerator } = options;
  if (phase.kind === 'failover') return;
  for (let time = 0; time < options.times; time += 1) {
    if (phase.warmup !== undefined) await runJob(loadGenerator, phase.warmup('direct'));
    const result = await runJob(loadGenerator, phase.job('direct'));
    if (result.failed > 0) {
      throw new Error(
        `${phase.id} straight to the simulator: ${result.failed} requests failed (${result.firstFailure ?? 'unknown'})`,
      );
    }
  }
}

/**
 * Runs one phase against one target: optional warm-up, then the measured job bracketed by two
 * reads of the target process's CPU time (and, for phases that ask, its resident set sampled
 * throughout). Any failed request fails the run: a number measured over errors would mislead.
 */
export async function measurePhase(options: {
  phase: BenchPhase;
  target: TargetName;
  processUnderTest: BenchChild;
  loadGenerator: BenchChild;
}): Promise<PhaseMeasurement> {
  const { phase, target, processUnderTest, loadGenerator } = options;
  if (phase.warmup !== undefined) await runJob(loadGenerator, phase.warmup(target));
  const cpuBefore = await processUnderTest.cpuMicros();
  const job = runJob(loadGenerator, phase.job(target));
  const peakRss =
    phase.sampleMemory === true
      ? samplePeakRss(processUnderTest, job, MEMORY_SAMPLE_INTERVAL_MS)
      : undefined;
  const result = await job;
  const cpuAfter = await processUnderTest.cpuMicros();
  if (result.failed > 0 || result.completed === 0) {
    throw new Error(
      `${phase.id} on ${target}: ${result.failed} of ${result.failed + result.completed} requests failed (${result.firstFailure ?? 'none completed'})`,
    );
  }
  return {
    ...result,
    cpuMicros: cpuAfter - cpuBefore,
    ...(peakRss === undefined ? {} : { peakRssBytes: await peakRss }),
  };
}
