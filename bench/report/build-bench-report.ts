import {
  INSTANT_OPENAI_MODEL,
  SLOW_STREAM_TOKEN_INTERVAL_MS,
  SLOW_STREAM_TOKENS,
  TIME_TO_FIRST_TOKEN_MS,
} from '../bench-models.ts';
import type { BenchPhase } from '../build-bench-phases.ts';
import type { IdleMemory } from '../measure/measure-idle-memory.ts';
import type { SlowStreamsRun } from '../measure/measure-slow-streams.ts';
import type { PhaseRounds } from '../measure/summarize-measurements.ts';
import type { BenchSettings } from '../read-bench-settings.ts';
import {
  billingTable,
  failoverTable,
  latencyTable,
  mebibytes,
  memoryTable,
  requestsTable,
  slowStreamsFailures,
  slowStreamsTable,
  streamsTable,
} from './bench-report-tables.ts';
import { checkTargets } from './check-bench-targets.ts';
import type { MachineDescription } from './describe-machine.ts';
import { formatMarkdownTable, formatSigned } from './format-markdown-table.ts';

export interface MeasuredPhase {
  phase: BenchPhase;
  rounds: PhaseRounds;
}

/** What became of the Portkey peer in this run. */
export type PeerOutcome =
  | {
      state: 'measured';
      gatewayVersion: string;
      nodeServerVersion: string;
      directory: string;
      reused: boolean;
    }
  | { state: 'skipped'; reason: string }
  | { state: 'off' };

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
  peer: PeerOutcome;
  /** The gateway's log level and the bytes of request logs it wrote during the run. */
  gatewayLogging: { level: string; bytes: number } | undefined;
  /** The node flags the gateway ran with: those of package.json's `start` script. */
  gatewayNodeFlags: string[];
  idleMemory: IdleMemory[];
  slowStreams: SlowStreamsRun[];
  /** The load generator and upstream simulator could use both CPUs during the slow streams. */
  slowStreamsHelpersWidened: boolean;
  /** Why the slow-streams phase did not run in full, when it did not. */
  slowStreamsNote?: string;
  /** Share of the machine's CPU time the hypervisor gave to other guests during the run. */
  stealShare: number | undefined;
}

/** Steal time: a busy host slows every process alike, and their CPU time grows with it. */
function stealText(share: number | undefined): string {
  if (share === undefined) return 'steal time not read (no /proc/stat)';
  const percent = (share * 100).toFixed(1);
  return share >= 0.01
    ? `steal time ${percent} % during the run (the host was busy: CPU figures read high and are not comparable with runs without)`
    : `steal time ${percent} % during the run`;
}

function section(measured: MeasuredPhase[], render: (measured: MeasuredPhase[]) => string[]) {
  return measured.length === 0 ? [] : render(measured);
}

function peerLine(peer: PeerOutcome): string {
  if (peer.state === 'off') return '- Peer: Portkey left out (`BENCH_PORTKEY=off`)';
  if (peer.state === 'skipped') return `- Peer: Portkey skipped: ${peer.reason}`;
  return `- Peer: Portkey gateway \`@portkey-ai/gateway@${peer.gatewayVersion}\` with \`@hono/node-server@${peer.nodeServerVersion}\` (npm, ${peer.reused ? 'cached install reused' : 'installed for this run'} in \`${peer.directory}\`), run as its CLI runs (\`node build/start-server.js --port=N --headless\`, a preload binding it to 127.0.0.1), told the upstream per request with \`x-portkey-provider\` and \`x-portkey-custom-host: <simulator>/v1\`; its CPU and RSS are read from /proc (it speaks no bench IPC; CPU in 10 ms ticks)`;
}

function gatewayLine(outcome: BenchOutcome): string {
  const logging =
    outcome.gatewayLogging === undefined
      ? 'request logs on'
      : `request logs at \`${outcome.gatewayLogging.level}\` serialized and written to stdout, a file (${mebibytes(outcome.gatewayLogging.bytes)} MiB in this run)`;
  const command = ['node', ...outcome.gatewayNodeFlags, 'dist/shepherd.mjs start --config <file>'];
  return `- Gateway: run as \`npm start\` runs it (\`${command.join(' ')}\`, built by \`npm run build:server\`), everything on: API-key auth (SQLite, WAL), billing (hold + settle + usage row), Prometheus metrics, ${logging}${outcome.settings.gatewayBilling ? '' : '; billing OFF for this run (`BENCH_GATEWAY_BILLING=off`)'}`;
}

function roundsLine(outcome: BenchOutcome): string {
  const { settings } = outcome;
  if (outcome.phases.length === 0) return '- Rounds: none (only the slow-streams phase ran)';
  return `- Rounds: ${outcome.measuredRounds} measured${outcome.stoppedEarly ? ` (of ${settings.rounds} asked: stopped early to stay within the time budget)` : ''} after ${settings.warmupRounds} discarded warm-up (whole windows, a quarter of each sample count), interleaved direct → proxy → gateway → Portkey (billing phase: billing off → on); every figure is the median over rounds, ratios are medians of per-round ratios`;
}

function slowStreamsSection(outcome: BenchOutcome): string[] {
  if (outcome.slowStreams.length === 0 && outcome.slowStreamsNote === undefined) return [];
  const failures = slowStreamsFailures(outcome.slowStreams);
  const gatewayRuns = outcome.slowStreams.filter((run) => run.target === 'gateway');
  const [first, second] = gatewayRuns;
  const leak =
    first !== undefined && second !== undefined
      ? `Gateway, run 2 − run 1: heap + external after GC ${formatSigned(((second.after.retainedBytes ?? Number.NaN) - (first.after.retainedBytes ?? Number.NaN)) / 1024 / 1024, 2)} MiB, RSS all open ${formatSigned((second.atFullConcurrency.rssBytes - first.atFullConcurrency.rssBytes) / 1024 / 1024, 1)} MiB, RSS after ${formatSigned((second.after.rssBytes - first.after.rssBytes) / 1024 / 1024, 1)} MiB.`
      : '';
  return [
    `### ${outcome.settings.slowStreams} concurrent slow streams (one token every ${SLOW_STREAM_TOKEN_INTERVAL_MS} ms, ${SLOW_STREAM_TOKENS} tokens: about ${((SLOW_STREAM_TOKENS * SLOW_STREAM_TOKEN_INTERVAL_MS) / 1_000).toFixed(0)} s each)`,
    '',
    'All streams are started within about 5 s (100 every 100 ms), one per client connection. "open at once" counts the streams that had received content and were still running when the last one received its first chunk (or 11 s after the start); "in flight" those started and not ended then, content flowing or not. The target\'s RSS is read at that moment ("all open"; growth is over the reading before the run, KiB per stream is growth ÷ streams in flight), sampled every 250 ms for the peak, and read before and after the run (both after a forced garbage collection, the after-reading once every stream has ended and its connection is closed). A stream is completed when it delivered every content chunk; one that failed, ended short, or was still running 18 s after it started is dropped. The gateway runs twice in a row: the second run is the leak check. The phase runs after the rounds, so every process has been through the same load first.',
    '',
    ...(outcome.slowStreamsHelpersWidened
      ? [
          'Memory and drops are measured here, not CPU: the process under test stays on CPU 1, while the load generator and the upstream simulator may use both CPUs.',
          '',
        ]
      : []),
    ...(outcome.slowStreams.length === 0 ? [] : [slowStreamsTable(outcome.slowStreams), '']),
    ...(failures.length === 0 ? [] : [...failures, '']),
    ...(leak === '' ? [] : [leak, '']),
    ...(outcome.slowStreamsNote === undefined ? [] : [`Note: ${outcome.slowStreamsNote}`, '']),
  ];
}

/** The run as Markdown: setup, the tables and the targets, met or missed. */
export function buildBenchReport(outcome: BenchOutcome): string {
  const { settings, machine, phases } = outcome;
  const ofKind = (kind: BenchPhase['kind']) => phases.filter(({ phase }) => phase.kind === kind);
  const requests = ofKind('requests');
  const targets = checkTargets(phases, outcome.idleMemory, outcome.slowStreams);
  const lines = [
    `## Run ${outcome.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `- Command: \`${outcome.command}\` (${outcome.elapsedSeconds.toFixed(0)} s)`,
    `- Machine: ${machine.cores} cores (\`nproc\`), ${machine.cpuModel}, ${machine.totalMemoryGiB.toFixed(1)} GiB RAM, Node ${machine.nodeVersion}, load average ${machine.loadAverage.toFixed(2)} at start, ${stealText(outcome.stealShare)}`,
    `- Placement: ${
      outcome.pinned
        ? 'each process under test pinned to CPU 1; load generator and upstream simulator on CPU 0 (`taskset`)'
        : 'not pinned (taskset unavailable)'
    }`,
    gatewayLine(outcome),
    peerLine(outcome.peer),
    roundsLine(outcome),
    '',
    ...requests.flatMap((measured) => [
      `### ${measured.phase.title}`,
      '',
      `Window ${settings.windowMs} ms per target and round. CPU = user + system time of the process under test ÷ requests completed.`,
      '',
      requestsTable(measured),
      '',
    ]),
    ...(outcome.idleMemory.length === 0
      ? []
      : [
          '### Resident set (RSS)',
          '',
          `Idle: after start-up and a short warm-up (100 non-streaming and 10 streaming requests at concurrency 1), before any load, no forced garbage collection. Under load: the highest RSS sampled every 100 ms during the non-streaming window${requests.length === 0 ? ' (not measured: the requests phase did not run)' : ''}, median over rounds.`,
          '',
          memoryTable(outcome.idleMemory, requests[0]),
          '',
        ]),
    ...section(ofKind('streams'), (measured) => [
      `### Streaming CPU per chunk (${settings.streamTokens}-token answers, ${settings.streams} concurrent streams, upstream paced at 1 000 tokens/s)`,
      '',
      'A chunk is a frame carrying answer text as the client receives it (OpenAI `delta.content`, Anthropic `text_delta`). On `anthropic-stream` the direct and proxy targets are sent the Anthropic request itself, the gateways (Shepherd, Portkey) the OpenAI one they translate.',
      '',
      streamsTable(measured),
      '',
    ]),
    ...section(ofKind('first-token'), (measured) => [
      `### Time to first token at concurrency 1 (simulator: ${TIME_TO_FIRST_TOKEN_MS} ms to first token, ${settings.ttftSamples} requests per target and round)`,
      '',
      'From sending the request to receiving the first content chunk at the client. "added" is the target\'s percentile minus the direct percentile of the same round; "− proxy" is what the target adds over the floor.',
      '',
      latencyTable(measured, 'TTFT'),
      '',
    ]),
    ...section(ofKind('latency'), (measured) =>
      measured.flatMap((entry) => [
        `### ${entry.phase.title}`,
        '',
        `${settings.latencySamples} requests per target and round, one at a time, each timed from sending it to the end of the response body. "added" is the target's percentile minus the direct percentile of the same round; "− proxy" is what the target adds over the floor.`,
        '',
        latencyTable([entry], 'latency'),
        '',
      ]),
    ),
    ...section(ofKind('billing'), (measured) =>
      measured.flatMap(({ phase, rounds }) => [
        `### ${phase.title}`,
        '',
        `Window ${settings.windowMs} ms per target and round; each round measures billing off, then on. The same gateway code in two processes that serve only this phase (so both idle alike through the rest of a round), each on its own SQLite file (WAL): billing on holds the worst case before the upstream call and settles after it (one transaction each, the second also writing the usage row); billing off (\`billing.enabled: false\`) never touches the ledger. CPU = user + system time of the gateway process ÷ requests completed.`,
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
    ...slowStreamsSection(outcome),
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
