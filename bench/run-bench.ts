/**
 * Shepherd's performance suite: `npm run bench` (not part of `npm test`).
 *
 * Four targets answer the same requests on loopback, each in its own process: (a) the provider
 * simulator itself, (b) a minimal node:http + undici pass-through proxy in front of it (the floor),
 * (c) the Shepherd gateway in front of it with everything on (API-key auth on a SQLite file in WAL
 * mode, billing, Prometheus metrics, request logs at `info` written to a file), and (d) the Portkey
 * gateway, the peer, installed from npm on demand into a cached temporary folder (skipped with a
 * note when no registry answers). Each process under test is pinned to CPU 1; the load generator
 * and the upstream simulator share CPU 0. Rounds interleave the targets (direct, proxy, gateway,
 * Portkey, …); warm-up rounds are discarded and every figure is a median over the measured rounds.
 *
 * Before the rounds: each target's idle RSS. Phases per round: non-streaming throughput and CPU
 * per request (with the RSS peak under that load); CPU per streamed chunk on the OpenAI
 * pass-through and the Anthropic → OpenAI translation paths; time to first token at concurrency 1
 * against a fixed simulated first-token delay; the whole-answer latency a hop adds at concurrency
 * 1; what billing costs (the same gateway with billing off and on, two processes of their own); and the cost
 * of a failover. After the rounds, once: thousands of slow streams held open at once (gateway
 * twice, for the leak check; proxy and Portkey once), with memory read before, at full concurrency
 * and after. CPU is the process under test's `process.cpuUsage()` read over IPC (Portkey's from
 * /proc) just before and after the window.
 *
 * Knobs: BENCH_* environment variables (read-bench-settings.ts). The table goes to stdout and,
 * unless BENCH_WRITE_DOC=0, a dated section is appended to docs/benchmarks.md. Children and the
 * temporary directory are removed on success, failure, Ctrl-C and the hard time limit alike.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import {
  type BenchPhase,
  BILLING_PHASE_ID,
  buildBenchPhases,
  idleWarmupJobs,
  PORTKEY_PHASE_IDS,
  SLOW_STREAMS_PHASE_ID,
  TARGET_NAMES,
  type TargetEndpoint,
  type TargetName,
} from './build-bench-phases.ts';
import { buildBenchPrograms } from './child/build-bench-programs.ts';
import { LOG_BYTES_METHOD } from './child/child-methods.ts';
import { guardBenchRun } from './child/guard-bench-run.ts';
import { repinProcess } from './child/repin-process.ts';
import { type BenchChild, canPinCpus } from './child/spawn-bench-child.ts';
import { measureIdleMemory } from './measure/measure-idle-memory.ts';
import { measurePhase } from './measure/measure-phase.ts';
import type { SlowStreamsRun } from './measure/measure-slow-streams.ts';
import { runSlowStreamsPlan } from './measure/run-slow-streams-plan.ts';
import type { PhaseRounds } from './measure/summarize-measurements.ts';
import { type BenchSettings, readBenchSettings } from './read-bench-settings.ts';
import { appendBenchmarksDoc } from './report/append-benchmarks-doc.ts';
import {
  type BenchOutcome,
  buildBenchReport,
  type MeasuredPhase,
  type PeerOutcome,
} from './report/build-bench-report.ts';
import { checkTargets } from './report/check-bench-targets.ts';
import { describeMachine } from './report/describe-machine.ts';
import { readCpuTicks, stealShare } from './report/read-cpu-steal.ts';
import { readStartNodeFlags, startGatewayTarget } from './servers/start-gateway-target.ts';
import { startPeer } from './servers/start-peer.ts';

/** The whole run, start-up included, is cut off here whatever happens. */
const HARD_LIMIT_MS = 480_000;
/**
 * No round starts unless it should end (at the last round's pace) before this: room for the
 * whole-window warm-up round and four measured rounds of about 55 s on a fast machine.
 */
const ROUNDS_BUDGET_MS = 385_000;
/** Taken off the rounds' budget when the slow-streams phase follows them (its usual length). */
const SLOW_STREAMS_RESERVE_MS = 70_000;
const UNDER_TEST_CPU = '1';
const HELPER_CPU = '0';
const DOC_PATH = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

function commandLine(settings: BenchSettings): string {
  return [...settings.overrides, 'npm run bench'].join(' ');
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

interface RoundsOutcome {
  phases: MeasuredPhase[];
  measuredRounds: number;
  /** Rounds were skipped to stay within the time budget (a slow or busy machine). */
  stoppedEarly: boolean;
}

async function runRounds(
  settings: BenchSettings,
  phases: { measured: BenchPhase[]; warmup: BenchPhase[] },
  processes: Partial<Record<TargetName, BenchChild>>,
  loadGenerator: BenchChild,
  budgetEndsAt: number,
): Promise<RoundsOutcome> {
  const measured: MeasuredPhase[] = phases.measured.map((phase) => ({
    phase,
    rounds: {
      direct: [],
      proxy: [],
      gateway: [],
      portkey: [],
      unbilled: [],
      billed: [],
    } satisfies PhaseRounds,
  }));
  if (measured.length === 0) return { phases: measured, measuredRounds: 0, stoppedEarly: false };
  const totalRounds = settings.warmupRounds + settings.rounds;
  let lastRoundMs = 0;
  let measuredRounds = 0;
  for (let round = 0; round < totalRounds; round++) {
    const warmup = round < settings.warmupRounds;
    if (measuredRounds > 0 && performance.now() + lastRoundMs * 1.15 > budgetEndsAt) {
      log(`time budget reached: stopping after ${measuredRounds} measured rounds`);
      return { phases: measured, measuredRounds, stoppedEarly: true };
    }
    const started = performance.now();
    for (const [index, entry] of measured.entries()) {
      const phase = (warmup ? phases.warmup[index] : undefined) ?? entry.phase;
      for (const target of entry.phase.targets) {
        const processUnderTest = processes[target];
        if (processUnderTest === undefined) throw new Error(`no process for target ${target}`);
        const measurement = await measurePhase({
          phase,
          target,
          processUnderTest,
          loadGenerator,
        });
        if (!warmup) entry.rounds[target].push(measurement);
      }
    }
    if (!warmup) measuredRounds += 1;
    lastRoundMs = performance.now() - started;
    log(
      `round ${round + 1}/${totalRounds}${warmup ? ' (warm-up, discarded)' : ''} done in ${(lastRoundMs / 1_000).toFixed(1)} s`,
    );
  }
  return { phases: measured, measuredRounds, stoppedEarly: false };
}

/**
 * The warm-up rounds run every code path on every target (JIT, pools, caches) under the load it is
 * measured with: whole windows, since V8 keeps optimizing the gateway's larger code for seconds
 * (with a third of each window, TurboFan was still compiling in the first measured round, which
 * read above its run's median in 9 of 14 runs), and a quarter of each sample count for the
 * one-at-a-time phases.
 */
function warmupSettings(settings: BenchSettings): BenchSettings {
  const quarter = (count: number) => Math.max(10, Math.round(count / 4));
  return {
    ...settings,
    ttftSamples: quarter(settings.ttftSamples),
    latencySamples: quarter(settings.latencySamples),
    failoverSamples: quarter(settings.failoverSamples),
  };
}

async function main(): Promise<void> {
  const settings = readBenchSettings(process.env);
  const machine = describeMachine();
  const ticksAtStart = readCpuTicks();
  const startedAt = new Date();
  const hardLimitAt = performance.now() + HARD_LIMIT_MS;
  const selected = (id: string) => settings.only.length === 0 || settings.only.includes(id);
  const measuresSlowStreams = selected(SLOW_STREAMS_PHASE_ID);
  const budgetEndsAt =
    performance.now() + ROUNDS_BUDGET_MS - (measuresSlowStreams ? SLOW_STREAMS_RESERVE_MS : 0);
  const { children, dataDirectory, cleanUp, disarm } = guardBenchRun(HARD_LIMIT_MS, {
    onTimeout: () => log(`stopped: the run exceeded ${HARD_LIMIT_MS / 1_000} s`),
  });

  try {
    const pinned = canPinCpus();
    log(
      `starting processes (${pinned ? 'pinned with taskset' : 'taskset unavailable: not pinned'})`,
    );
    log('building the gateway (npm run build:server) and the bench children');
    const programs = await buildBenchPrograms();
    const [upstream, direct, loadGenerator] = await Promise.all([
      children.spawn({
        name: 'upstream simulator',
        script: programs.script('servers/simulator-child.ts'),
        cpus: HELPER_CPU,
      }),
      children.spawn({
        name: 'direct simulator',
        script: programs.script('servers/simulator-child.ts'),
        cpus: UNDER_TEST_CPU,
      }),
      children.spawn({
        name: 'load generator',
        script: programs.script('load/load-generator-child.ts'),
        cpus: HELPER_CPU,
      }),
    ]);
    const upstreamUrl = upstream.info.url ?? '';
    // The billing phase's two gateways are only started when it runs, Portkey when a phase
    // that measures it does.
    const measuresBilling = selected(BILLING_PHASE_ID);
    const measuresPortkey = PORTKEY_PHASE_IDS.some(selected);
    const gatewayTarget = (name: string, fileName: string, billing: boolean) =>
      startGatewayTarget({
        children,
        programs,
        name,
        fileName,
        upstreamUrl,
        dataDirectory,
        billing,
        cpus: UNDER_TEST_CPU,
      });
    const [proxy, gateway, unbilled, billed, peer] = await Promise.all([
      children.spawn({
        name: 'proxy',
        script: programs.script('servers/proxy-child.ts'),
        args: [upstreamUrl],
        cpus: UNDER_TEST_CPU,
      }),
      gatewayTarget('gateway', 'gateway', settings.gatewayBilling),
      measuresBilling
        ? gatewayTarget('gateway, billing off', 'gateway-unbilled', false)
        : undefined,
      measuresBilling ? gatewayTarget('gateway, billing on', 'gateway-billed', true) : undefined,
      measuresPortkey
        ? startPeer({ settings, children, upstreamUrl, cpus: UNDER_TEST_CPU, log })
        : { peer: { state: 'off' } satisfies PeerOutcome, child: undefined },
    ]);
    const gatewayEndpoint = (child: BenchChild) => ({
      origin: child.info.url ?? '',
      ...(child.info.apiKey === undefined ? {} : { apiKey: child.info.apiKey }),
    });
    const endpoints: Partial<Record<TargetName, TargetEndpoint>> = {
      direct: { origin: direct.info.url ?? '' },
      proxy: { origin: proxy.info.url ?? '' },
      gateway: gatewayEndpoint(gateway),
      ...(unbilled === undefined ? {} : { unbilled: gatewayEndpoint(unbilled) }),
      ...(billed === undefined ? {} : { billed: gatewayEndpoint(billed) }),
      ...(peer.child === undefined
        ? {}
        : {
            portkey: {
              origin: peer.child.info.url ?? '',
              portkeyUpstream: peer.child.info.upstream ?? '',
            },
          }),
    };
    const processes: Partial<Record<TargetName, BenchChild>> = {
      direct,
      proxy,
      gateway,
      ...(unbilled === undefined ? {} : { unbilled }),
      ...(billed === undefined ? {} : { billed }),
      ...(peer.child === undefined ? {} : { portkey: peer.child }),
    };
    const phases = {
      measured: buildBenchPhases(settings, endpoints),
      warmup: buildBenchPhases(warmupSettings(settings), endpoints),
    };
    log('reading idle memory after a short warm-up');
    const idleTargets = TARGET_NAMES.filter((target) => endpoints[target] !== undefined);
    const idleMemory = await measureIdleMemory({
      targets: idleTargets,
      processes,
      loadGenerator,
      warmups: (target) => {
        const endpoint = endpoints[target];
        return endpoint === undefined ? [] : idleWarmupJobs(endpoint);
      },
    });
    const rounds = await runRounds(settings, phases, processes, loadGenerator, budgetEndsAt);
    let slowStreams: { runs: SlowStreamsRun[]; note?: string } = { runs: [] };
    let slowStreamsHelpersWidened = false;
    if (measuresSlowStreams) {
      // Memory and drops are measured here, not CPU: the load generator and the upstream simulator
      // may use both CPUs, so thousands of streams are not held back by their shared core.
      const widened = [upstream, loadGenerator].every((helper) => repinProcess(helper, '0,1'));
      slowStreams = await runSlowStreamsPlan({
        count: settings.slowStreams,
        processes,
        endpoints,
        loadGenerator,
        deadline: hardLimitAt,
        log,
      });
      slowStreamsHelpersWidened = widened;
    }
    const logBytes = z.number().parse(await gateway.call(LOG_BYTES_METHOD, null, 5_000));
    const outcome: BenchOutcome = {
      startedAt,
      elapsedSeconds: (Date.now() - startedAt.getTime()) / 1_000,
      command: commandLine(settings),
      settings,
      machine,
      pinned,
      phases: rounds.phases,
      measuredRounds: rounds.measuredRounds,
      stoppedEarly: rounds.stoppedEarly,
      peer: peer.peer,
      gatewayLogging: { level: gateway.info.logLevel ?? 'info', bytes: logBytes },
      gatewayNodeFlags: readStartNodeFlags(),
      idleMemory,
      slowStreams: slowStreams.runs,
      stealShare: stealShare(ticksAtStart, readCpuTicks()),
      slowStreamsHelpersWidened,
      ...(slowStreams.note === undefined ? {} : { slowStreamsNote: slowStreams.note }),
    };
    const report = buildBenchReport(outcome);
    process.stdout.write(`\n${report}\n`);
    if (settings.writeDoc) {
      appendBenchmarksDoc(DOC_PATH, report);
      log(`appended to ${DOC_PATH}`);
    }
    if (settings.jsonPath !== undefined) {
      writeFileSync(settings.jsonPath, `${JSON.stringify(outcome, null, 2)}\n`);
      log(`raw rounds written to ${settings.jsonPath}`);
    }
    const missed = checkTargets(rounds.phases, idleMemory, slowStreams.runs).filter(
      (check) => !check.met,
    );
    if (missed.length > 0)
      log(`targets missed: ${missed.map((check) => check.description).join('; ')}`);
  } finally {
    await children.stopAll().catch(() => undefined);
    cleanUp();
    disarm();
  }
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
