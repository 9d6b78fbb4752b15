import { INSTANT_OPENAI_MODEL, TIME_TO_FIRST_TOKEN_MS } from '../bench-models.ts';
import type { BenchPhase, TargetName } from '../build-bench-phases.ts';
import {
  gatewayOverProxyMs,
  type PhaseRounds,
  summarizeBilling,
  summarizeFailover,
  summarizeFirstToken,
  summarizeRequests,
  summarizeStreams,
} from '../measure/summarize-measurements.ts';
import type { BenchSettings } from '../read-bench-settings.ts';
import type { MachineDescription } from './describe-machine.ts';
import { formatMarkdownTable, formatNumber, formatSigned } from './format-markdown-table.ts';

export interface MeasuredPhase {
  phase: BenchPhase;
  rounds: PhaseRounds;
}

export interface BenchOutcome {
  startedAt: Date;
  elapsedSeconds: number;
  command: string;
  settings: BenchSettings;
  machine: MachineDescription;
  /** Whether processes were pinned with taskset. */
  pinned: boolean;
  phases: MeasuredPhase[];
  measuredRounds: number;
  stoppedEarly: boolean;
}

export interface TargetCheck {
  description: string;
  measured: string;
  met: boolean;
}

/** Targets of the first performance issue. */
export const MAX_CPU_RATIO_TO_PROXY = 1.5;
export const MAX_ADDED_TTFT_P50_MS = 0.3;
/** Billing (reserve + settle + usage row on a SQLite file) may add at most this much CPU. */
export const MAX_BILLING_CPU_RATIO = 1.25;
/** A failover before the first byte may add at most this beyond the failed attempt's own time. */
export const MAX_FAILOVER_ADDED_P50_MS = 1;

const TARGET_LABELS: Record<TargetName, string> = {
  direct: 'direct (simulator)',
  proxy: 'proxy (floor)',
  gateway: 'gateway (Shepherd)',
  unbilled: 'gateway, billing off',
};

function billingTable(rounds: PhaseRounds): string {
  return formatMarkdownTable(
    ['Target', 'req/s', 'CPU µs/req', 'core use', 'CPU ÷ billing off'],
    summarizeBilling(rounds).map((row) => [
      row.target === 'gateway' ? 'gateway, billing on' : TARGET_LABELS[row.target],
      formatNumber(row.requestsPerSecond, 0),
      formatNumber(row.cpuMicrosPerRequest, 1),
      `${formatNumber(row.coreUse * 100, 0)} %`,
      `${formatNumber(row.cpuRatioToUnbilled, 2)}×`,
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

function requestsTable(rounds: PhaseRounds): string {
  return formatMarkdownTable(
    ['Target', 'req/s', 'CPU µs/req', 'core use', 'CPU ÷ proxy'],
    summarizeRequests(rounds).map((row) => [
      TARGET_LABELS[row.target],
      formatNumber(row.requestsPerSecond, 0),
      formatNumber(row.cpuMicrosPerRequest, 1),
      `${formatNumber(row.coreUse * 100, 0)} %`,
      `${formatNumber(row.cpuRatioToProxy, 2)}×`,
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

function streamsTable(phases: MeasuredPhase[]): string {
  const rows = phases.flatMap(({ phase, rounds }) =>
    summarizeStreams(rounds).map((row) => [
      phase.id,
      TARGET_LABELS[row.target],
      formatNumber(row.cpuMicrosPerChunk, 2),
      formatNumber(row.chunksPerSecond, 0),
      formatNumber(row.chunksPerStream, 0),
      `${formatNumber(row.coreUse * 100, 0)} %`,
      `${formatNumber(row.cpuRatioToProxy, 2)}×`,
    ]),
  );
  return formatMarkdownTable(
    ['Path', 'Target', 'CPU µs/chunk', 'chunks/s', 'chunks/stream', 'core use', 'CPU ÷ proxy'],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
  );
}

function firstTokenTable(phases: MeasuredPhase[]): string {
  const rows = phases.flatMap(({ phase, rounds }) =>
    summarizeFirstToken(rounds).map((row) => [
      phase.id,
      TARGET_LABELS[row.target],
      formatNumber(row.p50Ms, 2),
      formatNumber(row.p99Ms, 2),
      formatSigned(row.addedP50Ms, 3),
      formatSigned(row.addedP99Ms, 3),
      row.target === 'gateway' ? formatSigned(gatewayOverProxyMs(rounds, 50), 3) : '',
      row.target === 'gateway' ? formatSigned(gatewayOverProxyMs(rounds, 99), 3) : '',
    ]),
  );
  return formatMarkdownTable(
    [
      'Path',
      'Target',
      'TTFT p50 ms',
      'TTFT p99 ms',
      'added p50 ms',
      'added p99 ms',
      'gw − proxy p50',
      'gw − proxy p99',
    ],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function failoverTable(rounds: PhaseRounds): string {
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

/** The issue's targets, judged on the medians. */
export function checkTargets(phases: MeasuredPhase[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const { phase, rounds } of phases) {
    if (phase.kind === 'requests') {
      const gateway = summarizeRequests(rounds).find((row) => row.target === 'gateway');
      const ratio = gateway?.cpuRatioToProxy ?? Number.NaN;
      checks.push({
        description: `CPU per non-streaming request ≤ ${MAX_CPU_RATIO_TO_PROXY}× the proxy's (${phase.id})`,
        measured: `${formatNumber(ratio, 2)}×`,
        met: ratio <= MAX_CPU_RATIO_TO_PROXY,
      });
    }
    if (phase.kind === 'billing') {
      const billed = summarizeBilling(rounds).find((row) => row.target === 'gateway');
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
      const added = gatewayOverProxyMs(rounds, 50);
      checks.push({
        description: `Added time to first token p50 ≤ ${MAX_ADDED_TTFT_P50_MS} ms over the proxy (${phase.id})`,
        measured: `${formatSigned(added, 3)} ms`,
        met: added <= MAX_ADDED_TTFT_P50_MS,
      });
    }
  }
  return checks;
}

function section(measured: MeasuredPhase[], render: (measured: MeasuredPhase[]) => string[]) {
  return measured.length === 0 ? [] : render(measured);
}

/** The run as Markdown: setup, the three tables and the targets, met or missed. */
export function buildBenchReport(outcome: BenchOutcome): string {
  const { settings, machine, phases } = outcome;
  const ofKind = (kind: BenchPhase['kind']) => phases.filter(({ phase }) => phase.kind === kind);
  const requests = ofKind('requests');
  const targets = checkTargets(phases);
  const lines = [
    `## Run ${outcome.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `- Command: \`${outcome.command}\` (${outcome.elapsedSeconds.toFixed(0)} s)`,
    `- Machine: ${machine.cores} cores (\`nproc\`), ${machine.cpuModel}, ${machine.totalMemoryGiB.toFixed(1)} GiB RAM, Node ${machine.nodeVersion}, load average ${machine.loadAverage.toFixed(2)} at start`,
    `- Placement: ${
      outcome.pinned
        ? 'process under test pinned to CPU 1; load generator and upstream simulator on CPU 0 (`taskset`)'
        : 'not pinned (taskset unavailable)'
    }`,
    `- Rounds: ${outcome.measuredRounds} measured${outcome.stoppedEarly ? ` (of ${settings.rounds} asked: stopped early to stay within the time budget)` : ''} after ${settings.warmupRounds} discarded warm-up, interleaved direct → proxy → gateway (billing phase: billing off → on); every figure is the median over rounds, ratios are medians of per-round ratios`,
    '',
    ...requests.flatMap(({ phase, rounds }) => [
      `### ${phase.title}`,
      '',
      `Window ${settings.windowMs} ms per target and round. CPU = user + system time of the process under test ÷ requests completed.`,
      '',
      requestsTable(rounds),
      '',
    ]),
    ...section(ofKind('streams'), (measured) => [
      `### Streaming CPU per chunk (${settings.streamTokens}-token answers, ${settings.streams} concurrent streams, upstream paced at 1 000 tokens/s)`,
      '',
      'A chunk is a frame carrying answer text as the client receives it (OpenAI `delta.content`, Anthropic `text_delta`). On `anthropic-stream` the direct and proxy targets are sent the Anthropic request itself, the gateway the OpenAI one it translates.',
      '',
      streamsTable(measured),
      '',
    ]),
    ...section(ofKind('first-token'), (measured) => [
      `### Time to first token at concurrency 1 (simulator: ${TIME_TO_FIRST_TOKEN_MS} ms to first token, ${settings.ttftSamples} requests per target and round)`,
      '',
      'From sending the request to receiving the first content chunk at the client. "added" is the target\'s percentile minus the direct percentile of the same round; "gw − proxy" is what Shepherd adds over the floor.',
      '',
      firstTokenTable(measured),
      '',
    ]),
    ...section(ofKind('billing'), (measured) =>
      measured.flatMap(({ phase, rounds }) => [
        `### ${phase.title}`,
        '',
        `Window ${settings.windowMs} ms per target and round; each round measures billing off, then on. The same gateway code in two processes, each on its own SQLite file (WAL): billing on holds the worst case before the upstream call and settles after it (one transaction each, the second also writing the usage row); billing off (\`billing.enabled: false\`) never touches the ledger. CPU = user + system time of the gateway process ÷ requests completed.`,
        '',
        billingTable(rounds),
        '',
      ]),
    ),
    ...section(ofKind('failover'), (measured) =>
      measured.flatMap(({ phase, rounds }) => [
        `### ${phase.title}`,
        '',
        `${settings.failoverSamples} triples per round, one request at a time, each timed to the end of its response: the answer without failover (\`${INSTANT_OPENAI_MODEL}\` through the gateway), the answer after one failover (every one checked to report \`x-shepherd-attempts: 2\`), and the failed attempt alone (the failing upstream asked directly). "added" = failover − no failover − failed attempt, per round at that percentile, median over rounds: what the retry walk itself costs.`,
        '',
        failoverTable(rounds),
        '',
      ]),
    ),
    '### Targets',
    '',
    formatMarkdownTable(
      ['Target', 'Measured', 'Result'],
      targets.map((check) => [check.description, check.measured, check.met ? 'met' : 'MISSED']),
    ),
    '',
  ];
  return lines.join('\n');
}
