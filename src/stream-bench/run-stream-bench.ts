import { BenchRequestError } from './bench-request-error.ts';
import type { BenchSample, BenchTarget, StreamMeasurement } from './bench-types.ts';

/** Sends one streamed request (sendStreamedRequest, or a fake in tests). */
export type SendBenchRequest = (request: {
  target: BenchTarget;
  tokens: number;
  signal: AbortSignal;
}) => Promise<StreamMeasurement>;

export interface StreamBenchOptions {
  targets: readonly BenchTarget[];
  lengths: readonly number[];
  runs: number;
  concurrency: number;
  /** Ctrl-C: stops starting requests, aborts those in flight and returns what finished. */
  signal: AbortSignal;
  send: SendBenchRequest;
  onWarmup?: (target: BenchTarget) => void;
  /** After the warm-up, before the first measured request. */
  onRunsStart?: (total: number) => void;
  /** After each measured request, with how many of `total` are done. */
  onSample?: (sample: BenchSample, done: number, total: number) => void;
}

export interface StreamBenchOutcome {
  /** In plan order (length, run, target), whatever order they finished in. */
  samples: BenchSample[];
  interrupted: boolean;
}

/** A short unmeasured answer per target first: it opens the connections and warms the code paths. */
export const WARMUP_TOKENS = 16;

/**
 * Runs the plan: for each length, each run, each target in turn (so the targets share the
 * machine's conditions), `concurrency` requests at a time. A warm-up request per target comes
 * first; if it fails the endpoint is unusable (wrong URL, key, model or not streaming) and this
 * throws a BenchRequestError naming the target; an answer that finished without tokens passes.
 * Later failures are recorded as failed samples.
 */
export async function runStreamBench(options: StreamBenchOptions): Promise<StreamBenchOutcome> {
  const { signal } = options;
  for (const target of options.targets) {
    if (signal.aborted) return { samples: [], interrupted: true };
    options.onWarmup?.(target);
    try {
      await options.send({ target, tokens: WARMUP_TOKENS, signal });
    } catch (error) {
      if (signal.aborted) return { samples: [], interrupted: true };
      if (error instanceof BenchRequestError && error.noTokens) continue;
      throw new BenchRequestError(`${target.name} (${target.baseUrl}): ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  const plan = options.lengths.flatMap((length) =>
    Array.from({ length: options.runs }, (_, index) =>
      options.targets.map((target) => ({ target, length, run: index + 1 })),
    ).flat(),
  );
  options.onRunsStart?.(plan.length);
  const samples: Array<BenchSample | undefined> = new Array(plan.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < plan.length && !signal.aborted) {
      const index = next;
      next += 1;
      const step = plan[index];
      if (step === undefined) break;
      const base = { target: step.target.name, length: step.length, run: step.run };
      let sample: BenchSample;
      try {
        const measurement = await options.send({
          target: step.target,
          tokens: step.length,
          signal,
        });
        sample = { ...base, ok: true, measurement };
      } catch (error) {
        if (signal.aborted) return;
        sample = { ...base, ok: false, error: messageOf(error) };
      }
      samples[index] = sample;
      done += 1;
      options.onSample?.(sample, done, plan.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, plan.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    samples: samples.filter((sample): sample is BenchSample => sample !== undefined),
    interrupted: signal.aborted,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
