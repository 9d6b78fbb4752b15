import { parseArgs } from 'node:util';
import {
  type BenchPhase,
  buildBenchPhases,
  type PhaseKind,
  type TargetEndpoint,
} from './build-bench-phases.ts';
import { buildBenchPrograms } from './child/build-bench-programs.ts';
import { buildGatewayAtRevision } from './child/build-gateway-at-revision.ts';
import { guardBenchRun, startBenchHelpers } from './child/guard-bench-run.ts';
import type { BenchChild } from './child/spawn-bench-child.ts';
import { measurePhase, type PhaseMeasurement, warmUpstream } from './measure/measure-phase.ts';
import { median } from './measure/statistics.ts';
import { readBenchSettings } from './read-bench-settings.ts';
import { formatMarkdownTable, formatNumber } from './report/format-markdown-table.ts';
import { startGatewayTarget } from './servers/start-gateway-target.ts';

const HARD_LIMIT_MS = 900_000;
/** The phase kinds a pair of gateways can be compared on (billing and failover have their own targets). */
const COMPARED_KINDS: readonly PhaseKind[] = ['requests', 'streams', 'first-token', 'latency'];

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
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 2 || rounds > 40) throw new Error('--rounds: 2–40');
  const settings = readBenchSettings({
    ...process.env,
    BENCH_ONLY: phaseId,
    BENCH_WINDOW_MS: values['window-ms'],
  });
  const [planned] = buildBenchPhases(settings, { gateway: { origin: '' } });
  if (planned === undefined || !COMPARED_KINDS.includes(planned.kind)) {
    throw new Error(
      `--phase: requests, openai-stream, anthropic-stream, openai-ttft, anthropic-ttft or latency, not ${phaseId}`,
    );
  }
  const { children, dataDirectory, cleanUp, disarm } = guardBenchRun(HARD_LIMIT_MS);
  try {
    const programs = await buildBenchPrograms();
    const baseScript =
      values.base === undefined ? programs.gateway : await buildGatewayAtRevision(values.base);
    const { upstreamUrl, loadGenerator } = await startBenchHelpers(children, programs);
    // Before either gateway sees load: the one warmed first against a cold simulator would read
    // 10–25 % more CPU per request in every round (see `warmUpstream`).
    const [upstreamPhase] = buildBenchPhases(settings, { direct: { origin: upstreamUrl } });
    if (upstreamPhase !== undefined)
      await warmUpstream({ phase: upstreamPhase, loadGenerator, times: 2 });
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
    cleanUp();
    disarm();
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
