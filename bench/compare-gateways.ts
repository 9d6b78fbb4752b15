/**
 * Compares two builds of the gateway, or one build under two sets of node flags, on one bench
 * phase, paired round by round:
 *
 *   node --import tsx bench/compare-gateways.ts --base <git revision> [--phase openai-stream]
 *     [--rounds 10] [--window-ms 1500] [--base-flags="<node flags>"] [--flags="<node flags>"]
 *
 * "change" is this working tree (built by `npm run build:server`, as the bench builds it), "base"
 * is the revision given (its src/ bundled the same way; without `--base`, this working tree too,
 * for comparing flags). Both run side by side for the whole comparison, as the bench runs the
 * gateway (everything on, pinned to CPU 1, the simulator and the load generator on CPU 0), and
 * every round measures both, in alternating order, one right after the other. What a round reads
 * drifts by far more than a small change on a shared VM (20–40 µs per request between rounds of
 * one `npm run bench`), but two windows a few seconds apart drift together: the per-round ratio
 * change ÷ base, its median and how many rounds the change won (a sign test) show changes of a
 * few percent that the suite's medians cannot. The BENCH_* knobs of the phase apply
 * (BENCH_STREAM_TOKENS, BENCH_GATEWAY_BILLING, …). Nothing is written to docs/benchmarks.md.
 *
 * Measures: CPU µs per request (`requests`, `latency` reads time instead: its p50, ms), CPU µs
 * per content chunk (`openai-stream`, `anthropic-stream`), time to first token p50, ms
 * (`openai-ttft`, `anthropic-ttft`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BenchPhase, buildBenchPhases, type TargetEndpoint } from './build-bench-phases.ts';
import { buildBenchPrograms } from './child/build-bench-programs.ts';
import { buildGatewayAtRevision } from './child/build-gateway-at-revision.ts';
import { createChildGroup } from './child/create-child-group.ts';
import type { BenchChild } from './child/spawn-bench-child.ts';
import { measurePhase, type PhaseMeasurement } from './measure/measure-phase.ts';
import { median } from './measure/statistics.ts';
import { readBenchSettings } from './read-bench-settings.ts';
import { formatMarkdownTable, formatNumber } from './report/format-markdown-table.ts';
import { startGatewayTarget } from './servers/start-gateway-target.ts';

const HARD_LIMIT_MS = 900_000;
const COMPARED_PHASES = [
  'requests',
  'openai-stream',
  'anthropic-stream',
  'openai-ttft',
  'anthropic-ttft',
  'latency',
];

interface Contender {
  label: 'base' | 'change';
  child: BenchChild;
  phase: BenchPhase;
  readings: number[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      phase: { type: 'string', default: 'openai-stream' },
      rounds: { type: 'string', default: '10' },
      'window-ms': { type: 'string', default: '1500' },
      'base-flags': { type: 'string', default: '' },
      flags: { type: 'string', default: '' },
    },
  });
  const phaseId = values.phase;
  if (!COMPARED_PHASES.includes(phaseId)) {
    throw new Error(`--phase must be one of ${COMPARED_PHASES.join(', ')}`);
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 2 || rounds > 40) throw new Error('--rounds: 2–40');
  const settings = readBenchSettings({
    ...process.env,
    BENCH_ONLY: phaseId,
    BENCH_WINDOW_MS: values['window-ms'],
  });
  const dataDirectory = mkdtempSync(join(tmpdir(), 'shepherd-compare-'));
  const children = createChildGroup();
  const cleanUpNow = () => {
    children.killAll();
    rmSync(dataDirectory, { recursive: true, force: true });
  };
  process.once('exit', cleanUpNow);
  const watchdog = setTimeout(() => {
    cleanUpNow();
    process.exit(1);
  }, HARD_LIMIT_MS);
  watchdog.unref();
  try {
    const programs = await buildBenchPrograms();
    const baseScript =
      values.base === undefined ? programs.gateway : await buildGatewayAtRevision(values.base);
    const [upstream, loadGenerator] = await Promise.all([
      children.spawn({
        name: 'upstream simulator',
        script: programs.script('servers/simulator-child.ts'),
        cpus: '0',
      }),
      children.spawn({
        name: 'load generator',
        script: programs.script('load/load-generator-child.ts'),
        cpus: '0',
      }),
    ]);
    const upstreamUrl = upstream.info.url ?? '';
    const contender = async (
      label: Contender['label'],
      script: string,
      flags: string,
    ): Promise<Contender> => {
      const child = await startGatewayTarget({
        children,
        programs,
        name: `gateway (${label})`,
        fileName: label,
        upstreamUrl,
        dataDirectory,
        billing: settings.gatewayBilling,
        cpus: '1',
        nodeFlags: flags.split(/\s+/).filter(Boolean),
        script,
      });
      const endpoint: TargetEndpoint = {
        origin: child.info.url ?? '',
        ...(child.info.apiKey === undefined ? {} : { apiKey: child.info.apiKey }),
      };
      const [phase] = buildBenchPhases(settings, { gateway: endpoint });
      if (phase === undefined) throw new Error(`no phase ${phaseId}`);
      return { label, child, phase, readings: [] };
    };
    const base = await contender('base', baseScript, values['base-flags']);
    const change = await contender('change', programs.gateway, values.flags);
    const measure = async (which: Contender) =>
      readingOf(
        await measurePhase({
          phase: which.phase,
          target: 'gateway',
          processUnderTest: which.child,
          loadGenerator,
        }),
        which.phase,
      );
    // One discarded round: both processes compile their hot paths before anything counts.
    await measure(base);
    await measure(change);
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? [base, change] : [change, base];
      for (const which of order) which.readings.push(await measure(which));
      process.stderr.write(`[compare] round ${round + 1}/${rounds}\n`);
    }
    process.stdout.write(
      report(phaseId, base, change, {
        base: values.base ?? 'this working tree',
        baseFlags: values['base-flags'],
        flags: values.flags,
      }),
    );
  } finally {
    await children.stopAll().catch(() => undefined);
    cleanUpNow();
    clearTimeout(watchdog);
  }
}

/** What a round reads of one contender, in the phase's unit (`unitOf`). */
function readingOf(measurement: PhaseMeasurement, phase: BenchPhase): number {
  if (phase.kind === 'streams') return measurement.cpuMicros / measurement.contentChunks;
  if (phase.kind === 'requests') return measurement.cpuMicros / measurement.completed;
  return median(measurement.samplesMs);
}

function unitOf(phase: BenchPhase): string {
  if (phase.kind === 'streams') return 'CPU µs per chunk';
  if (phase.kind === 'requests') return 'CPU µs per request';
  if (phase.kind === 'first-token') return 'time to first token p50, ms';
  return 'latency p50, ms';
}

function report(
  phaseId: string,
  base: Contender,
  change: Contender,
  described: { base: string; baseFlags: string; flags: string },
): string {
  const ratios = base.readings.map((reading, round) => (change.readings[round] ?? 0) / reading);
  const wins = ratios.filter((ratio) => ratio < 1).length;
  const losses = ratios.filter((ratio) => ratio > 1).length;
  const rows = base.readings.map((reading, round) => [
    String(round + 1),
    formatNumber(reading, 3),
    formatNumber(change.readings[round] ?? Number.NaN, 3),
    `${formatNumber(ratios[round] ?? Number.NaN, 3)}×`,
  ]);
  const unit = unitOf(base.phase);
  return [
    `${phaseId}: ${unit}; base = ${described.base}${described.baseFlags === '' ? '' : ` with ${described.baseFlags}`}, change = this working tree${described.flags === '' ? '' : ` with ${described.flags}`}`,
    '',
    formatMarkdownTable(['round', 'base', 'change', 'change ÷ base'], rows, [
      'right',
      'right',
      'right',
      'right',
    ]),
    '',
    `Medians: base ${formatNumber(median(base.readings), 3)}, change ${formatNumber(median(change.readings), 3)}; ratio change ÷ base, median over rounds: ${formatNumber(median(ratios), 3)}× (lowest ${formatNumber(Math.min(...ratios), 3)}, highest ${formatNumber(Math.max(...ratios), 3)}).`,
    `The change read lower in ${wins} of ${ratios.length} rounds and higher in ${losses}; two-sided sign test p = ${formatNumber(signTestP(wins, losses), 3)}.`,
    '',
  ].join('\n');
}

/** Two-sided sign test: how likely a split at least this uneven is when neither side is better. */
export function signTestP(wins: number, losses: number): number {
  const trials = wins + losses;
  if (trials === 0) return 1;
  const fewer = Math.min(wins, losses);
  let tail = 0;
  let choose = 1;
  for (let k = 0; k <= fewer; k += 1) {
    if (k > 0) choose = (choose * (trials - k + 1)) / k;
    tail += choose;
  }
  return Math.min(1, (2 * tail) / 2 ** trials);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `compare failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
