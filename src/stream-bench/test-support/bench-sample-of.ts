import type { BenchSample, BenchTargetName, StreamMeasurement } from '../bench-types.ts';

/** A measured sample with round numbers, for summary and formatter tests. */
export function benchSampleOf(options: {
  target: BenchTargetName;
  length: number;
  run: number;
  ttftMs: number;
  totalMs: number;
  completionTokens?: number;
  tokenChunks?: number;
  tokensFrom?: StreamMeasurement['tokensFrom'];
}): BenchSample {
  return {
    target: options.target,
    length: options.length,
    run: options.run,
    ok: true,
    measurement: {
      ttftMs: options.ttftMs,
      totalMs: options.totalMs,
      completionTokens: options.completionTokens ?? options.length,
      tokensFrom: options.tokensFrom ?? 'usage',
      tokenChunks: options.tokenChunks ?? options.completionTokens ?? options.length,
      finishReason: 'stop',
    },
  };
}
