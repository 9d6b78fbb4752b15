import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import * as z from 'zod';
import { readChatStream } from '../../../test/helpers/read-chat-stream.ts';
import { startTestGateway } from '../../../test/helpers/start-test-gateway.ts';
import { parseScaledDecimal } from '../../accounting/parse-scaled-decimal.ts';
import type { UsageRecord } from '../../storage/ledger-store.ts';
import { registerErrorHandlers } from '../handle-errors.ts';
import { registerUsageRoute } from './usage-route.ts';

const errorSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string(),
  }),
});

const reportSchema = z.object({
  month: z.string(),
  accountId: z.string().nullable(),
  models: z.array(
    z.object({
      model: z.string(),
      requests: z.number(),
      ok: z.number(),
      costMicros: z.string(),
      cost: z.string(),
    }),
  ),
  days: z.array(z.object({ date: z.string(), requests: z.number(), costMicros: z.string() })),
  total: z.object({ requests: z.number(), costMicros: z.string(), cost: z.string() }),
  ledgerTotalMicros: z.string(),
  matchesLedger: z.boolean(),
});

test('GET /v1/usage reports the caller’s own requests, to the micro-unit the gateway charged', async (context) => {
  const harness = await startTestGateway();
  context.after(() => harness.close());
  const month = new Date().toISOString().slice(0, 7);
  const headers = { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' };
  let charged = 0n;

  for (const model of ['gpt-4.1', 'gpt-4.1', 'deepseek-v3.2']) {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello there' }] }),
    });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    const cost = response.headers.get('x-shepherd-cost');
    assert.ok(cost !== null, 'a billed answer reports its cost');
    charged += parseScaledDecimal(cost);
  }
  const streamed = await fetch(`${harness.baseUrl}/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      model: 'deepseek-v3.2',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Stream to me' }],
    }),
  });
  assert.equal(streamed.status, 200);
  assert.ok(streamed.body);
  const read = await readChatStream(streamed.body);
  assert.equal(read.done, true);
  const streamedCost = read.usage?.cost;
  assert.ok(streamedCost !== undefined, 'the usage chunk reports the cost');
  charged += BigInt(Math.round(streamedCost * 1_000_000));
  assert.ok(charged > 0n);

  // Another account's spend this month must not show in the caller's report.
  const other = await harness.store.createAccount({ name: 'someone-else' });
  await harness.store.settleUsage({ usage: foreignUsage(other.id) });

  const reported = await fetch(`${harness.baseUrl}/usage?month=${month}`, { headers });
  assert.equal(reported.status, 200);
  assert.equal(reported.headers.get('cache-control'), 'no-store');
  const report = reportSchema.parse(await reported.json());
  assert.equal(report.month, month);
  assert.equal(report.accountId, harness.accountId);
  assert.deepEqual(report.models.map((model) => [model.model, model.requests, model.ok]).sort(), [
    ['deepseek-v3.2', 2, 2],
    ['gpt-4.1', 2, 2],
  ]);
  assert.equal(report.total.requests, 4);
  assert.equal(BigInt(report.total.costMicros), charged);
  assert.equal(BigInt(report.ledgerTotalMicros), charged);
  assert.equal(report.matchesLedger, true);
  const sumOfModels = report.models.reduce((sum, model) => sum + BigInt(model.costMicros), 0n);
  const sumOfDays = report.days.reduce((sum, day) => sum + BigInt(day.costMicros), 0n);
  assert.equal(sumOfModels, charged);
  assert.equal(sumOfDays, charged);

  const byDefault = await fetch(`${harness.baseUrl}/usage`, { headers });
  assert.deepEqual(reportSchema.parse(await byDefault.json()), report);

  const bad = await fetch(`${harness.baseUrl}/usage?month=2026-13`, { headers });
  assert.equal(bad.status, 400);
  assert.deepEqual(errorSchema.parse(await bad.json()).error, {
    message:
      'The month must be a calendar month written YYYY-MM (for example 2026-11), not "2026-13".',
    type: 'invalid_request_error',
    param: 'month',
    code: 'invalid_request',
  });

  const anonymous = await fetch(`${harness.baseUrl}/usage`);
  assert.equal(anonymous.status, 401);
  await anonymous.arrayBuffer();
});

function foreignUsage(accountId: string): UsageRecord {
  return {
    requestId: `req_foreign_${accountId}`,
    accountId,
    keyId: 'key_foreign',
    requestedModel: 'gpt-4.1',
    servedModel: 'gpt-4.1',
    provider: 'simulated',
    upstreamModel: 'gpt-4.1',
    status: 'ok',
    errorCode: null,
    inputTokens: 1,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 1,
    reasoningTokens: 0,
    costMicros: 0n,
    currency: 'KRW',
    exchangeRate: '1400',
    estimated: false,
    timeToFirstTokenMs: null,
    timeToFirstReasoningMs: null,
    timeToFirstContentMs: null,
    upstreamTimeToFirstByteMs: null,
    totalMs: 1,
    tokensPerSecond: null,
    chunks: 1,
    gatewayOverheadMs: null,
    attempts: '[]',
    createdAt: new Date(),
  };
}

/** The route alone, behind a stand-in for the /v1 authentication hook. */
async function routeAlone(records: UsageRecord[], now: number) {
  const app = Fastify();
  app.decorateRequest('identity', undefined);
  registerErrorHandlers(app);
  await app.register(
    async (v1) => {
      v1.addHook('onRequest', async (request) => {
        request.identity = {
          accountId: 'acct_a',
          keyId: 'key_a',
          allowedModels: null,
          monthlySpendCapMicros: null,
        };
      });
      registerUsageRoute(v1, {
        store: {
          listUsageRecords: async (filter) =>
            records.filter(
              (record) =>
                record.createdAt >= filter.from &&
                record.createdAt < filter.to &&
                record.accountId === filter.accountId,
            ),
          sumUsageCharges: async () => 5n,
        },
        currency: 'KRW',
        now: () => now,
      });
    },
    { prefix: '/v1' },
  );
  return app;
}

test('without ?month the current UTC month is reported; a repeated month is refused', async () => {
  const app = await routeAlone(
    [
      {
        ...foreignUsage('acct_a'),
        costMicros: 5n,
        createdAt: new Date('2026-11-30T23:59:59.999Z'),
      },
    ],
    Date.parse('2026-11-30T23:59:59.999Z'),
  );
  try {
    const current = await app.inject({ method: 'GET', url: '/v1/usage' });
    assert.equal(current.statusCode, 200);
    const report = reportSchema.parse(current.json());
    assert.equal(report.month, '2026-11');
    assert.equal(report.total.cost, '0.000005');
    assert.equal(report.matchesLedger, true);
    assert.equal(report.days.length, 30);

    const repeated = await app.inject({
      method: 'GET',
      url: '/v1/usage?month=2026-11&month=2026-12',
    });
    assert.equal(repeated.statusCode, 400);
    assert.equal(errorSchema.parse(repeated.json()).error.param, 'month');

    const empty = await app.inject({ method: 'GET', url: '/v1/usage?month=' });
    assert.equal(empty.statusCode, 400);
    assert.match(errorSchema.parse(empty.json()).error.message, /YYYY-MM/);
  } finally {
    await app.close();
  }
});

test('a month with usage in another currency (billing.currency changed mid-month) is a 409 naming both, not a 500', async () => {
  const app = await routeAlone(
    [
      {
        ...foreignUsage('acct_a'),
        currency: 'USD',
        costMicros: 5n,
        createdAt: new Date('2026-11-02T00:00:00Z'),
      },
    ],
    Date.parse('2026-11-10T00:00:00Z'),
  );
  try {
    const response = await app.inject({ method: 'GET', url: '/v1/usage?month=2026-11' });
    assert.equal(response.statusCode, 409);
    const { error } = errorSchema.parse(response.json());
    assert.equal(error.code, 'report_currency_mismatch');
    assert.match(error.message, /USD.*KRW.*billing\.currency/);
  } finally {
    await app.close();
  }
});
