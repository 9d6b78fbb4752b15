import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { UsageRecord } from '../storage/ledger-store.ts';
import { buildUsageReport, UsageReportCurrencyError } from './build-usage-report.ts';
import { parseReportMonth } from './parse-report-month.ts';
import { makeUsageRecord } from './test-support/make-usage-record.ts';

const november = parseReportMonth('2026-11');

/** Four November records on two models, and one on each side of the month. */
const records: UsageRecord[] = [
  makeUsageRecord({
    requestId: 'req_first_instant',
    createdAt: new Date('2026-11-01T00:00:00.000Z'),
    servedModel: 'gpt-4.1',
    inputTokens: 1000,
    cachedInputTokens: 200,
    outputTokens: 500,
    costMicros: 3_000_000n,
    timeToFirstTokenMs: 100,
    tokensPerSecond: 50,
  }),
  makeUsageRecord({
    requestId: 'req_failed',
    createdAt: new Date('2026-11-15T12:00:00.000Z'),
    servedModel: 'gpt-4.1',
    status: 'error',
    errorCode: 'GW_ERR_UPSTREAM_5XX',
    inputTokens: 10,
  }),
  makeUsageRecord({
    requestId: 'req_cut',
    createdAt: new Date('2026-11-15T23:00:00.000Z'),
    servedModel: 'claude-sonnet-4',
    status: 'client_closed',
    estimated: true,
    inputTokens: 2000,
    cacheWriteTokens: 500,
    outputTokens: 300,
    reasoningTokens: 100,
    costMicros: 1_000_001n,
    timeToFirstTokenMs: 300,
    tokensPerSecond: 20,
  }),
  makeUsageRecord({
    requestId: 'req_last_instant',
    createdAt: new Date('2026-11-30T23:59:59.999Z'),
    servedModel: 'gpt-4.1',
    inputTokens: 100,
    outputTokens: 50,
    costMicros: 1n,
    timeToFirstTokenMs: 200,
    tokensPerSecond: 70,
  }),
  makeUsageRecord({
    requestId: 'req_december',
    createdAt: new Date('2026-12-01T00:00:00.000Z'),
    servedModel: 'gpt-4.1',
    costMicros: 999n,
  }),
  makeUsageRecord({
    requestId: 'req_october',
    createdAt: new Date('2026-10-31T23:59:59.999Z'),
    servedModel: 'gpt-4.1',
    costMicros: 777n,
  }),
];

const zeroTokens = { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 };

test('per model: counts, tokens by kind, exact cost, share and nearest-rank latency', () => {
  const report = buildUsageReport({
    records,
    period: november,
    currency: 'KRW',
    ledgerTotalMicros: 4_000_002n,
  });
  assert.deepEqual(report.models, [
    {
      model: 'gpt-4.1',
      requests: 3,
      ok: 2,
      errors: 1,
      clientClosed: 0,
      estimated: 0,
      tokens: { input: 1110, cachedInput: 200, cacheWrite: 0, output: 550, reasoning: 0 },
      costMicros: 3_000_001n,
      // 7499 after flooring; the last point goes to the larger remainder.
      shareBasisPoints: 7500,
      ttftP50Ms: 100,
      ttftP95Ms: 200,
      tokensPerSecondMedian: 50,
    },
    {
      model: 'claude-sonnet-4',
      requests: 1,
      ok: 0,
      errors: 0,
      clientClosed: 1,
      estimated: 1,
      tokens: { input: 2000, cachedInput: 0, cacheWrite: 500, output: 300, reasoning: 100 },
      costMicros: 1_000_001n,
      shareBasisPoints: 2500,
      ttftP50Ms: 300,
      ttftP95Ms: 300,
      tokensPerSecondMedian: 20,
    },
  ]);
  assert.deepEqual(report.total, {
    requests: 4,
    ok: 2,
    errors: 1,
    clientClosed: 1,
    estimated: 1,
    tokens: { input: 3110, cachedInput: 200, cacheWrite: 500, output: 850, reasoning: 100 },
    costMicros: 4_000_002n,
    ttftP50Ms: 200,
    ttftP95Ms: 300,
    tokensPerSecondMedian: 50,
  });
  assert.equal(report.month, '2026-11');
  assert.equal(report.accountId, null);
  assert.equal(report.ledgerTotalMicros, 4_000_002n);
  assert.equal(report.matchesLedger, true);
});

test('days: every UTC day of the month, zeros included; the month’s last millisecond is in it', () => {
  const report = buildUsageReport({
    records,
    period: november,
    currency: 'KRW',
    ledgerTotalMicros: 4_000_002n,
  });
  assert.equal(report.days.length, 30);
  assert.equal(report.days[0]?.date, '2026-11-01');
  assert.equal(report.days.at(-1)?.date, '2026-11-30');
  const busy = report.days.filter((day) => day.requests > 0);
  assert.deepEqual(busy, [
    {
      date: '2026-11-01',
      requests: 1,
      tokens: { input: 1000, cachedInput: 200, cacheWrite: 0, output: 500, reasoning: 0 },
      costMicros: 3_000_000n,
    },
    {
      date: '2026-11-15',
      requests: 2,
      tokens: { input: 2010, cachedInput: 0, cacheWrite: 500, output: 300, reasoning: 100 },
      costMicros: 1_000_001n,
    },
    {
      date: '2026-11-30',
      requests: 1,
      tokens: { input: 100, cachedInput: 0, cacheWrite: 0, output: 50, reasoning: 0 },
      costMicros: 1n,
    },
  ]);
  assert.deepEqual(report.days[1], {
    date: '2026-11-02',
    requests: 0,
    tokens: zeroTokens,
    costMicros: 0n,
  });
});

test('the record at 2026-12-01T00:00:00.000Z is December’s, alone', () => {
  const report = buildUsageReport({
    records,
    period: parseReportMonth('2026-12'),
    currency: 'KRW',
    ledgerTotalMicros: 999n,
  });
  assert.equal(report.days.length, 31);
  assert.equal(report.total.requests, 1);
  assert.equal(report.total.costMicros, 999n);
  assert.equal(report.days[0]?.costMicros, 999n);
  assert.equal(report.matchesLedger, true);
});

test('an empty month: no models, every day zero, no latency, and 0 matches a 0 ledger', () => {
  const report = buildUsageReport({
    records: [],
    period: parseReportMonth('2028-02'),
    currency: 'KRW',
    ledgerTotalMicros: 0n,
  });
  assert.deepEqual(report.models, []);
  assert.equal(report.days.length, 29);
  assert.ok(report.days.every((day) => day.requests === 0 && day.costMicros === 0n));
  assert.deepEqual(report.total, {
    requests: 0,
    ok: 0,
    errors: 0,
    clientClosed: 0,
    estimated: 0,
    tokens: zeroTokens,
    costMicros: 0n,
    ttftP50Ms: null,
    ttftP95Ms: null,
    tokensPerSecondMedian: null,
  });
  assert.equal(report.matchesLedger, true);
});

test('a ledger total one micro-unit off the records is flagged', () => {
  for (const ledgerTotalMicros of [4_000_001n, 4_000_003n, 0n]) {
    const report = buildUsageReport({
      records,
      period: november,
      currency: 'KRW',
      ledgerTotalMicros,
    });
    assert.equal(report.matchesLedger, false);
    assert.equal(report.ledgerTotalMicros, ledgerTotalMicros);
    assert.equal(report.total.costMicros, 4_000_002n);
  }
  const empty = parseReportMonth('2028-02');
  const report = buildUsageReport({
    records: [],
    period: empty,
    currency: 'KRW',
    ledgerTotalMicros: 5n,
  });
  assert.equal(report.matchesLedger, false);
});

test('with an account, only that account’s records count', () => {
  const mixed = [
    ...records,
    makeUsageRecord({
      requestId: 'req_other_account',
      accountId: 'acct_b',
      createdAt: new Date('2026-11-10T00:00:00.000Z'),
      servedModel: 'gpt-4.1',
      costMicros: 5n,
    }),
  ];
  const everyone = buildUsageReport({
    records: mixed,
    period: november,
    currency: 'KRW',
    ledgerTotalMicros: 4_000_007n,
  });
  assert.equal(everyone.total.costMicros, 4_000_007n);
  const accountB = buildUsageReport({
    records: mixed,
    period: november,
    currency: 'KRW',
    ledgerTotalMicros: 5n,
    accountId: 'acct_b',
  });
  assert.equal(accountB.accountId, 'acct_b');
  assert.equal(accountB.total.requests, 1);
  assert.deepEqual(
    accountB.models.map((model) => [model.model, model.costMicros, model.shareBasisPoints]),
    [['gpt-4.1', 5n, 10_000]],
  );
  assert.equal(accountB.matchesLedger, true);
});

test('models with equal spend are ordered by id; an unspent month gives every model 0 share', () => {
  const free = ['model-c', 'model-a', 'model-b'].map((servedModel, index) =>
    makeUsageRecord({
      requestId: `req_${index}`,
      createdAt: new Date('2026-11-03T00:00:00.000Z'),
      servedModel,
    }),
  );
  const report = buildUsageReport({
    records: free,
    period: november,
    currency: 'KRW',
    ledgerTotalMicros: 0n,
  });
  assert.deepEqual(
    report.models.map((model) => [model.model, model.shareBasisPoints]),
    [
      ['model-a', 0],
      ['model-b', 0],
      ['model-c', 0],
    ],
  );
});

test('a record priced in another currency is refused rather than summed', () => {
  const dollars = makeUsageRecord({
    requestId: 'req_usd',
    createdAt: new Date('2026-11-02T00:00:00.000Z'),
    currency: 'USD',
    costMicros: 1n,
  });
  assert.throws(
    () =>
      buildUsageReport({
        records: [dollars],
        period: november,
        currency: 'KRW',
        ledgerTotalMicros: 1n,
      }),
    UsageReportCurrencyError,
  );
});

const recordArbitrary = fc.record({
  offsetMs: fc.integer({ min: -86_400_000, max: 31 * 86_400_000 }),
  model: fc.constantFrom('gpt-4.1', 'claude-sonnet-4', 'gemini-2.5-flash', 'local/llama'),
  status: fc.constantFrom('ok' as const, 'error' as const, 'client_closed' as const),
  costMicros: fc.bigInt({ min: 0n, max: 10n ** 13n }),
  inputTokens: fc.nat({ max: 1_000_000 }),
  outputTokens: fc.nat({ max: 100_000 }),
  ttft: fc.option(fc.double({ min: 0, max: 60_000, noNaN: true }), { nil: null }),
});

test('property: Σ per-model cost = Σ per-day cost = total, and shares sum to 100 %', () => {
  fc.assert(
    fc.property(fc.array(recordArbitrary, { maxLength: 60 }), fc.boolean(), (drawn, exact) => {
      const generated = drawn.map((entry, index) =>
        makeUsageRecord({
          requestId: `req_${index}`,
          createdAt: new Date(november.from.getTime() + entry.offsetMs),
          servedModel: entry.model,
          status: entry.status,
          costMicros: entry.costMicros,
          inputTokens: entry.inputTokens,
          outputTokens: entry.outputTokens,
          timeToFirstTokenMs: entry.ttft,
        }),
      );
      const inMonth = generated.filter(
        (record) => record.createdAt >= november.from && record.createdAt < november.to,
      );
      const expected = inMonth.reduce((sum, record) => sum + record.costMicros, 0n);
      const ledgerTotalMicros = exact ? expected : expected + 1n;
      const report = buildUsageReport({
        records: generated,
        period: november,
        currency: 'KRW',
        ledgerTotalMicros,
      });
      const byModel = report.models.reduce((sum, model) => sum + model.costMicros, 0n);
      const byDay = report.days.reduce((sum, day) => sum + day.costMicros, 0n);
      assert.equal(report.total.costMicros, expected);
      assert.equal(byModel, expected);
      assert.equal(byDay, expected);
      assert.equal(report.matchesLedger, exact);
      assert.equal(report.days.length, 30);
      assert.equal(
        report.models.reduce((sum, model) => sum + model.requests, 0),
        inMonth.length,
      );
      assert.equal(
        report.days.reduce((sum, day) => sum + day.requests, 0),
        inMonth.length,
      );
      for (const model of report.models) {
        assert.equal(model.ok + model.errors + model.clientClosed, model.requests);
        if (model.ttftP50Ms !== null && model.ttftP95Ms !== null) {
          assert.ok(model.ttftP50Ms <= model.ttftP95Ms);
        }
      }
      assert.equal(
        report.models.reduce((sum, model) => sum + model.shareBasisPoints, 0),
        expected > 0n ? 10_000 : 0,
      );
    }),
  );
});
