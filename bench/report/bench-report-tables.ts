import type { TargetName } from '../build-bench-phases.ts';
import type { IdleMemory } from '../measure/measure-idle-memory.ts';
import type { SlowStreamsRun } from '../measure/measure-slow-streams.ts';
import {
  medianPeakRssBytes,
  type PhaseRounds,
  summarizeBilling,
  summarizeFailover,
  summarizeLatency,
  summarizeRequests,
  summarizeStreams,
} from '../measure/summarize-measurements.ts';
import type { MeasuredPhase } from './build-bench-report.ts';
import { formatMarkdownTable, formatNumber, formatSigned } from './format-markdown-table.ts';

export const TARGET_LABELS: Record<TargetName, string> = {
  direct: 'direct (simulator)',
  proxy: 'proxy (floor)',
  gateway: 'gateway (Shepherd)',
  portkey: 'Portkey (peer)',
  unbilled: 'gateway, billing off',
  billed: 'gateway, billing on',
};

const MIB = 1024 * 1024;

export function mebibytes(bytes: number, decimals = 1): string {
  return formatNumber(bytes / MIB, decimals);
}

const ratio = (value: number) => `${formatNumber(value, 2)}×`;
const percent = (share: number) => `${formatNumber(share * 100, 0)} %`;

export function requestsTable({ phase, rounds }: MeasuredPhase): string {
  return formatMarkdownTable(
    ['Target', 'req/s', 'CPU µs/req', 'core use', 'CPU ÷ proxy'],
    summarizeRequests(rounds, phase.targets).map((row) => [
      TARGET_LABELS[row.target],
      formatNumber(row.requestsPerSecond, 0),
      formatNumber(row.cpuMicrosPerRequest, 1),
      percent(row.coreUse),
      ratio(row.cpuRatioToProxy),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

export function billingTable(rounds: PhaseRounds): string {
  return formatMarkdownTable(
    ['Target', 'req/s', 'CPU µs/req', 'core use', 'CPU ÷ billing off'],
    summarizeBilling(rounds).map((row) => [
      TARGET_LABELS[row.target],
      formatNumber(row.requestsPerSecond, 0),
      formatNumber(row.cpuMicrosPerRequest, 1),
      percent(row.coreUse),
      ratio(row.cpuRatioToUnbilled),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

export function streamsTable(phases: MeasuredPhase[]): string {
  const rows = phases.flatMap(({ phase, rounds }) =>
    summarizeStreams(rounds, phase.targets).map((row) => [
      phase.id,
      TARGET_LABELS[row.target],
      formatNumber(row.cpuMicrosPerChunk, 2),
      formatNumber(row.chunksPerSecond, 0),
      formatNumber(row.chunksPerStream, 0),
      percent(row.coreUse),
      ratio(row.cpuRatioToProxy),
      row.target === 'proxy' ? '' : formatSigned(row.cpuMicrosPerChunkOverProxy, 2),
    ]),
  );
  return formatMarkdownTable(
    [
      'Path',
      'Target',
      'CPU µs/chunk',
      'chunks/s',
      'chunks/stream',
      'core use',
      'CPU ÷ proxy',
      '− proxy µs/chunk',
    ],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** Time to first token or to the whole answer: percentiles, added over direct and over the proxy. */
export function latencyTable(phases: MeasuredPhase[], measure: 'TTFT' | 'latency'): string {
  const rows = phases.flatMap(({ phase, rounds }) =>
    summarizeLatency(rounds, phase.targets).map((row) => {
      const overProxy = row.target !== 'direct' && row.target !== 'proxy';
      return [
        phase.id,
        TARGET_LABELS[row.target],
        formatNumber(row.p50Ms, 2),
        formatNumber(row.p99Ms, 2),
        row.target === 'direct' ? '' : formatSigned(row.addedP50Ms, 3),
        row.target === 'direct' ? '' : formatSigned(row.addedP99Ms, 3),
        overProxy ? formatSigned(row.overProxyP50Ms, 3) : '',
        overProxy ? formatSigned(row.overProxyP99Ms, 3) : '',
      ];
    }),
  );
  return formatMarkdownTable(
    [
      'Path',
      'Target',
      `${measure} p50 ms`,
      `${measure} p99 ms`,
      'added p50 ms',
      'added p99 ms',
      '− proxy p50',
      '− proxy p99',
    ],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

export function failoverTable(rounds: PhaseRounds): string {
  const summary = summarizeFailover(rounds);
  return formatMarkdownTable(
    [
      'answer, no failover p50 ms',
      'failed attempt alone p50 ms',
      'answer after failover p50 ms',
      'added p50 ms',
      'added p99 ms',
      'triples',
    ],
    [
      [
        formatNumber(summary.baselineP50Ms, 3),
        formatNumber(summary.failedAttemptP50Ms, 3),
        formatNumber(summary.failoverP50Ms, 3),
        formatSigned(summary.addedP50Ms, 3),
        formatSigned(summary.addedP99Ms, 3),
        String(summary.samples),
      ],
    ],
    ['right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** Resident set at rest and at its peak under the non-streaming load, with ratios to the proxy. */
export function memoryTable(idle: IdleMemory[], requests: MeasuredPhase | undefined): string {
  const idleOf = (target: TargetName) =>
    idle.find((reading) => reading.target === target)?.memory.rssBytes ?? Number.NaN;
  const loadOf = (target: TargetName) =>
    requests === undefined ? Number.NaN : medianPeakRssBytes(requests.rounds, target);
  return formatMarkdownTable(
    [
      'Target',
      'RSS idle MiB',
      'idle ÷ proxy',
      'heap+external idle MiB',
      'RSS under load MiB',
      'load ÷ proxy',
    ],
    idle.map(({ target, memory }) => [
      TARGET_LABELS[target],
      mebibytes(idleOf(target)),
      ratio(idleOf(target) / idleOf('proxy')),
      memory.retainedBytes === undefined ? 'n/a' : mebibytes(memory.retainedBytes),
      mebibytes(loadOf(target)),
      ratio(loadOf(target) / loadOf('proxy')),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** RSS growth at full concurrency over the reading before the run. */
export function slowStreamGrowthBytes(run: SlowStreamsRun): number {
  return run.atFullConcurrency.rssBytes - run.before.rssBytes;
}

export function slowStreamsTable(runs: SlowStreamsRun[]): string {
  const retained = (snapshot: { retainedBytes?: number | undefined }) =>
    snapshot.retainedBytes === undefined ? 'n/a' : mebibytes(snapshot.retainedBytes);
  return formatMarkdownTable(
    [
      'Target',
      'run',
      'open at once',
      'in flight',
      'completed',
      'dropped',
      'first token p50 / p99 ms',
      'RSS before MiB',
      'RSS all open MiB',
      'growth MiB',
      'KiB/stream',
      'RSS peak MiB',
      'RSS after MiB',
      'heap+external after GC MiB',
    ],
    runs.map((run) => [
      TARGET_LABELS[run.target],
      String(run.run),
      `${run.opened.openNow} of ${run.result.count}`,
      String(run.opened.inFlight),
      String(run.result.completed),
      String(run.result.dropped),
      `${formatNumber(run.opened.firstContentP50Ms, 0)} / ${formatNumber(run.opened.firstContentP99Ms, 0)}`,
      mebibytes(run.before.rssBytes),
      mebibytes(run.atFullConcurrency.rssBytes),
      formatSigned(slowStreamGrowthBytes(run) / MIB, 1),
      formatNumber(slowStreamGrowthBytes(run) / 1024 / Math.max(1, run.opened.inFlight), 1),
      mebibytes(run.peakRssBytes),
      mebibytes(run.after.rssBytes),
      retained(run.after),
    ]),
    [
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
    ],
  );
}

/** The first failure of each run that dropped streams, so a reader sees why. */
export function slowStreamsFailures(runs: SlowStreamsRun[]): string[] {
  return runs
    .filter((run) => run.result.firstFailure !== undefined)
    .map(
      (run) =>
        `- ${TARGET_LABELS[run.target]}, run ${run.run}: first failure: ${run.result.firstFailure}`,
    );
}
