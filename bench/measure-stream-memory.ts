/**
 * What each open stream holds in a target's memory, and of what kind:
 *
 *   node --import tsx bench/measure-stream-memory.ts [--streams 1000] [--prompt-kb 0,32]
 *     [--targets gateway,proxy]
 *
 * For each target (the gateway as `npm start` runs it, everything on; the pass-through proxy, the
 * floor) and each prompt size: after a warm-up, a heap snapshot; then `--streams` slow streams of
 * `npm run bench`'s slow-streams run opened at once (its model: a token every 500 ms, about 12 s
 * a stream), their prompt grown by `--prompt-kb` KiB of text (0: the bench's own short prompt);
 * with all of them open, a second snapshot. V8 collects garbage before writing a snapshot, so the
 * difference is what the open streams keep alive, divided by the streams: in total and by kind
 * (objects by constructor, strings, closures, buffers' contents, …). The resident set's growth
 * over the same streams (read before and after, no collection forced) is printed beside it.
 *
 * The snapshots (tens of MB each) are written to the run's temporary folder, read here and
 * deleted; the folder and every child go at the end, on Ctrl-C and at the hard time limit alike.
 * Targets and the simulator are pinned as the bench pins them. A snapshot blocks its target for a
 * second or two, which the slow streams outlast. Nothing is appended to docs/benchmarks.md.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { safeParseJson } from '../src/util/safe-parse-json.ts';
import { idleWarmupJobs, slowStreamRequest, type TargetEndpoint } from './build-bench-phases.ts';
import { buildBenchPrograms } from './child/build-bench-programs.ts';
import { HEAP_SNAPSHOT_METHOD } from './child/child-methods.ts';
import { guardBenchRun, startBenchHelpers } from './child/guard-bench-run.ts';
import type { BenchChild } from './child/spawn-bench-child.ts';
import {
  loadResultSchema,
  slowStreamsOpenedSchema,
  slowStreamsResultSchema,
  type TargetRequest,
} from './load/load-jobs.ts';
import {
  SLOW_STREAMS_FINISH_CALL_MS,
  SLOW_STREAMS_OPEN_CALL_MS,
  slowStreamsJob,
} from './measure/measure-slow-streams.ts';
import {
  type HeapKindGrowth,
  type HeapSummary,
  heapGrowthPerStream,
  summarizeHeapSnapshot,
} from './measure/summarize-heap-snapshot.ts';
import { formatMarkdownTable, formatNumber } from './report/format-markdown-table.ts';
import { startGatewayTarget } from './servers/start-gateway-target.ts';

const HARD_LIMIT_MS = 600_000;
const UNDER_TEST_CPU = '1';
/** Streams opened (and finished) before the first snapshot: their one-time costs stay out of it. */
const WARM_UP_STREAMS = 100;
/** Kinds listed per measurement, the largest growth first. */
const KINDS_SHOWN = 14;
/** Lets the finished streams' connections close before the next measurement. */
const SETTLE_MS = 1_000;
const TARGETS = ['gateway', 'proxy'] as const;
type MeasuredTarget = (typeof TARGETS)[number];

interface Measurement {
  target: MeasuredTarget;
  promptKib: number;
  streams: number;
  opened: number;
  heapBytesPerStream: number;
  rssBytesPerStream: number;
  kinds: HeapKindGrowth[];
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      streams: { type: 'string', default: '1000' },
      'prompt-kb': { type: 'string', default: '0,32' },
      targets: { type: 'string', default: TARGETS.join(',') },
    },
  });
  // Fewer streams and what one-time work allocates meanwhile (compiled code, pool growth) weighs
  // on the per-stream figure: 100 streams read 30.4 KiB where 500 read 35.4 (8 KiB prompts).
  const streams = z.coerce.number().int().min(500).max(5_000).parse(values.streams);
  const promptKibs = z
    .array(z.coerce.number().int().min(0).max(512))
    .min(1)
    .parse(values['prompt-kb'].split(','));
  const targets = z.array(z.enum(TARGETS)).min(1).parse(values.targets.split(','));
  return { streams, promptKibs, targets };
}

/**
 * The slow-streams request with `kib` KiB of text put before its prompt (whose simulator
 * directive still decides the answer): a long conversation's worth of bytes in the body.
 */
function withPromptKib(request: TargetRequest, kib: number): TargetRequest {
  if (kib === 0) return request;
  const parsed = safeParseJson(request.body);
  const body = z
    .looseObject({ messages: z.array(z.object({ role: z.string(), content: z.string() })).min(1) })
    .parse(parsed.ok ? parsed.value : undefined);
  const filler = 'The shepherd counts the flock at dusk. '.repeat(Math.ceil((kib * 1024) / 39));
  const [first, ...rest] = body.messages;
  if (first === undefined) throw new Error('the slow-streams request has no message');
  const messages = [{ ...first, content: `${filler.slice(0, kib * 1024)}\n${first.content}` }];
  return { ...request, body: JSON.stringify({ ...body, messages: [...messages, ...rest] }) };
}

async function startTarget(
  target: MeasuredTarget,
  context: {
    children: ReturnType<typeof guardBenchRun>['children'];
    programs: Awaited<ReturnType<typeof buildBenchPrograms>>;
    upstreamUrl: string;
    dataDirectory: string;
  },
): Promise<BenchChild> {
  if (target === 'gateway') {
    return startGatewayTarget({
      children: context.children,
      programs: context.programs,
      name: 'gateway',
      fileName: 'gateway',
      upstreamUrl: context.upstreamUrl,
      dataDirectory: context.dataDirectory,
      billing: true,
      cpus: UNDER_TEST_CPU,
    });
  }
  return context.children.spawn({
    name: 'proxy',
    script: context.programs.script('servers/proxy-child.ts'),
    args: [context.upstreamUrl],
    cpus: UNDER_TEST_CPU,
  });
}

/** Writes the target's heap to `path`, reads it back by kind and deletes the file. */
async function snapshotHeap(child: BenchChild, path: string): Promise<HeapSummary> {
  const written = z.string().parse(await child.call(HEAP_SNAPSHOT_METHOD, { path }, 120_000));
  try {
    const parsed = safeParseJson(readFileSync(written, 'utf8'));
    if (!parsed.ok) throw new Error(`the heap snapshot ${written} is not JSON: ${parsed.error}`);
    return summarizeHeapSnapshot(parsed.value);
  } finally {
    rmSync(written, { force: true });
  }
}

/** Opens `count` slow streams, runs `whileOpen` with how many are open, then lets them finish. */
async function runStreams<T>(
  loadGenerator: BenchChild,
  request: TargetRequest,
  count: number,
  whileOpen: (opened: number) => Promise<T>,
): Promise<T> {
  const opened = slowStreamsOpenedSchema.parse(
    await loadGenerator.call(
      'open-slow-streams',
      slowStreamsJob(request, count),
      SLOW_STREAMS_OPEN_CALL_MS,
    ),
  );
  try {
    return await whileOpen(opened.openNow);
  } finally {
    const result = slowStreamsResultSchema.parse(
      await loadGenerator.call('finish-slow-streams', null, SLOW_STREAMS_FINISH_CALL_MS),
    );
    if (result.dropped > 0) {
      process.stderr.write(`${result.dropped} of ${count} streams failed or were cut short\n`);
    }
  }
}

async function measureTarget(options: {
  target: MeasuredTarget;
  child: BenchChild;
  endpoint: TargetEndpoint;
  loadGenerator: BenchChild;
  streams: number;
  promptKibs: readonly number[];
  dataDirectory: string;
}): Promise<Measurement[]> {
  const { child, loadGenerator } = options;
  for (const job of idleWarmupJobs(options.endpoint)) {
    const result = loadResultSchema.parse(await loadGenerator.call('run', job, 60_000));
    if (result.failed > 0) throw new Error(`warm-up failed: ${result.firstFailure ?? 'unknown'}`);
  }
  const request = slowStreamRequest(options.endpoint);
  const measurements: Measurement[] = [];
  for (const promptKib of options.promptKibs) {
    const sized = withPromptKib(request, promptKib);
    await runStreams(loadGenerator, sized, WARM_UP_STREAMS, async () => undefined);
    await delay(SETTLE_MS);
    const path = (moment: string) =>
      join(options.dataDirectory, `${options.target}-${promptKib}-${moment}.heapsnapshot`);
    const heapBefore = await snapshotHeap(child, path('before'));
    const rssBefore = (await child.memory()).rssBytes;
    const measurement = await runStreams(loadGenerator, sized, options.streams, async (opened) => {
      const rssOpen = (await child.memory()).rssBytes;
      const heapOpen = await snapshotHeap(child, path('open'));
      return {
        target: options.target,
        promptKib,
        streams: options.streams,
        opened,
        heapBytesPerStream: (heapOpen.totalBytes - heapBefore.totalBytes) / options.streams,
        rssBytesPerStream: (rssOpen - rssBefore) / options.streams,
        kinds: heapGrowthPerStream(heapBefore, heapOpen, options.streams),
      };
    });
    measurements.push(measurement);
    process.stderr.write(`${options.target}, prompt ${promptKib} KiB: measured\n`);
    await delay(SETTLE_MS);
  }
  return measurements;
}

function printMeasurements(measurements: readonly Measurement[]): void {
  const kib = (bytes: number) => formatNumber(bytes / 1024, 1);
  const lines = [
    formatMarkdownTable(
      ['Target', 'prompt KiB', 'streams open', 'heap KiB per stream', 'RSS KiB per stream'],
      measurements.map((row) => [
        row.target,
        String(row.promptKib),
        `${row.opened} of ${row.streams}`,
        kib(row.heapBytesPerStream),
        kib(row.rssBytesPerStream),
      ]),
      ['left', 'right', 'right', 'right', 'right'],
    ),
  ];
  for (const row of measurements) {
    lines.push(
      '',
      `${row.target}, prompt ${row.promptKib} KiB: heap per open stream by kind`,
      formatMarkdownTable(
        ['Kind', 'bytes per stream', 'nodes per stream'],
        row.kinds
          .slice(0, KINDS_SHOWN)
          .map((kind) => [
            kind.kind,
            formatNumber(kind.bytesPerStream, 0),
            formatNumber(kind.countPerStream, 2),
          ]),
        ['left', 'right', 'right'],
      ),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const options = readOptions();
  const { children, dataDirectory, cleanUp, disarm } = guardBenchRun(HARD_LIMIT_MS);
  try {
    const programs = await buildBenchPrograms();
    const { upstreamUrl, loadGenerator } = await startBenchHelpers(children, programs);
    const measurements: Measurement[] = [];
    for (const target of options.targets) {
      const child = await startTarget(target, { children, programs, upstreamUrl, dataDirectory });
      const endpoint = {
        origin: child.info.url ?? '',
        ...(child.info.apiKey === undefined ? {} : { apiKey: child.info.apiKey }),
      };
      measurements.push(
        ...(await measureTarget({
          target,
          child,
          endpoint,
          loadGenerator,
          streams: options.streams,
          promptKibs: options.promptKibs,
          dataDirectory,
        })),
      );
      await child.stop();
    }
    await children.stopAll();
    printMeasurements(measurements);
  } finally {
    await children.stopAll().catch(() => undefined);
    cleanUp();
    disarm();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `measure-stream-memory failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
