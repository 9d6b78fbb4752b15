/**
 * Profiles one bench target under the load of one `npm run bench` phase:
 *
 *   node --import tsx bench/profile-target.ts [gateway|proxy] [phase id] [seconds]
 *
 * The phase defaults to `requests` (non-streaming); `openai-stream` and `anthropic-stream` profile
 * the streaming paths.
 * The target runs with `node --cpu-prof` (profile written under BENCH_PROFILE_DIR, default
 * /tmp/shepherd-bench-profiles) pinned like in the bench; after a warm-up, load runs for the given
 * seconds (default 12), the target exits, and the top self-time functions are printed, Shepherd's
 * own (src/) first. Unlike `npm run bench`, the gateway runs its sources through tsx (`shepherd
 * start` from src/cli/main.ts), so every function keeps its file; the profile spans the whole
 * process, so start-up (tsx, module loading) shows up too; a long window keeps it small.
 * `BENCH_PROFILE_BUNDLE=1` profiles the production bundle instead (what the bench measures: no
 * tsx; functions keep their names, all in dist/shepherd.mjs). `BENCH_GATEWAY_BILLING=off` profiles
 * the gateway with billing off; the phase's other knobs are read as `npm run bench` reads them
 * (`BENCH_STREAM_TOKENS=50` makes a streaming phase mostly per-stream work, for instance).
 *
 * `BENCH_PROFILE_PERF=1` samples with Linux `perf record -g` instead (it must be installed): the
 * whole process, kernel and native code included (SQLite, system calls, the garbage collector's
 * threads), which `--cpu-prof` does not see. The target runs with `--perf-basic-prof` so that perf
 * can name JavaScript frames. At the end the top of `perf report` (self samples by library and
 * symbol) is printed, the whole report is written beside the recording, and node's symbol map
 * (`/tmp/perf-<pid>.map`) is moved there too.
 * `BENCH_PROFILE_NODE_FLAGS` adds node flags to the target's own (V8 logging such as
 * `--log-deopt --logfile=/tmp/v8.log --no-logfile-per-isolate`, or a flag to try).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBenchPhases, type TargetEndpoint, type TargetName } from './build-bench-phases.ts';
import { buildBenchPrograms } from './child/build-bench-programs.ts';
import { guardBenchRun, startBenchHelpers } from './child/guard-bench-run.ts';
import { measurePhase, warmUpstream } from './measure/measure-phase.ts';
import { readBenchSettings } from './read-bench-settings.ts';
import { formatMarkdownTable, formatNumber } from './report/format-markdown-table.ts';
import { summarizeCpuProfile } from './report/summarize-cpu-profile.ts';
import { startGatewayTarget } from './servers/start-gateway-target.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const HARD_LIMIT_MS = 120_000;

async function main(): Promise<void> {
  const targetName = process.argv[2] ?? 'gateway';
  if (targetName !== 'gateway' && targetName !== 'proxy') {
    throw new Error('usage: profile-target.ts [gateway|proxy] [phase id] [seconds]');
  }
  const target: TargetName = targetName;
  const phaseId = process.argv[3] ?? 'requests';
  const seconds = Number(process.argv[4] ?? '12');
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 60) throw new Error('seconds: 1–60');
  const profileRoot = process.env.BENCH_PROFILE_DIR ?? join(tmpdir(), 'shepherd-bench-profiles');
  mkdirSync(profileRoot, { recursive: true });
  const profileDirectory = mkdtempSync(join(profileRoot, `${target}-`));
  const { children, dataDirectory, cleanUp, disarm } = guardBenchRun(HARD_LIMIT_MS);
  /** The target run with `--perf-basic-prof`, whose symbol map node wrote under /tmp. */
  let perfMapPid: number | undefined;
  try {
    const programs = await buildBenchPrograms();
    const { upstreamUrl, loadGenerator } = await startBenchHelpers(children, programs);
    const withPerf = process.env.BENCH_PROFILE_PERF === '1';
    const profilerFlags = [
      ...(withPerf
        ? ['--perf-basic-prof']
        : ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`, '--cpu-prof-interval=250']),
      ...(process.env.BENCH_PROFILE_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    ];
    const profiled =
      target === 'gateway'
        ? await startGatewayTarget({
            children,
            programs,
            name: 'gateway',
            fileName: 'gateway',
            upstreamUrl,
            dataDirectory,
            billing: readBenchSettings(process.env).gatewayBilling,
            cpus: '1',
            nodeFlags: profilerFlags,
            fromSources: process.env.BENCH_PROFILE_BUNDLE !== '1',
          })
        : await children.spawn({
            name: 'proxy',
            script: programs.script('servers/proxy-child.ts'),
            args: [upstreamUrl],
            cpus: '1',
            nodeFlags: profilerFlags,
          });
    const endpoint = {
      origin: profiled.info.url ?? '',
      ...(profiled.info.apiKey === undefined ? {} : { apiKey: profiled.info.apiKey }),
    };
    const endpoints = {
      direct: endpoint,
      proxy: endpoint,
      gateway: endpoint,
      unbilled: endpoint,
      billed: endpoint,
    };
    const phaseFor = (
      windowMs: number,
      phaseEndpoints: Partial<Record<TargetName, TargetEndpoint>> = endpoints,
    ) => {
      const settings = readBenchSettings({
        ...process.env,
        BENCH_ONLY: phaseId,
        BENCH_WINDOW_MS: String(windowMs),
      });
      const [phase] = buildBenchPhases(settings, phaseEndpoints);
      if (phase === undefined) throw new Error(`no phase ${phaseId}`);
      return phase;
    };
    // The simulator first, so the target meets a warm simulator from its first request: what a
    // target meets in its first loads decides its garbage collector's state (see `warmUpstream`).
    await warmUpstream({
      phase: phaseFor(3_000, { direct: { origin: upstreamUrl } }),
      loadGenerator,
      times: 1,
    });
    await measurePhase({
      phase: phaseFor(3_000),
      target,
      processUnderTest: profiled,
      loadGenerator,
    });
    const measuredPhase = phaseFor(seconds * 1_000);
    const perfData = join(profileDirectory, 'perf.data');
    if (withPerf) perfMapPid = profiled.pid;
    const recorder = withPerf ? await startPerfRecord(profiled.pid, perfData) : undefined;
    const measurement = await measurePhase({
      phase: measuredPhase,
      target,
      processUnderTest: profiled,
      loadGenerator,
    }).finally(() => (recorder === undefined ? undefined : stopPerfRecord(recorder)));
    const perChunk =
      measurement.contentChunks === 0
        ? ''
        : `, ${formatNumber(measurement.cpuMicros / measurement.contentChunks, 2)} µs per chunk`;
    process.stdout.write(
      `${target} on ${phaseId}: ${measurement.completed} requests, ${formatNumber(measurement.cpuMicros / measurement.completed, 1)} µs CPU each${perChunk} (profiler on)\n`,
    );
    await children.stopAll();
    if (withPerf) {
      printPerfReport(perfData, profileDirectory);
    } else {
      printProfile(profileDirectory);
    }
  } finally {
    await children.stopAll().catch(() => undefined);
    if (perfMapPid !== undefined) keepPerfMap(perfMapPid, profileDirectory);
    cleanUp();
    disarm();
  }
}

/**
 * Reads the recording while the target's symbol map is still where perf looks for it, writes the
 * whole report (self samples by library and symbol) beside the recording and prints its top.
 */
function printPerfReport(perfData: string, directory: string): void {
  const report = spawnSync(
    'perf',
    ['report', '-i', perfData, '--no-children', '--sort', 'dso,sym', '--stdio', '-g', 'none', '-n'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const reportPath = join(directory, 'perf-report.txt');
  writeFileSync(reportPath, report.stdout ?? '');
  const top = (report.stdout ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .slice(0, 40);
  process.stdout.write(
    [
      `perf recording: ${perfData}`,
      `report (self samples by library and symbol): ${reportPath}`,
      '',
      ...top,
      '',
    ].join('\n'),
  );
}

/**
 * Moves the symbol map `--perf-basic-prof` made (`/tmp/perf-<pid>.map`, which node never removes)
 * beside the recording, so that profiling runs do not leave one in /tmp each. perf reads it only
 * from /tmp under the recorded pid: copying it back there lets `perf report` name JavaScript
 * frames again.
 */
function keepPerfMap(pid: number, directory: string): void {
  const map = join('/tmp', `perf-${pid}.map`);
  if (!existsSync(map)) return;
  const kept = join(directory, `perf-${pid}.map`);
  copyFileSync(map, kept);
  unlinkSync(map);
  process.stdout.write(
    `JavaScript symbols: ${kept} (for another perf report, copy it back to ${map})\n`,
  );
}

/**
 * `perf record` attached to the target. perf reports nothing when it has attached, so it is given
 * half a second; one that fails sooner (not installed, not permitted) fails the run with its
 * message, which goes to this terminal.
 */
async function startPerfRecord(pid: number, output: string): Promise<ChildProcess> {
  const recorder = spawn('perf', ['record', '-g', '-F', '999', '-p', String(pid), '-o', output], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    recorder.once('error', (error) =>
      reject(new Error(`perf record could not start (is perf installed?): ${error.message}`)),
    );
    recorder.once('exit', (code) => reject(new Error(`perf record exited early (${code})`)));
    setTimeout(resolve, 500);
  });
  recorder.removeAllListeners('exit');
  return recorder;
}

/** Stops the recording (SIGINT makes perf write its file) and waits until it has. */
async function stopPerfRecord(recorder: ChildProcess): Promise<void> {
  if (recorder.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => recorder.once('exit', () => resolve()));
  recorder.kill('SIGINT');
  await exited;
}

function printProfile(directory: string): void {
  const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no .cpuprofile written in ${directory}`);
  const path = join(directory, file);
  const summary = summarizeCpuProfile(path, REPOSITORY_ROOT);
  const percent = (share: number) => `${formatNumber(share * 100, 1)} %`;
  const ownCode = summary.functions.filter((entry) => entry.location.startsWith('src/'));
  process.stdout.write(
    [
      `Profile: ${path}`,
      '',
      'Self time by origin:',
      formatMarkdownTable(
        ['Origin', 'self ms', 'share'],
        summary.byOrigin
          .slice(0, 25)
          .map((row) => [row.origin, formatNumber(row.selfMicros / 1_000, 0), percent(row.share)]),
        ['left', 'right', 'right'],
      ),
      '',
      "Top self time in Shepherd's own code (src/):",
      formatMarkdownTable(
        ['Function', 'Where', 'self ms', 'share'],
        ownCode
          .slice(0, 25)
          .map((row) => [
            row.functionName,
            row.location,
            formatNumber(row.selfMicros / 1_000, 1),
            percent(row.share),
          ]),
        ['left', 'left', 'right', 'right'],
      ),
      '',
      'Top self time overall:',
      formatMarkdownTable(
        ['Function', 'Where', 'self ms', 'share'],
        summary.functions
          .slice(0, 40)
          .map((row) => [
            row.functionName,
            row.location.replace(/^file:\/\/.*node_modules\//, ''),
            formatNumber(row.selfMicros / 1_000, 1),
            percent(row.share),
          ]),
        ['left', 'left', 'right', 'right'],
      ),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `profile failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
