import type { BenchReport, BenchSample } from '../bench-types.ts';
import { buildBenchReport } from '../build-bench-report.ts';
import { benchSampleOf } from './bench-sample-of.ts';

/**
 * A gateway-vs-direct run over lengths 200 and 500, two runs each, one gateway request at 500
 * failed, and the direct 200-token answers counted from chunks (no usage chunk).
 */
export function exampleBenchReport(): BenchReport {
  const samples: BenchSample[] = [
    benchSampleOf({ target: 'gateway', length: 200, run: 1, ttftMs: 425.25, totalMs: 1600 }),
    benchSampleOf({
      target: 'direct',
      length: 200,
      run: 1,
      ttftMs: 420.5,
      totalMs: 1595,
      tokensFrom: 'chunks',
    }),
    benchSampleOf({ target: 'gateway', length: 200, run: 2, ttftMs: 423.75, totalMs: 1602 }),
    benchSampleOf({
      target: 'direct',
      length: 200,
      run: 2,
      ttftMs: 421.5,
      totalMs: 1597,
      tokensFrom: 'chunks',
    }),
    { target: 'gateway', length: 500, run: 1, ok: false, error: 'HTTP 429 Too Many Requests' },
    benchSampleOf({ target: 'direct', length: 500, run: 1, ttftMs: 430, totalMs: 3370 }),
    benchSampleOf({ target: 'gateway', length: 500, run: 2, ttftMs: 432, totalMs: 3372 }),
    benchSampleOf({ target: 'direct', length: 500, run: 2, ttftMs: 428, totalMs: 3368 }),
  ];
  return buildBenchReport({
    settings: {
      source: { kind: 'endpoints', targets: [] },
      lengths: [200, 500],
      runs: 2,
      concurrency: 1,
      timeoutMs: 120_000,
      format: 'table',
      out: undefined,
    },
    targets: [
      {
        name: 'gateway',
        baseUrl: 'http://127.0.0.1:8080/v1',
        apiKey: 'sk-shep-x',
        model: 'gpt-4.1',
      },
      { name: 'direct', baseUrl: 'http://127.0.0.1:8090/v1', apiKey: 'x', model: 'gpt-4.1' },
    ],
    upstream: null,
    startedAt: new Date('2026-11-24T09:00:00.000Z'),
    outcome: { samples, interrupted: false },
  });
}
