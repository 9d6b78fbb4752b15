import type { BenchReport, Distribution } from './bench-types.ts';
import { roundFigure } from './round-figure.ts';

/**
 * The whole run as JSON text: settings, targets, the summary rows, the gateway's share per length
 * and every request (`samples`), times in milliseconds rounded to three decimals.
 */
export function formatBenchJson(report: BenchReport): string {
  const json = {
    startedAt: report.startedAt,
    interrupted: report.interrupted,
    settings: report.settings,
    targets: report.targets,
    upstream: report.upstream,
    rows: report.rows.map((row) => ({
      ...row,
      completionTokensAvg: roundFigure(row.completionTokensAvg),
      ttftMs: rounded(row.ttftMs),
      totalMs: rounded(row.totalMs),
      tokensPerSecondAvg: roundFigure(row.tokensPerSecondAvg),
      chunksPerSecondAvg: roundFigure(row.chunksPerSecondAvg),
    })),
    gatewayShares: report.shares.map((share) => ({
      length: share.length,
      ttftMs: rounded(share.ttftMs),
      totalMs: rounded(share.totalMs),
    })),
    samples: report.samples.map((sample) =>
      sample.ok
        ? {
            ...sample,
            measurement: {
              ...sample.measurement,
              ttftMs: roundFigure(sample.measurement.ttftMs),
              totalMs: roundFigure(sample.measurement.totalMs),
            },
          }
        : sample,
    ),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function rounded(value: Distribution | null): Distribution | null {
  if (value === null) return null;
  return { avg: round(value.avg), p50: round(value.p50), p95: round(value.p95) };
}

function round(value: number): number {
  return roundFigure(value) ?? value;
}
