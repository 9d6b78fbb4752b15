import type { BenchReport, BenchTarget } from './bench-types.ts';
import type { BenchSettings } from './parse-bench-options.ts';
import type { StreamBenchOutcome } from './run-stream-bench.ts';
import { summarizeBenchSamples } from './summarize-bench-samples.ts';

/** Puts a finished (or interrupted) run together with its settings and summary for the formatters. */
export function buildBenchReport(options: {
  settings: BenchSettings;
  targets: readonly BenchTarget[];
  upstream: string | null;
  startedAt: Date;
  outcome: StreamBenchOutcome;
}): BenchReport {
  const { settings, targets, outcome } = options;
  const { rows, shares } = summarizeBenchSamples({
    samples: outcome.samples,
    lengths: settings.lengths,
    targets: targets.map((target) => target.name),
  });
  return {
    startedAt: options.startedAt.toISOString(),
    settings: {
      lengths: settings.lengths,
      runs: settings.runs,
      concurrency: settings.concurrency,
      timeoutMs: settings.timeoutMs,
    },
    targets: targets.map((target) => ({
      name: target.name,
      baseUrl: target.baseUrl,
      model: target.model,
    })),
    upstream: options.upstream,
    rows,
    shares,
    samples: outcome.samples,
    interrupted: outcome.interrupted,
  };
}
