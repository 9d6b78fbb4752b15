/**
 * Shepherd's performance benchmark: `npm run bench` (not part of `npm test`).
 *
 * Three targets answer the same requests on loopback, each in its own process: (a) the provider
 * simulator itself, (b) a minimal node:http + undici pass-through proxy in front of it (the floor),
 * (c) the Shepherd gateway in front of it (API-key auth on a SQLite file in WAL mode, parsing,
 * adapter, upstream call, encoding). The process under test is pinned to CPU 1; the load generator
 * and the upstream simulator share CPU 0. Rounds interleave the targets (direct, proxy, gateway, …);
 * warm-up rounds are discarded and every figure is a median over the measured rounds.
 *
 * Phases per round: non-streaming throughput and CPU per request; CPU per streamed chunk on the
 * OpenAI pass-through and the Anthropic → OpenAI translation paths; time to first token at
 * concurrency 1 against a fixed simulated first-token delay; and what billing costs: the same
 * non-streaming load on the gateway with billing off (a fourth process, same code, its own SQLite
 * file) and on (reserve + settle + usage row), interleaved off → on. CPU is the process under test's
 * `process.cpuUsage()` read over IPC just before and after the window.
 *
 * Knobs: BENCH_* environment variables (read-bench-settings.ts). The table goes to stdout and,
 * unless BENCH_WRITE_DOC=0, a dated section is appended to docs/benchmarks.md. Children and the
 * temporary directory are removed on success, failure, Ctrl-C and the hard time limit alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BILLING_PHASE_ID, buildBenchPhases, type TargetName } from './build-bench-phases.ts';
import { createChildGroup } from './child/create-child-group.ts';
import { type BenchChild, canPinCpus } from './child/spawn-bench-child.ts';
import { measurePhase } from './measure/measure-phase.ts';
import type { PhaseRounds } from './measure/summarize-measurements.ts';
import { type BenchSettings, readBenchSettings } from './read-bench-settings.ts';
import { appendBenchmarksDoc } from './report/append-benchmarks-doc.ts';
import { buildBenchReport, checkTargets, type MeasuredPhase } from './report/build-bench-report.ts';
import { describeMachine } from './report/describe-machine.ts';

/** The whole run, start-up included, is cut off here whatever happens. */
const HARD_LIMIT_MS = 235_000;
/** No round starts unless it should end (at the last round's pace) before this. */
const ROUNDS_BUDGET_MS = 205_000;
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
  phases: ReturnType<typeof buildBenchPhases>,
  processes: Partial<Record<TargetName, BenchChild>>,
  loadGenerator: BenchChild,
  budgetEndsAt: number,
): Promise<RoundsOutcome> {
  const measured: MeasuredPhase[] = phases.map((phase) => ({
    phase,
    rounds: { direct: [], proxy: [], gateway: [], unbilled: [] } satisfies PhaseRounds,
  }));
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
    for (const entry of measured) {
      for (const target of entry.phase.targets) {
        const processUnderTest = processes[target];
        if (processUnderTest === undefined) throw new Error(`no process for target ${target}`);
        const measurement = await measurePhase({
          phase: entry.phase,
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

async function main(): Promise<void> {
  const settings = readBenchSettings(process.env);
  const machine = describeMachine();
  const startedAt = new Date();
  const budgetEndsAt = performance.now() + ROUNDS_BUDGET_MS;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'shepherd-bench-'));
  const children = createChildGroup();
  let cleaned = false;
  const cleanUpNow = () => {
    if (cleaned) return;
    cleaned = true;
    children.killAll();
    rmSync(dataDirectory, { recursive: true, force: true });
  };
  process.once('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUpNow();
      process.exit(130);
    });
  }
  const watchdog = setTimeout(() => {
    log(`stopped: the run exceeded ${HARD_LIMIT_MS / 1_000} s`);
    cleanUpNow();
    process.exit(1);
  }, HARD_LIMIT_MS);
  watchdog.unref();

  try {
    const pinned = canPinCpus();
    log(
      `starting processes (${pinned ? 'pinned with taskset' : 'taskset unavailable: not pinned'})`,
    );
    const [upstream, direct, loadGenerator] = await Promise.all([
      children.spawn({
        name: 'upstream simulator',
        entry: 'servers/simulator-child.ts',
        cpus: HELPER_CPU,
      }),
      children.spawn({
        name: 'direct simulator',
        entry: 'servers/simulator-child.ts',
        cpus: UNDER_TEST_CPU,
      }),
      children.spawn({
        name: 'load generator',
        entry: 'load/load-generator-child.ts',
        cpus: HELPER_CPU,
      }),
    ]);
    const upstreamUrl = upstream.info.url ?? '';
    // The billing-off gateway is only started when the billing phase runs.
    const measuresBilling = settings.only.length === 0 || settings.only.includes(BILLING_PHASE_ID);
    const [proxy, gateway, unbilled] = await Promise.all([
      children.spawn({
        name: 'proxy',
        entry: 'servers/proxy-child.ts',
        args: [upstreamUrl],
        cpus: UNDER_TEST_CPU,
      }),
      children.spawn({
        name: 'gateway',
        entry: 'servers/gateway-child.ts',
        args: settings.gatewayBilling
          ? [upstreamUrl, dataDirectory]
          : [upstreamUrl, dataDirectory, '--billing=off'],
        cpus: UNDER_TEST_CPU,
      }),
      measuresBilling
        ? children.spawn({
            name: 'gateway, billing off',
            entry: 'servers/gateway-child.ts',
            args: [upstreamUrl, dataDirectory, '--billing=off'],
            cpus: UNDER_TEST_CPU,
          })
        : undefined,
    ]);
    const gatewayEndpoint = (child: BenchChild | undefined) => ({
      origin: child?.info.url ?? '',
      ...(child?.info.apiKey === undefined ? {} : { apiKey: child.info.apiKey }),
    });
    const phases = buildBenchPhases(settings, {
      direct: { origin: direct.info.url ?? '' },
      proxy: { origin: proxy.info.url ?? '' },
      gateway: gatewayEndpoint(gateway),
      unbilled: gatewayEndpoint(unbilled),
    });
    const rounds = await runRounds(
      settings,
      phases,
      { direct, proxy, gateway, ...(unbilled === undefined ? {} : { unbilled }) },
      loadGenerator,
      budgetEndsAt,
    );
    const report = buildBenchReport({
      startedAt,
      elapsedSeconds: (Date.now() - startedAt.getTime()) / 1_000,
      command: commandLine(settings),
      settings,
      machine,
      pinned,
      phases: rounds.phases,
      measuredRounds: rounds.measuredRounds,
      stoppedEarly: rounds.stoppedEarly,
    });
    process.stdout.write(`\n${report}\n`);
    if (settings.writeDoc) {
      appendBenchmarksDoc(DOC_PATH, report);
      log(`appended to ${DOC_PATH}`);
    }
    const missed = checkTargets(rounds.phases).filter((check) => !check.met);
    if (missed.length > 0)
      log(`targets missed: ${missed.map((check) => check.description).join('; ')}`);
  } finally {
    await children.stopAll().catch(() => undefined);
    cleanUpNow();
    clearTimeout(watchdog);
  }
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
