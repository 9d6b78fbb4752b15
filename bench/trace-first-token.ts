/**
 * Where the time to first token goes, through the floor proxy and through the gateway:
 *
 *   node --import tsx bench/trace-first-token.ts [openai-ttft|anthropic-ttft] [rounds]
 *
 * Runs the bench's first-token phase (one request at a time, the simulator waiting 20 ms before
 * its first token) against the proxy and the gateway in alternating rounds (default 3), as
 * `npm run bench` does, with a tracing preload in the load generator and in both targets
 * (`bench/child/first-token-trace-preload.ts`). Each request is then followed across the three
 * processes on the machine's monotonic clock and split into: client → target, the target's work
 * before its upstream request, the upstream's time to its first content, and the target's work
 * and delivery from that content to the client's read. The medians print side by side.
 *
 * A second table splits the slowest 2 % of each target's requests the same way, and a third gives
 * each target's own time per request (the time to first token less the upstream's part): its p99
 * is free of the upstream's jitter, which the suite's p99 rows (a target's p99 minus direct's, each
 * over other requests) carry. `BENCH_TRACE_GATEWAY_FLAGS` adds node flags to the gateway's own, to
 * try one (`--single-threaded`, say).
 *
 * The suite's TTFT phases say how much a target adds; this says where. The preload costs each
 * traced process a few microseconds per socket read (it searches reads for content), so the
 * figures run a little above the suite's.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBenchPhases } from './build-bench-phases.ts';
import { buildBenchPrograms } from './child/build-bench-programs.ts';
import { guardBenchRun, startBenchHelpers } from './child/guard-bench-run.ts';
import type { BenchChild } from './child/spawn-bench-child.ts';
import {
  decomposeFirstToken,
  type FirstTokenSegments,
  type GcPause,
  medianSegments,
  SEGMENT_NAMES,
  slowestSegments,
  type TraceEvent,
} from './measure/decompose-first-token.ts';
import { measurePhase } from './measure/measure-phase.ts';
import { percentile } from './measure/statistics.ts';
import { readBenchSettings } from './read-bench-settings.ts';
import { formatMarkdownTable, formatNumber } from './report/format-markdown-table.ts';
import { startGatewayTarget } from './servers/start-gateway-target.ts';

const HARD_LIMIT_MS = 300_000;
const PHASES = ['openai-ttft', 'anthropic-ttft'];
type TracedTarget = 'proxy' | 'gateway';
const TRACED: TracedTarget[] = ['proxy', 'gateway'];
const SEGMENT_LABELS: Record<keyof FirstTokenSegments, string> = {
  clientToTarget: 'client wrote the request → target has it',
  targetBeforeUpstream: 'target: request → upstream request written',
  upstream: 'upstream: request → first content read by the target',
  targetAfterUpstream: 'target: first content read → client reads it',
  total: 'client: request → first content (time to first token)',
  targetGc: 'of which the target was collecting garbage',
};

interface TracedWindow {
  target: TracedTarget;
  fromMicros: number;
  toMicros: number;
}

function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function main(): Promise<void> {
  const phaseId = process.argv[2] ?? 'openai-ttft';
  if (!PHASES.includes(phaseId)) throw new Error(`phase: ${PHASES.join(' or ')}, not ${phaseId}`);
  const rounds = Number(process.argv[3] ?? '3');
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('rounds: 1–10');
  const gatewayFlags = (process.env.BENCH_TRACE_GATEWAY_FLAGS ?? '').split(' ').filter(Boolean);
  const { children, dataDirectory, cleanUp, disarm } = guardBenchRun(HARD_LIMIT_MS);
  // Inside the guarded folder, so it goes with it however the run ends. Read by the preload in
  // every traced child (children inherit this environment).
  const traceDirectory = join(dataDirectory, 'traces');
  mkdirSync(traceDirectory);
  process.env.BENCH_TRACE_DIR = traceDirectory;
  try {
    const programs = await buildBenchPrograms();
    const preload = ['--import', programs.script('child/first-token-trace-preload.ts')];
    const { upstreamUrl, loadGenerator } = await startBenchHelpers(children, programs, {
      loadGeneratorNodeFlags: preload,
    });
    const proxy = await children.spawn({
      name: 'proxy',
      script: programs.script('servers/proxy-child.ts'),
      args: [upstreamUrl],
      cpus: '1',
      nodeFlags: preload,
    });
    const gateway = await startGatewayTarget({
      children,
      programs,
      name: 'gateway',
      fileName: 'gateway',
      upstreamUrl,
      dataDirectory,
      billing: readBenchSettings(process.env).gatewayBilling,
      cpus: '1',
      nodeFlags: [...preload, ...gatewayFlags],
    });
    const targets: Record<TracedTarget, BenchChild> = { proxy, gateway };
    const gatewayEndpoint = {
      origin: gateway.info.url ?? '',
      ...(gateway.info.apiKey === undefined ? {} : { apiKey: gateway.info.apiKey }),
    };
    const [phase] = buildBenchPhases(readBenchSettings({ ...process.env, BENCH_ONLY: phaseId }), {
      direct: { origin: upstreamUrl },
      proxy: { origin: proxy.info.url ?? '' },
      gateway: gatewayEndpoint,
      unbilled: gatewayEndpoint,
      billed: gatewayEndpoint,
    });
    if (phase === undefined) throw new Error(`no phase ${phaseId}`);
    const measure = (target: TracedTarget) =>
      measurePhase({ phase, target, processUnderTest: targets[target], loadGenerator });
    for (const target of TRACED) await measure(target);
    const windows: TracedWindow[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const target of TRACED) {
        const fromMicros = nowMicros();
        await measure(target);
        windows.push({ target, fromMicros, toMicros: nowMicros() });
      }
    }
    await children.stopAll();
    const read = (child: BenchChild): TraceEvent[] =>
      JSON.parse(readFileSync(join(traceDirectory, `${child.pid}.json`), 'utf8')) as TraceEvent[];
    const client = read(loadGenerator);
    const traced = { proxy: read(proxy), gateway: read(gateway) };
    const readGc = (child: BenchChild): GcPause[] =>
      JSON.parse(readFileSync(join(traceDirectory, `${child.pid}.gc.json`), 'utf8')) as GcPause[];
    const collected = { proxy: readGc(proxy), gateway: readGc(gateway) };
    const segments = { proxy: [] as FirstTokenSegments[], gateway: [] as FirstTokenSegments[] };
    for (const window of windows) {
      segments[window.target].push(
        ...decomposeFirstToken({
          client,
          target: traced[window.target],
          fromMicros: window.fromMicros,
          toMicros: window.toMicros,
          targetGc: collected[window.target],
        }),
      );
    }
    for (const target of TRACED) {
      if (segments[target].length === 0) {
        throw new Error(`no request through the ${target} could be followed end to end`);
      }
    }
    printTable(phaseId, rounds, segments);
  } finally {
    await children.stopAll().catch(() => undefined);
    cleanUp();
    disarm();
  }
}

/** The slowest requests' share whose segments the second table splits: about the p99's tail. */
const TAIL_SHARE = 0.02;

function printTable(
  phaseId: string,
  rounds: number,
  segments: Record<TracedTarget, FirstTokenSegments[]>,
): void {
  const table = (proxy: FirstTokenSegments, gateway: FirstTokenSegments) =>
    formatMarkdownTable(
      ['Segment', 'proxy', 'gateway', 'gateway − proxy'],
      SEGMENT_NAMES.map((name) => [
        SEGMENT_LABELS[name],
        micros(proxy[name]),
        micros(gateway[name]),
        `${gateway[name] >= proxy[name] ? '+' : ''}${micros(gateway[name] - proxy[name])}`,
      ]),
      ['left', 'right', 'right', 'right'],
    );
  const tail = (target: TracedTarget) => slowestSegments(segments[target], TAIL_SHARE);
  process.stdout.write(
    [
      `${phaseId}: medians in µs over ${segments.proxy.length} proxy and ${segments.gateway.length} gateway requests (${rounds} rounds)`,
      '',
      table(medianSegments(segments.proxy), medianSegments(segments.gateway)),
      '',
      `The slowest ${TAIL_SHARE * 100} % of each target's requests by time to first token: the median of each segment over them`,
      '',
      table(tail('proxy'), tail('gateway')),
      '',
      "Each target's own time per request (time to first token − the upstream's part), free of the upstream's jitter:",
      '',
      formatMarkdownTable(
        ['Target', 'p50 µs', 'p99 µs', 'max µs'],
        TRACED.map((target) => {
          const own = segments[target].map((segment) => segment.total - segment.upstream);
          return [
            target,
            micros(percentile(own, 50)),
            micros(percentile(own, 99)),
            micros(Math.max(...own)),
          ];
        }),
        ['left', 'right', 'right', 'right'],
      ),
      '',
    ].join('\n'),
  );
}

function micros(value: number): string {
  return formatNumber(value, 0);
}

await main();
