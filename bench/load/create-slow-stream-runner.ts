import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { percentile } from '../measure/statistics.ts';
import { createSseContentCounter } from './create-sse-content-counter.ts';
import type { SlowStreamsJob, SlowStreamsOpened, SlowStreamsResult } from './load-jobs.ts';

interface SlowRun {
  job: SlowStreamsJob;
  pool: Pool;
  startedAt: number;
  started: number;
  opened: number;
  /** Streams that received content and have ended since (completed or not). */
  closedAfterOpening: number;
  completed: number;
  dropped: number;
  contentChunks: number;
  firstContentMs: number[];
  firstFailure?: string;
  /** Resolves when every stream has its first content chunk or has failed. */
  allOpen: Promise<void>;
  /** Resolves when every stream has ended, one way or another. */
  allEnded: Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Opens thousands of streams at once against one target, one per connection (a client per user),
 * and follows each to its end. Only one run at a time: `open` starts it and answers at full
 * concurrency, `finish` waits for the end and closes the connections.
 */
export function createSlowStreamRunner() {
  let current: SlowRun | undefined;

  async function follow(run: SlowRun, markOpen: () => void): Promise<void> {
    const { job } = run;
    const started = performance.now();
    const counter = createSseContentCounter(job.dialect);
    let open = false;
    try {
      const response = await run.pool.request({
        path: job.request.path,
        method: 'POST',
        headers: job.request.headers,
        body: job.request.body,
        signal: AbortSignal.timeout(job.streamTimeoutMs),
      });
      if (response.statusCode !== 200) {
        const text = await response.body.text();
        throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
      }
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        if (counter.push(decoder.decode(chunk, { stream: true })) > 0 && !open) {
          open = true;
          run.firstContentMs.push(performance.now() - started);
          run.opened += 1;
          markOpen();
        }
      }
      if (counter.contentChunks < job.expectedContentChunks) {
        throw new Error(
          `stream ended after ${counter.contentChunks} of ${job.expectedContentChunks} content chunks`,
        );
      }
      run.completed += 1;
    } catch (error) {
      run.dropped += 1;
      run.firstFailure ??= describe(error);
      if (!open) markOpen();
    } finally {
      run.contentChunks += counter.contentChunks;
      if (open) run.closedAfterOpening += 1;
    }
  }

  async function open(job: SlowStreamsJob): Promise<SlowStreamsOpened> {
    if (current !== undefined) throw new Error('a slow-streams run is already going');
    const origin = job.request.origin;
    let settled = 0;
    let signalAllOpen = () => {};
    const allOpen = new Promise<void>((resolve) => {
      signalAllOpen = resolve;
    });
    const markOpen = () => {
      settled += 1;
      if (settled === job.count) signalAllOpen();
    };
    const run: SlowRun = {
      job,
      pool: new Pool(origin, {
        connections: job.count,
        headersTimeout: job.streamTimeoutMs,
        bodyTimeout: job.streamTimeoutMs,
        keepAliveTimeout: 10_000,
      }),
      startedAt: performance.now(),
      started: 0,
      opened: 0,
      closedAfterOpening: 0,
      completed: 0,
      dropped: 0,
      contentChunks: 0,
      firstContentMs: [],
      allOpen,
      allEnded: Promise.resolve(),
    };
    current = run;
    const streams: Array<Promise<void>> = [];
    for (let index = 0; index < job.count; index += job.batchSize) {
      const batch = Math.min(job.batchSize, job.count - index);
      for (let stream = 0; stream < batch; stream++) streams.push(follow(run, markOpen));
      run.started += batch;
      if (index + batch < job.count) await delay(job.batchIntervalMs);
    }
    run.allEnded = Promise.all(streams).then(() => undefined);
    const stopWaiting = new AbortController();
    const openTimeout = delay(job.openTimeoutMs - (performance.now() - run.startedAt), undefined, {
      signal: stopWaiting.signal,
    }).catch(() => undefined);
    await Promise.race([allOpen, openTimeout]);
    stopWaiting.abort();
    return {
      started: run.started,
      opened: run.opened,
      openNow: run.opened - run.closedAfterOpening,
      inFlight: run.started - run.completed - run.dropped,
      failed: run.dropped,
      elapsedMs: performance.now() - run.startedAt,
      firstContentP50Ms: percentile(run.firstContentMs, 50),
      firstContentP99Ms: percentile(run.firstContentMs, 99),
    };
  }

  async function finish(): Promise<SlowStreamsResult> {
    const run = current;
    if (run === undefined) throw new Error('no slow-streams run is going');
    try {
      await run.allEnded;
      return {
        count: run.job.count,
        completed: run.completed,
        dropped: run.dropped,
        contentChunks: run.contentChunks,
        elapsedMs: performance.now() - run.startedAt,
        ...(run.firstFailure === undefined ? {} : { firstFailure: run.firstFailure }),
      };
    } finally {
      current = undefined;
      await run.pool.destroy();
    }
  }

  return {
    open,
    finish,
    async close() {
      await current?.pool.destroy();
    },
  };
}
