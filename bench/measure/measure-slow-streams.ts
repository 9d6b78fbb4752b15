import { setTimeout as delay } from 'node:timers/promises';
import { SLOW_STREAM_TOKENS } from '../bench-models.ts';
import type { TargetName } from '../build-bench-phases.ts';
import type { MemorySnapshot } from '../child/child-messages.ts';
import type { BenchChild } from '../child/spawn-bench-child.ts';
import {
  type SlowStreamsJob,
  type SlowStreamsOpened,
  type SlowStreamsResult,
  slowStreamsOpenedSchema,
  slowStreamsResultSchema,
  type TargetRequest,
} from '../load/load-jobs.ts';
import { samplePeakRss } from './sample-peak-rss.ts';

export interface SlowStreamsRun {
  target: TargetName;
  /** 1 for the first run on this target, 2 for the repeat (the leak check). */
  run: number;
  /** After a forced garbage collection, before any stream. */
  before: MemorySnapshot;
  /** Every stream open and its first content received (or the open wait over); no collection. */
  atFullConcurrency: MemorySnapshot;
  /** Highest resident set sampled during the whole run. */
  peakRssBytes: number;
  /** Every stream ended and its connection closed, after a forced garbage collection. */
  after: MemorySnapshot;
  opened: SlowStreamsOpened;
  result: SlowStreamsResult;
}

/** Streams started per batch and the pause between batches: 5 000 streams in about 5 s. */
const BATCH_SIZE = 100;
const BATCH_INTERVAL_MS = 100;
/**
 * Far longer than opening 5 000 streams and their first token takes when nothing queues them, and
 * shorter than a stream (≈12 s), so the first streams are still open when the last one opens.
 */
const OPEN_TIMEOUT_MS = 11_000;
/** One and a half times a slow stream's length: a stream still running then was held back. */
const STREAM_TIMEOUT_MS = 18_000;
const MEMORY_SAMPLE_INTERVAL_MS = 250;
/** Lets the target close the finished connections before the after-reading. */
const SETTLE_MS = 1_000;

/** What one run of 5 000 streams needs at most (start-up, longest stream, settling). */
export const SLOW_STREAMS_RUN_MAX_MS = 5_000 + STREAM_TIMEOUT_MS + 3 * SETTLE_MS;

/** The load generator's job: `count` slow streams of `request`, started in batches (see above). */
export function slowStreamsJob(request: TargetRequest, count: number): SlowStreamsJob {
  return {
    request,
    dialect: 'openai',
    count,
    expectedContentChunks: SLOW_STREAM_TOKENS,
    batchSize: BATCH_SIZE,
    batchIntervalMs: BATCH_INTERVAL_MS,
    openTimeoutMs: OPEN_TIMEOUT_MS,
    streamTimeoutMs: STREAM_TIMEOUT_MS,
  };
}

/** How long the calls of one slow-streams job may take: the open, then the rest of the streams. */
export const SLOW_STREAMS_OPEN_CALL_MS = OPEN_TIMEOUT_MS + 30_000;
export const SLOW_STREAMS_FINISH_CALL_MS = STREAM_TIMEOUT_MS + 30_000;

/**
 * Holds `count` slow streams open at once against one target, `runs` times in a row, reading the
 * target's memory before, at full concurrency and after each run. Drops are counted, not thrown:
 * they are the result.
 */
export async function measureSlowStreams(options: {
  target: TargetName;
  processUnderTest: BenchChild;
  loadGenerator: BenchChild;
  request: TargetRequest;
  count: number;
  runs: number;
}): Promise<SlowStreamsRun[]> {
  const { processUnderTest, loadGenerator } = options;
  const job = slowStreamsJob(options.request, options.count);
  const runs: SlowStreamsRun[] = [];
  for (let run = 1; run <= options.runs; run++) {
    const before = await processUnderTest.memory({ collectGarbage: true });
    const streams = (async () => {
      const opened = slowStreamsOpenedSchema.parse(
        await loadGenerator.call('open-slow-streams', job, SLOW_STREAMS_OPEN_CALL_MS),
      );
      const atFullConcurrency = await processUnderTest.memory({ collectGarbage: false });
      const result = slowStreamsResultSchema.parse(
        await loadGenerator.call('finish-slow-streams', null, SLOW_STREAMS_FINISH_CALL_MS),
      );
      return { opened, atFullConcurrency, result };
    })();
    const peakRssBytes = await samplePeakRss(processUnderTest, streams, MEMORY_SAMPLE_INTERVAL_MS);
    const { opened, atFullConcurrency, result } = await streams;
    await delay(SETTLE_MS);
    const after = await processUnderTest.memory({ collectGarbage: true });
    runs.push({
      target: options.target,
      run,
      before,
      atFullConcurrency,
      peakRssBytes,
      after,
      opened,
      result,
    });
  }
  return runs;
}
