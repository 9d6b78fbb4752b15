import { Pool } from 'undici';
import { createSseContentCounter, type StreamDialect } from './create-sse-content-counter.ts';
import type { LoadJob, LoadResult, TargetRequest } from './load-jobs.ts';

/** Every request of one job must finish within this, or it counts as failed. */
const REQUEST_TIMEOUT_MS = 15_000;

interface Tally {
  completed: number;
  failed: number;
  contentChunks: number;
  samplesMs: number[];
  firstFailure?: string;
}

function recordFailure(tally: Tally, description: string): void {
  tally.failed += 1;
  tally.firstFailure ??= description;
}

/** One keep-alive pool per target, kept across jobs like a real client keeps its connections. */
export function createLoadRunner() {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string) => {
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: 64,
        headersTimeout: REQUEST_TIMEOUT_MS,
        bodyTimeout: REQUEST_TIMEOUT_MS,
        keepAliveTimeout: 60_000,
      });
      pools.set(origin, pool);
    }
    return pool;
  };

  /** Sends one request; resolves with its first-content time (ms) or rejects with a description. */
  async function send(
    target: TargetRequest,
    dialect: StreamDialect | undefined,
    tally: Tally,
  ): Promise<number | undefined> {
    const started = performance.now();
    const response = await poolFor(target.origin).request({
      path: target.path,
      method: 'POST',
      headers: target.headers,
      body: target.body,
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
    }
    if (dialect === undefined) {
      await response.body.dump({ limit: 1 << 20 });
      return undefined;
    }
    const counter = createSseContentCounter(dialect);
    const decoder = new TextDecoder();
    let firstContentMs: number | undefined;
    for await (const chunk of response.body) {
      if (counter.push(decoder.decode(chunk, { stream: true })) > 0) {
        firstContentMs ??= performance.now() - started;
      }
    }
    if (counter.contentChunks === 0) throw new Error('stream ended without content');
    tally.contentChunks += counter.contentChunks;
    return firstContentMs;
  }

  /** Sends one non-streaming request; resolves with its time to the end of the body (ms). */
  async function timeRequest(
    target: TargetRequest,
    expectStatus: number,
    expectHeaders: Record<string, string> = {},
  ): Promise<number> {
    const started = performance.now();
    const response = await poolFor(target.origin).request({
      path: target.path,
      method: 'POST',
      headers: target.headers,
      body: target.body,
    });
    const text = await response.body.text();
    const elapsed = performance.now() - started;
    if (response.statusCode !== expectStatus) {
      throw new Error(
        `HTTP ${response.statusCode} (expected ${expectStatus}): ${text.slice(0, 300)}`,
      );
    }
    for (const [name, value] of Object.entries(expectHeaders)) {
      if (response.headers[name] !== value) {
        throw new Error(`${name}: ${String(response.headers[name])} (expected ${value})`);
      }
    }
    return elapsed;
  }

  async function closedLoop(
    target: TargetRequest,
    dialect: StreamDialect | undefined,
    connections: number,
    durationMs: number,
    tally: Tally,
  ): Promise<void> {
    const deadline = performance.now() + durationMs;
    const worker = async () => {
      while (performance.now() < deadline) {
        try {
          await send(target, dialect, tally);
          tally.completed += 1;
        } catch (error) {
          recordFailure(tally, describe(error));
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
  }

  async function run(job: LoadJob): Promise<LoadResult> {
    const tally: Tally = { completed: 0, failed: 0, contentChunks: 0, samplesMs: [] };
    const started = performance.now();
    if (job.kind === 'requests') {
      await closedLoop(job.request, undefined, job.connections, job.durationMs, tally);
    } else if (job.kind === 'streams') {
      await closedLoop(job.request, job.dialect, job.connections, job.durationMs, tally);
    } else if (job.kind === 'latency') {
      for (let index = 0; index < job.count; index++) {
        try {
          tally.samplesMs.push(await timeRequest(job.request, 200));
          tally.completed += 1;
        } catch (error) {
          recordFailure(tally, describe(error));
        }
      }
    } else if (job.kind === 'failover-latency') {
      const series = {
        baselineMs: [] as number[],
        failoverMs: [] as number[],
        failedAttemptMs: [] as number[],
      };
      for (let index = 0; index < job.count; index++) {
        try {
          const baseline = await timeRequest(job.baseline, 200);
          const failover = await timeRequest(job.failover, 200, { 'x-shepherd-attempts': '2' });
          const failed = await timeRequest(job.failedAttempt, job.failedStatus);
          series.baselineMs.push(baseline);
          series.failoverMs.push(failover);
          series.failedAttemptMs.push(failed);
          tally.completed += 1;
        } catch (error) {
          recordFailure(tally, describe(error));
        }
      }
      return { ...tally, failover: series, elapsedMs: performance.now() - started };
    } else {
      for (let index = 0; index < job.count; index++) {
        try {
          const firstContentMs = await send(job.request, job.dialect, tally);
          if (firstContentMs !== undefined) tally.samplesMs.push(firstContentMs);
          tally.completed += 1;
        } catch (error) {
          recordFailure(tally, describe(error));
        }
      }
    }
    return { ...tally, elapsedMs: performance.now() - started };
  }

  return {
    run,
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
