import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod';
import { safeParseJson } from '../util/safe-parse-json.ts';
import { formatBenchCsv } from './format-bench-csv.ts';
import { formatBenchJson } from './format-bench-json.ts';
import { formatBenchTable } from './format-bench-table.ts';
import { exampleBenchReport } from './test-support/example-bench-report.ts';

test('table: the seed columns per length and target, the gateway share, notes and failures', () => {
  assert.equal(
    formatBenchTable(exampleBenchReport()),
    [
      'Streaming benchmark: 2 runs per length, concurrency 1, timeout 120 s',
      '  gateway   http://127.0.0.1:8080/v1  model gpt-4.1',
      '  direct    http://127.0.0.1:8090/v1  model gpt-4.1',
      '',
      'Length  Target             OK  Tokens  TTFT avg  TTFT p50  TTFT p95  Total avg  Tokens/s  Chunks/s',
      '------  ----------------  ---  ------  --------  --------  --------  ---------  --------  --------',
      '   200  gateway           2/2     200  424.5 ms  423.8 ms  425.3 ms    1.601 s     170.0     170.0',
      '   200  direct            2/2    200*  421.0 ms  420.5 ms  421.5 ms    1.596 s     170.2     170.2',
      '   200  gateway − direct                +3.5 ms   +3.3 ms   +3.8 ms   +0.005 s',
      '   500  gateway           1/2     500  432.0 ms  432.0 ms  432.0 ms    3.372 s     170.1     170.1',
      '   500  direct            2/2     500  429.0 ms  428.0 ms  430.0 ms    3.369 s     170.1     170.1',
      '   500  gateway − direct                +3.0 ms   +4.0 ms   +2.0 ms   +0.003 s',
      '',
      'TTFT: time to the first content, reasoning or tool-call delta. Tokens/s and chunks/s: after it, until the last byte.',
      'gateway − direct: what the gateway adds (difference of each statistic).',
      '* the endpoint sent no usage chunk: tokens counted as chunks.',
      'Failed requests (1):',
      '  gateway, 500 tokens, run 1: HTTP 429 Too Many Requests',
      '',
    ].join('\n'),
  );
});

test('table: a single endpoint has no share rows; an interrupted run says so', () => {
  const report = exampleBenchReport();
  const single = {
    ...report,
    targets: report.targets.slice(0, 1),
    rows: report.rows.filter((row) => row.target === 'gateway'),
    shares: [],
    samples: report.samples.filter((sample) => sample.ok && sample.target === 'gateway'),
    upstream: "Shepherd's provider simulator, instant latency",
    interrupted: true,
  };
  const text = formatBenchTable(single);
  assert.doesNotMatch(text, /gateway − direct/);
  assert.match(text, /\n {2}upstream {2}Shepherd's provider simulator, instant latency\n/);
  assert.match(text, /Interrupted: the figures cover the 3 requests that finished\./);
  assert.doesNotMatch(text, /Failed requests/);
});

test('CSV: RFC 4180 rows per length and target plus gateway_minus_direct, times in ms', () => {
  assert.equal(
    formatBenchCsv(exampleBenchReport()),
    [
      'length,target,requests,succeeded,completion_tokens_avg,tokens_from,ttft_avg_ms,ttft_p50_ms,ttft_p95_ms,total_avg_ms,total_p50_ms,total_p95_ms,tokens_per_second_avg,chunks_per_second_avg',
      '200,gateway,2,2,200,usage,424.5,423.75,425.25,1601,1600,1602,169.996,169.996',
      '200,direct,2,2,200,chunks,421,420.5,421.5,1596,1595,1597,170.213,170.213',
      '200,gateway_minus_direct,,,,,3.5,3.25,3.75,5,5,5,,',
      '500,gateway,2,1,500,usage,432,432,432,3372,3372,3372,170.068,170.068',
      '500,direct,2,2,500,usage,429,428,430,3369,3368,3370,170.068,170.068',
      '500,gateway_minus_direct,,,,,3,4,2,3,4,2,,',
      '',
    ].join('\r\n'),
  );
});

test('JSON: settings, rows, gateway shares and every sample, failures with their message', () => {
  const parsed = safeParseJson(formatBenchJson(exampleBenchReport()));
  assert.ok(parsed.ok);
  const json = z
    .object({
      settings: z.unknown(),
      rows: z.array(z.object({ ttftMs: z.unknown() })),
      gatewayShares: z.unknown(),
      samples: z.array(
        z.object({
          ok: z.boolean(),
          error: z.string().optional(),
          measurement: z.object({ ttftMs: z.number() }).optional(),
        }),
      ),
    })
    .parse(parsed.value);
  assert.deepEqual(json.settings, {
    lengths: [200, 500],
    runs: 2,
    concurrency: 1,
    timeoutMs: 120_000,
  });
  assert.deepEqual(json.rows[0]?.ttftMs, { avg: 424.5, p50: 423.75, p95: 425.25 });
  assert.deepEqual(json.gatewayShares, [
    {
      length: 200,
      ttftMs: { avg: 3.5, p50: 3.25, p95: 3.75 },
      totalMs: { avg: 5, p50: 5, p95: 5 },
    },
    { length: 500, ttftMs: { avg: 3, p50: 4, p95: 2 }, totalMs: { avg: 3, p50: 4, p95: 2 } },
  ]);
  assert.equal(json.samples.length, 8);
  assert.equal(json.samples[0]?.measurement?.ttftMs, 425.25);
  assert.deepEqual(
    json.samples.filter((sample) => !sample.ok).map((sample) => sample.error),
    ['HTTP 429 Too Many Requests'],
  );
});
