import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BenchSample } from './bench-types.ts';
import { summarizeBenchSamples } from './summarize-bench-samples.ts';
import { benchSampleOf } from './test-support/bench-sample-of.ts';

test('avg, nearest-rank p50/p95, and rates over the time after the first token', () => {
  // Five gateway requests for 100 tokens: TTFT 410..450, one second of generation each but the last.
  const samples: BenchSample[] = [410, 420, 430, 440, 450].map((ttftMs, index) =>
    benchSampleOf({
      target: 'gateway',
      length: 100,
      run: index + 1,
      ttftMs,
      totalMs: ttftMs + (index === 4 ? 2_000 : 1_000),
      tokenChunks: 50,
    }),
  );
  const { rows, shares } = summarizeBenchSamples({
    samples,
    lengths: [100],
    targets: ['gateway'],
  });
  assert.deepEqual(shares, []);
  assert.deepEqual(rows, [
    {
      target: 'gateway',
      length: 100,
      requests: 5,
      succeeded: 5,
      completionTokensAvg: 100,
      tokensFrom: 'usage',
      ttftMs: { avg: 430, p50: 430, p95: 450 },
      totalMs: { avg: 1630, p50: 1430, p95: 2450 },
      // (100 × 4 + 50) / 5 tokens/s and (50 × 4 + 25) / 5 chunks/s
      tokensPerSecondAvg: 90,
      chunksPerSecondAvg: 45,
    },
  ]);
});

test('failed requests count in requests only; rows keep the order of lengths and targets', () => {
  const samples: BenchSample[] = [
    benchSampleOf({ target: 'direct', length: 20, run: 1, ttftMs: 5, totalMs: 15 }),
    { target: 'gateway', length: 20, run: 1, ok: false, error: 'HTTP 500' },
    benchSampleOf({ target: 'gateway', length: 50, run: 1, ttftMs: 8, totalMs: 8 }),
  ];
  const { rows, shares } = summarizeBenchSamples({
    samples,
    lengths: [50, 20],
    targets: ['gateway', 'direct'],
  });
  assert.deepEqual(
    rows.map((row) => [row.length, row.target, row.requests, row.succeeded]),
    [
      [50, 'gateway', 1, 1],
      [50, 'direct', 0, 0],
      [20, 'gateway', 1, 0],
      [20, 'direct', 1, 1],
    ],
  );
  const [gateway50, direct50, gateway20] = rows;
  // All 50 tokens in the same read as the first: no time to divide by.
  assert.equal(gateway50?.tokensPerSecondAvg, null);
  assert.deepEqual(gateway50?.ttftMs, { avg: 8, p50: 8, p95: 8 });
  assert.equal(direct50?.ttftMs, null);
  assert.equal(gateway20?.completionTokensAvg, null);
  assert.equal(gateway20?.tokensFrom, null);
  assert.deepEqual(shares, [], 'no share where one side measured nothing');
});

test('the gateway share is gateway minus direct of each statistic, per length', () => {
  const samples: BenchSample[] = [
    benchSampleOf({ target: 'gateway', length: 10, run: 1, ttftMs: 103, totalMs: 205 }),
    benchSampleOf({ target: 'gateway', length: 10, run: 2, ttftMs: 107, totalMs: 215 }),
    benchSampleOf({ target: 'direct', length: 10, run: 1, ttftMs: 100, totalMs: 200 }),
    benchSampleOf({ target: 'direct', length: 10, run: 2, ttftMs: 102, totalMs: 204 }),
  ];
  const { shares } = summarizeBenchSamples({
    samples,
    lengths: [10],
    targets: ['gateway', 'direct'],
  });
  assert.deepEqual(shares, [
    { length: 10, ttftMs: { avg: 4, p50: 3, p95: 5 }, totalMs: { avg: 8, p50: 5, p95: 11 } },
  ]);
});

test('token sources: usage, chunks, or mixed when requests differ', () => {
  const row = (sources: Array<'usage' | 'chunks'>) =>
    summarizeBenchSamples({
      samples: sources.map((tokensFrom, index) =>
        benchSampleOf({
          target: 'endpoint',
          length: 5,
          run: index + 1,
          ttftMs: 1,
          totalMs: 2,
          tokensFrom,
        }),
      ),
      lengths: [5],
      targets: ['endpoint'],
    }).rows[0]?.tokensFrom;
  assert.equal(row(['usage', 'usage']), 'usage');
  assert.equal(row(['chunks']), 'chunks');
  assert.equal(row(['usage', 'chunks']), 'mixed');
});
