import { nearestRank } from '../reports/nearest-rank.ts';
import type {
  BenchRow,
  BenchSample,
  BenchTargetName,
  Distribution,
  GatewayShare,
  StreamMeasurement,
} from './bench-types.ts';

/**
 * The table's rows, one per length and target in the order given, and, when both a gateway and a
 * direct target were measured, the gateway's share per length (gateway − direct of each statistic).
 */
export function summarizeBenchSamples(options: {
  samples: readonly BenchSample[];
  lengths: readonly number[];
  targets: readonly BenchTargetName[];
}): { rows: BenchRow[]; shares: GatewayShare[] } {
  const rows = options.lengths.flatMap((length) =>
    options.targets.map((target) =>
      summarizeRow(
        target,
        length,
        options.samples.filter((sample) => sample.target === target && sample.length === length),
      ),
    ),
  );
  const shares: GatewayShare[] = [];
  for (const length of options.lengths) {
    const gateway = rows.find((row) => row.target === 'gateway' && row.length === length);
    const direct = rows.find((row) => row.target === 'direct' && row.length === length);
    if (gateway === undefined || direct === undefined) continue;
    const ttftMs = subtract(gateway.ttftMs, direct.ttftMs);
    const totalMs = subtract(gateway.totalMs, direct.totalMs);
    if (ttftMs !== null && totalMs !== null) shares.push({ length, ttftMs, totalMs });
  }
  return { rows, shares };
}

function summarizeRow(
  target: BenchTargetName,
  length: number,
  samples: readonly BenchSample[],
): BenchRow {
  const measured: StreamMeasurement[] = samples.flatMap((sample) =>
    sample.ok ? [sample.measurement] : [],
  );
  const sources = new Set(measured.map((measurement) => measurement.tokensFrom));
  // Rates need time after the first token: an answer that arrived in one read has none.
  const generating = measured.filter((measurement) => measurement.totalMs > measurement.ttftMs);
  const seconds = (measurement: StreamMeasurement) =>
    (measurement.totalMs - measurement.ttftMs) / 1000;
  return {
    target,
    length,
    requests: samples.length,
    succeeded: measured.length,
    completionTokensAvg: mean(measured.map((measurement) => measurement.completionTokens)),
    tokensFrom: sources.size === 0 ? null : sources.size > 1 ? 'mixed' : ([...sources][0] ?? null),
    ttftMs: distribution(measured.map((measurement) => measurement.ttftMs)),
    totalMs: distribution(measured.map((measurement) => measurement.totalMs)),
    tokensPerSecondAvg: mean(generating.map((m) => m.completionTokens / seconds(m))),
    chunksPerSecondAvg: mean(generating.map((m) => m.tokenChunks / seconds(m))),
  };
}

/** Mean and nearest-rank p50/p95; null for no values. */
function distribution(values: readonly number[]): Distribution | null {
  const sorted = [...values].sort((a, b) => a - b);
  const avg = mean(sorted);
  const p50 = nearestRank(sorted, 50);
  const p95 = nearestRank(sorted, 95);
  if (avg === null || p50 === undefined || p95 === undefined) return null;
  return { avg, p50, p95 };
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function subtract(left: Distribution | null, right: Distribution | null): Distribution | null {
  if (left === null || right === null) return null;
  return { avg: left.avg - right.avg, p50: left.p50 - right.p50, p95: left.p95 - right.p95 };
}
