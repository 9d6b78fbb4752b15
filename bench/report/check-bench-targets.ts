import type { IdleMemory } from '../measure/measure-idle-memory.ts';
import type { SlowStreamsRun } from '../measure/measure-slow-streams.ts';
import {
  gatewayOverProxyMs,
  summarizeBilling,
  summarizeFailover,
  summarizeLatency,
  summarizeRequests,
  summarizeStreams,
} from '../measure/summarize-measurements.ts';
import { mebibytes, slowStreamGrowthBytes } from './bench-report-tables.ts';
import type { MeasuredPhase } from './build-bench-report.ts';
import { formatNumber, formatSigned } from './format-markdown-table.ts';

export interface TargetCheck {
  description: string;
  measured: string;
  met: boolean;
}

/** Targets of the first performance issue (ratios to the floor). */
export const MAX_CPU_RATIO_TO_PROXY = 1.5;
export const MAX_ADDED_TTFT_P50_MS = 0.3;
/** Billing (reserve + settle + usage row on a SQLite file) may add at most this much CPU. */
export const MAX_BILLING_CPU_RATIO = 1.25;
/** A failover before the first byte may add at most this beyond the failed attempt's own time. */
export const MAX_FAILOVER_ADDED_P50_MS = 1;

/** Targets of the performance suite (issue 5), with everything on; "added" is over direct. */
export const MAX_CPU_MICROS_PER_REQUEST = 150;
export const MAX_TTFT_ADDED_OVER_DIRECT_P50_MS = 0.8;
/**
 * CPU per streamed chunk that the gateway adds over the floor proxy, which pays the same socket
 * reads and writes per chunk: OpenAI pass-through, and Anthropic → OpenAI translation.
 */
export const MAX_CHUNK_CPU_OVER_PROXY_MICROS: Readonly<Record<string, number>> = {
  'openai-stream': 3,
  'anthropic-stream': 5,
};
export const MAX_TTFT_ADDED_OVER_DIRECT_P99_MS = 3;
export const MAX_IDLE_RSS_MIB = 90;
export const MAX_SLOW_STREAMS_GROWTH_MIB = 150;
/**
 * Memory still held after a forced collection may differ between two identical runs by at most
 * this: 2 MiB is about 400 bytes per stream at 5 000 streams, so a leak of any size per stream
 * shows, while the collector's own slack does not.
 */
export const MAX_RETAINED_GROWTH_ACROSS_RUNS_MIB = 2;

const MIB = 1024 * 1024;

function phaseChecks({ phase, rounds }: MeasuredPhase): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (phase.kind === 'requests') {
    const gateway = summarizeRequests(rounds, phase.targets).find(
      (row) => row.target === 'gateway',
    );
    const ratio = gateway?.cpuRatioToProxy ?? Number.NaN;
    const micros = gateway?.cpuMicrosPerRequest ?? Number.NaN;
    checks.push(
      {
        description: `CPU per non-streaming request ≤ ${MAX_CPU_RATIO_TO_PROXY}× the proxy's (${phase.id})`,
        measured: `${formatNumber(ratio, 2)}×`,
        met: ratio <= MAX_CPU_RATIO_TO_PROXY,
      },
      {
        description: `CPU per non-streaming request ≤ ${MAX_CPU_MICROS_PER_REQUEST} µs, everything on (${phase.id})`,
        measured: `${formatNumber(micros, 1)} µs`,
        met: micros <= MAX_CPU_MICROS_PER_REQUEST,
      },
    );
  }
  const chunkBudget = MAX_CHUNK_CPU_OVER_PROXY_MICROS[phase.id];
  if (phase.kind === 'streams' && chunkBudget !== undefined) {
    const gateway = summarizeStreams(rounds, phase.targets).find((row) => row.target === 'gateway');
    const added = gateway?.cpuMicrosPerChunkOverProxy ?? Number.NaN;
    checks.push({
      description: `CPU per streamed chunk ≤ ${chunkBudget} µs over the proxy's (${phase.id})`,
      measured: `${formatSigned(added, 2)} µs`,
      met: added <= chunkBudget,
    });
  }
  if (phase.kind === 'billing') {
    const billed = summarizeBilling(rounds).find((row) => row.target === 'billed');
    const ratio = billed?.cpuRatioToUnbilled ?? Number.NaN;
    checks.push({
      description: `CPU per non-streaming request with billing ≤ ${MAX_BILLING_CPU_RATIO}× without (${phase.id})`,
      measured: `${formatNumber(ratio, 2)}×`,
      met: ratio <= MAX_BILLING_CPU_RATIO,
    });
  }
  if (phase.kind === 'failover') {
    const added = summarizeFailover(rounds).addedP50Ms;
    checks.push({
      description: `Failover before the first byte adds p50 ≤ ${MAX_FAILOVER_ADDED_P50_MS} ms beyond the failed attempt (${phase.id})`,
      measured: `${formatSigned(added, 3)} ms`,
      met: added <= MAX_FAILOVER_ADDED_P50_MS,
    });
  }
  if (phase.kind === 'first-token') {
    const overProxy = gatewayOverProxyMs(rounds, 50);
    const gateway = summarizeLatency(rounds, phase.targets).find((row) => row.target === 'gateway');
    const addedP50 = gateway?.addedP50Ms ?? Number.NaN;
    const addedP99 = gateway?.addedP99Ms ?? Number.NaN;
    checks.push(
      {
        description: `Added time to first token p50 ≤ ${MAX_ADDED_TTFT_P50_MS} ms over the proxy (${phase.id})`,
        measured: `${formatSigned(overProxy, 3)} ms`,
        met: overProxy <= MAX_ADDED_TTFT_P50_MS,
      },
      {
        description: `Added time to first token p50 ≤ ${MAX_TTFT_ADDED_OVER_DIRECT_P50_MS} ms over direct (${phase.id})`,
        measured: `${formatSigned(addedP50, 3)} ms`,
        met: addedP50 <= MAX_TTFT_ADDED_OVER_DIRECT_P50_MS,
      },
      {
        description: `Added time to first token p99 ≤ ${MAX_TTFT_ADDED_OVER_DIRECT_P99_MS} ms over direct (${phase.id})`,
        measured: `${formatSigned(addedP99, 3)} ms`,
        met: addedP99 <= MAX_TTFT_ADDED_OVER_DIRECT_P99_MS,
      },
    );
  }
  return checks;
}

function slowStreamChecks(runs: SlowStreamsRun[]): TargetCheck[] {
  const gatewayRuns = runs.filter((run) => run.target === 'gateway');
  const first = gatewayRuns[0];
  if (first === undefined) return [];
  const count = first.result.count;
  const allOpen = gatewayRuns.every((run) => run.opened.openNow === count);
  const dropped = gatewayRuns.reduce((sum, run) => sum + run.result.dropped, 0);
  const growth = Math.max(...gatewayRuns.map(slowStreamGrowthBytes));
  const checks: TargetCheck[] = [
    {
      description: `${count} concurrent slow streams through the gateway: all open at once, none dropped (slow-streams, every run)`,
      measured: gatewayRuns
        .map(
          (run) =>
            `run ${run.run}: ${run.opened.openNow} open at once, ${run.result.dropped} dropped`,
        )
        .join('; '),
      met: allOpen && dropped === 0,
    },
    {
      description: `Gateway RSS growth with ${count} streams open ≤ ${MAX_SLOW_STREAMS_GROWTH_MIB} MiB (slow-streams, worst run${allOpen ? '' : '; not every stream was open'})`,
      measured: `+${mebibytes(growth)} MiB`,
      met: allOpen && growth <= MAX_SLOW_STREAMS_GROWTH_MIB * MIB,
    },
  ];
  const second = gatewayRuns[1];
  if (second !== undefined) {
    const retainedGrowth =
      (second.after.retainedBytes ?? Number.NaN) - (first.after.retainedBytes ?? Number.NaN);
    checks.push({
      description: `No growth across repeated runs: gateway heap + external after GC, run 2 − run 1 ≤ ${MAX_RETAINED_GROWTH_ACROSS_RUNS_MIB} MiB (slow-streams)`,
      measured: `${formatSigned(retainedGrowth / MIB, 2)} MiB (RSS after: ${formatSigned((second.after.rssBytes - first.after.rssBytes) / MIB, 1)} MiB)`,
      met: retainedGrowth <= MAX_RETAINED_GROWTH_ACROSS_RUNS_MIB * MIB,
    });
  }
  return checks;
}

/** Every target of the issues this bench answers, judged on the medians of this run. */
export function checkTargets(
  phases: MeasuredPhase[],
  idle: IdleMemory[] = [],
  slowStreams: SlowStreamsRun[] = [],
): TargetCheck[] {
  const checks = phases.flatMap(phaseChecks);
  const gatewayIdle = idle.find((reading) => reading.target === 'gateway');
  if (gatewayIdle !== undefined) {
    const rss = gatewayIdle.memory.rssBytes;
    checks.push({
      description: `Gateway RSS idle ≤ ${MAX_IDLE_RSS_MIB} MiB (after start-up and warm-up)`,
      measured: `${mebibytes(rss)} MiB`,
      met: rss <= MAX_IDLE_RSS_MIB * MIB,
    });
  }
  return [...checks, ...slowStreamChecks(slowStreams)];
}
