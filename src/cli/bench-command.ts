import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { BenchReport, BenchTarget } from '../stream-bench/bench-types.ts';
import { buildBenchReport } from '../stream-bench/build-bench-report.ts';
import { createBenchClient } from '../stream-bench/create-bench-client.ts';
import { createProgressDisplay } from '../stream-bench/create-progress-display.ts';
import { formatBenchCsv } from '../stream-bench/format-bench-csv.ts';
import { formatBenchJson } from '../stream-bench/format-bench-json.ts';
import { formatBenchTable } from '../stream-bench/format-bench-table.ts';
import {
  type BenchOutputFormat,
  type BenchSettings,
  parseBenchOptions,
  type RawBenchOptions,
} from '../stream-bench/parse-bench-options.ts';
import { runStreamBench } from '../stream-bench/run-stream-bench.ts';
import {
  type SimulatedBenchTargets,
  startSimulatedBenchTargets,
} from '../stream-bench/start-simulated-bench-targets.ts';

/** The exit status of a run stopped by Ctrl-C, as shells report SIGINT. */
const INTERRUPTED_EXIT_CODE = 130;

/**
 * `shepherd bench`: streams answers of several lengths from an OpenAI-compatible endpoint (or a
 * gateway and its upstream side by side, or the bundled simulator behind a temporary gateway) and
 * prints time to first token, total time and throughput. Progress goes to stderr, the table to stdout.
 */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(
      'streaming benchmark: time to first token, total time and tokens/s per answer length',
    )
    .option('--base-url <url>', 'OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1')
    .option('--api-key <key>', 'API key for --base-url (sent as Authorization: Bearer)')
    .option('--model <id>', `model to ask (with --simulator default: gpt-4.1)`)
    .option('--lengths <tokens>', 'answer lengths in tokens, comma-separated', '200,500,1000,2000')
    .option('--runs <n>', 'requests per length and target', '3')
    .option('--concurrency <n>', 'requests in flight at once', '1')
    .option('--timeout <seconds>', 'limit for each request, body included', '120')
    .option('--out <file>', 'also write the results to a .csv or .json file')
    .option('-f, --format <format>', 'what stdout gets: table, csv or json', 'table')
    .option(
      '--compare-direct <url>',
      'send the same requests straight to this upstream base URL too',
    )
    .option('--direct-api-key <key>', 'API key for --compare-direct (default: --api-key)')
    .option('--direct-model <id>', 'model name for the direct requests (default: --model)')
    .option('--simulator', 'start the bundled simulator and a gateway in front of it; compare both')
    .option('--latency <profile>', 'with --simulator: realistic (default) or instant')
    // Tests and quick checks: one fast profile for every model, e.g. ttft=20,tps=2000.
    .addOption(new Option('--simulator-profile <profile>').hideHelp())
    .action(async (raw: RawBenchOptions) => {
      process.exitCode = await runBench(parseBenchOptions(raw));
    });
}

async function runBench(settings: BenchSettings): Promise<number> {
  const interrupt = new AbortController();
  const onInterrupt = () => {
    if (interrupt.signal.aborted) process.exit(INTERRUPTED_EXIT_CODE);
    process.stderr.write('\nstopping (Ctrl-C again to quit at once)\n');
    interrupt.abort();
  };
  process.on('SIGINT', onInterrupt);
  const client = createBenchClient({ timeoutMs: settings.timeoutMs });
  let simulated: SimulatedBenchTargets | undefined;
  try {
    let targets: readonly BenchTarget[];
    let upstream: string | null = null;
    if (settings.source.kind === 'simulator') {
      simulated = await startSimulatedBenchTargets(settings.source);
      targets = simulated.targets;
      upstream = simulated.upstream;
    } else targets = settings.source.targets;

    const progress = createProgressDisplay(process.stderr);
    const startedAt = new Date();
    const outcome = await runStreamBench({
      targets,
      lengths: settings.lengths,
      runs: settings.runs,
      concurrency: settings.concurrency,
      signal: interrupt.signal,
      send: client.send,
      onWarmup: (target) => progress.warmingUp(target),
      onRunsStart: (total) => progress.runsStarting(total),
      onSample: (sample, done, total) => progress.completed(sample, done, total),
    }).finally(() => progress.finish());
    if (outcome.interrupted && outcome.samples.length === 0) {
      process.stderr.write('interrupted before any request finished\n');
      return INTERRUPTED_EXIT_CODE;
    }
    const report = buildBenchReport({ settings, targets, upstream, startedAt, outcome });
    process.stdout.write(render(report, settings.format));
    if (settings.out !== undefined) {
      await writeFile(settings.out.path, render(report, settings.out.format));
      process.stderr.write(`wrote ${settings.out.path}\n`);
    }
    if (outcome.interrupted) return INTERRUPTED_EXIT_CODE;
    return report.samples.every((sample) => sample.ok) ? 0 : 1;
  } finally {
    process.off('SIGINT', onInterrupt);
    await client.close();
    await simulated?.close();
  }
}

function render(report: BenchReport, format: BenchOutputFormat): string {
  switch (format) {
    case 'csv':
      return formatBenchCsv(report);
    case 'json':
      return formatBenchJson(report);
    case 'table':
      return formatBenchTable(report);
  }
}
