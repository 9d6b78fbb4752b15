import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUsageReport } from './build-usage-report.ts';
import { formatUsageReportCsv } from './format-usage-report-csv.ts';
import { formatUsageReportJson } from './format-usage-report-json.ts';
import { formatUsageReportTable } from './format-usage-report-table.ts';
import { parseReportMonth } from './parse-report-month.ts';
import { makeUsageRecord } from './test-support/make-usage-record.ts';

const records = [
  makeUsageRecord({
    requestId: 'req_1',
    createdAt: new Date('2026-11-01T09:00:00.000Z'),
    servedModel: 'gpt-4.1',
    inputTokens: 1200,
    cachedInputTokens: 200,
    outputTokens: 3400,
    reasoningTokens: 100,
    costMicros: 1_234_560_000n,
    timeToFirstTokenMs: 180.4,
    tokensPerSecond: 61.25,
  }),
  makeUsageRecord({
    requestId: 'req_2',
    createdAt: new Date('2026-11-30T23:59:59.999Z'),
    servedModel: 'local/llama, "q4"',
    status: 'client_closed',
    estimated: true,
    inputTokens: 10,
    outputTokens: 5,
    costMicros: 42n,
  }),
];

function report(ledgerTotalMicros = 1_234_560_042n) {
  return buildUsageReport({
    records,
    period: parseReportMonth('2026-11'),
    currency: 'KRW',
    ledgerTotalMicros,
    accountId: 'acct_a',
  });
}

test('JSON carries money as exact decimal text and micro-units as text, never as numbers', () => {
  const json = formatUsageReportJson(report());
  assert.equal(json.object, 'usage_report');
  assert.equal(json.from, '2026-11-01T00:00:00.000Z');
  assert.equal(json.to, '2026-12-01T00:00:00.000Z');
  assert.equal(json.accountId, 'acct_a');
  assert.deepEqual(json.models[0], {
    model: 'gpt-4.1',
    requests: 1,
    ok: 1,
    errors: 0,
    clientClosed: 0,
    estimated: 0,
    tokens: { input: 1200, cachedInput: 200, cacheWrite: 0, output: 3400, reasoning: 100 },
    cost: '1234.56',
    costMicros: '1234560000',
    ttftP50Ms: 180.4,
    ttftP95Ms: 180.4,
    tokensPerSecondMedian: 61.25,
    share: '100.00',
    shareBasisPoints: 10000,
  });
  assert.equal(json.models[1]?.cost, '0.000042');
  assert.equal(json.models[1]?.share, '0.00');
  assert.equal(json.models[1]?.ttftP50Ms, null);
  assert.deepEqual(json.days[29], {
    date: '2026-11-30',
    requests: 1,
    tokens: { input: 10, cachedInput: 0, cacheWrite: 0, output: 5, reasoning: 0 },
    cost: '0.000042',
    costMicros: '42',
  });
  assert.equal(json.total.cost, '1234.560042');
  assert.equal(json.total.costMicros, '1234560042');
  assert.equal(json.ledgerTotal, '1234.560042');
  assert.equal(json.ledgerTotalMicros, '1234560042');
  assert.equal(json.matchesLedger, true);
  // Survives JSON.stringify (a bigint would throw) and round-trips unchanged.
  const text = JSON.stringify(json);
  assert.doesNotMatch(text, /"cost(Micros)?":\d/);
});

test('CSV: one header, a section column, CRLF line ends and RFC 4180 quoting', () => {
  const csv = formatUsageReportCsv(report(7n));
  const lines = csv.split('\r\n');
  assert.equal(lines.at(-1), '', 'ends with CRLF');
  assert.ok(!csv.replaceAll('\r\n', '').includes('\n'));
  assert.deepEqual(lines.slice(0, 3), [
    'section,key,currency,requests,ok,errors,client_closed,estimated,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost,cost_micros,share_percent,ttft_p50_ms,ttft_p95_ms,tokens_per_second_median',
    'model,gpt-4.1,KRW,1,1,0,0,0,1200,200,0,3400,100,1234.56,1234560000,100.00,180.4,180.4,61.25',
    'model,"local/llama, ""q4""",KRW,1,0,0,1,1,10,0,0,5,0,0.000042,42,0.00,,,',
  ]);
  assert.equal(lines[3], 'day,2026-11-01,KRW,1,,,,,1200,200,0,3400,100,1234.56,1234560000,,,,');
  assert.equal(lines[4], 'day,2026-11-02,KRW,0,,,,,0,0,0,0,0,0,0,,,,');
  assert.equal(lines[32], 'day,2026-11-30,KRW,1,,,,,10,0,0,5,0,0.000042,42,,,,');
  assert.deepEqual(lines.slice(33, 35), [
    'total,2026-11,KRW,2,1,0,1,1,1210,200,0,3405,100,1234.560042,1234560042,,180.4,180.4,61.25',
    'ledger,mismatch,KRW,,,,,,,,,,,0.000007,7,,,,',
  ]);
  assert.equal(lines.length, 36);
});

test('CSV: a model id a spreadsheet would run as a formula is prefixed with a quote', () => {
  const csv = formatUsageReportCsv(
    buildUsageReport({
      records: ['@cf/meta/llama-3.1-8b-instruct', '=cmd|"/c calc"!A0'].map((servedModel, index) =>
        makeUsageRecord({
          requestId: `req_${index}`,
          createdAt: new Date('2026-11-02T00:00:00.000Z'),
          servedModel,
          costMicros: BigInt(10 - index),
        }),
      ),
      period: parseReportMonth('2026-11'),
      currency: 'KRW',
      ledgerTotalMicros: 19n,
    }),
  );
  const lines = csv.split('\r\n');
  assert.match(lines[1] ?? '', /^model,'@cf\/meta\/llama-3\.1-8b-instruct,KRW,1,/);
  assert.match(lines[2] ?? '', /^model,"'=cmd\|""\/c calc""!A0",KRW,1,/);
});

test('table: aligned columns, exact money, every day, and the ledger verdict', () => {
  const text = formatUsageReportTable(report());
  const lines = text.split('\n');
  assert.equal(lines[0], 'Usage 2026-11 (2026-11-01 to 2026-11-30, UTC), account acct_a, KRW');
  const header = lines[2] ?? '';
  const row = lines.find((line) => line.startsWith('gpt-4.1')) ?? '';
  const total = lines.find((line) => line.startsWith('TOTAL')) ?? '';
  assert.match(
    row,
    /^gpt-4\.1\s+1\s+1\s+0\s+0\s+0\s+1,200\s+200\s+0\s+3,400\s+100\s+₩1,234\.56\s+100\.00%\s+180 ms\s+180 ms\s+61\.3$/,
  );
  assert.match(total, /\s₩1,234\.560042\s+100\.00%\s+180 ms\s+180 ms\s+61\.3$/);
  assert.match(text, /^local\/llama, "q4"\s.*₩0\.000042\s+0\.00%\s+-\s+-\s+-$/m);
  // Right-aligned columns end where their header ends.
  assert.equal(row.indexOf('₩1,234.56') + '₩1,234.56'.length, header.indexOf('COST') + 4);
  assert.equal(total.indexOf('₩1,234.560042') + '₩1,234.560042'.length, header.indexOf('COST') + 4);
  assert.equal(total.length, row.length);
  const days = lines.filter((line) => /^2026-11-\d\d /.test(line));
  assert.equal(days.length, 30);
  assert.match(days[1] ?? '', /^2026-11-02\s+0\s+0\s+0\s+₩0$/);
  assert.equal(lines.at(-2), 'Ledger usage charges: ₩1,234.560042, equal to the report total.');
});

test('table: an empty month says so, and a mismatch names both sums and the difference', () => {
  const empty = buildUsageReport({
    records: [],
    period: parseReportMonth('2026-11'),
    currency: 'KRW',
    ledgerTotalMicros: 1_000_000n,
  });
  const text = formatUsageReportTable(empty);
  assert.match(text, /^No requests in 2026-11\.$/m);
  assert.match(
    text,
    /^LEDGER MISMATCH: the ledger charged ₩1 but the usage records total ₩0 \(difference ₩1\)\. Run `shepherd ledger check`\.$/m,
  );
});
