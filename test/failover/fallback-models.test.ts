import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { computeCostMicros } from '../../src/accounting/compute-cost.ts';
import { computeHoldMicros } from '../../src/accounting/compute-hold.ts';
import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import { createUsage } from '../../src/canonical/usage.ts';
import type { ModelEntry } from '../../src/config/config-schema.ts';
import type { UsageRecord } from '../../src/storage/ledger-store.ts';
import { parseOpenaiChatRequest } from '../../src/surfaces/openai/parse-openai-chat-request.ts';
import {
  attemptsOf,
  FAILOVER_TEST_PEPPER,
  type FailoverGateway,
  SIM,
  simModel,
  startFailoverGateway,
  summarizeStream,
} from './start-failover-gateway.ts';

/**
 * Issue 4, items 7 and 8: fallback models. `cheap` and `dear` name each other as fallbacks (a loop
 * in the config); `third` is only reachable through a request's `models` list. Prices differ so a
 * charge shows which model it was computed for.
 */

const MAX_ATTEMPTS = 5;

describe('fallback models', () => {
  let harness: FailoverGateway;
  before(async () => {
    harness = await startFailoverGateway({
      models: [
        simModel({
          id: 'cheap',
          routes: ['cheap-a'],
          pricing: { input: 1, output: 2 },
          fallbacks: ['dear'],
        }),
        simModel({
          id: 'dear',
          routes: ['dear-a'],
          pricing: { input: 5, output: 20 },
          fallbacks: ['cheap'],
        }),
        simModel({
          id: 'third',
          routes: ['third-a'],
          pricing: { input: 3, output: 7 },
          fallbacks: [],
        }),
        simModel({ id: 'cross', routes: ['cross-primary'], fallbacks: ['claude-ish'] }),
        simModel({ id: 'shared-1', routes: ['shared-x'], fallbacks: ['shared-2'] }),
        simModel({
          id: 'shared-2',
          routes: [
            { provider: SIM, model: 'shared-x', priority: 0 },
            { provider: SIM, model: 'shared-y', priority: 1 },
          ],
          fallbacks: [],
        }),
        simModel({
          id: 'claude-ish',
          routes: [{ provider: 'sim-anthropic', model: 'claude-fallback' }],
          fallbacks: [],
        }),
      ],
      providers: {
        'sim-anthropic': { type: 'anthropic', baseUrl: '{simulator}', apiKey: 'anthropic-key' },
      },
      routing: { retry: { maxAttempts: MAX_ATTEMPTS, backoffBaseMs: 5, backoffMaxMs: 20 } },
    });
  });
  beforeEach(async () => {
    harness.simulator.faults.clear();
    harness.simulator.clearRequests();
    await harness.resetAllUpstreams();
  });
  after(async () => harness.close());

  const message = [{ role: 'user', content: 'price me' }];
  const modelEntry = (id: string): ModelEntry => {
    const entry = harness.config.models.find((model) => model.id === id);
    assert.ok(entry, id);
    return entry;
  };
  const costAt = (row: UsageRecord, modelId: string): bigint => {
    const pricing = modelEntry(modelId).pricing;
    assert.ok(pricing);
    return computeCostMicros({
      usage: createUsage({
        inputTokens: row.inputTokens,
        cachedInputTokens: row.cachedInputTokens,
        cacheWriteTokens: row.cacheWriteTokens,
        cacheWrite1hTokens: row.cacheWrite1hTokens,
        outputTokens: row.outputTokens,
        reasoningTokens: row.reasoningTokens,
      }),
      pricing,
      exchangeRate: harness.config.billing.exchangeRate,
    });
  };

  for (const stream of [false, true]) {
    test(`a fallback model is charged at its own price (stream=${stream})`, async () => {
      harness.simulator.faults.add({ model: 'cheap-a', status: 500, times: 1 });
      const before = await harness.store.getBalance(harness.accountId);
      const result = await harness.chat({
        model: 'cheap',
        stream,
        ...(stream ? { stream_options: { include_usage: true } } : {}),
        messages: message,
      });
      assert.equal(result.status, 200, result.text);
      assert.equal(result.headers.get('x-shepherd-model'), 'dear');
      assert.equal(result.headers.get('x-shepherd-fallback'), 'true');
      assert.equal(result.headers.get('x-shepherd-attempts'), '2');

      const row = await harness.usageRow(result.requestId);
      assert.equal(row.requestedModel, 'cheap');
      assert.equal(row.servedModel, 'dear');
      assert.equal(row.estimated, false);
      assert.ok(row.outputTokens > 0);
      const expected = costAt(row, 'dear');
      assert.ok(expected !== costAt(row, 'cheap'), 'the two prices give different charges');
      assert.equal(row.costMicros, expected);
      if (stream) {
        const summary = summarizeStream(result.text);
        assert.ok(summary.done);
      } else {
        assert.equal(
          result.headers.get('x-shepherd-cost'),
          (Number(expected) / 1_000_000).toString(),
        );
      }
      // One charge: the failed attempt on `cheap` cost nothing.
      const afterBalance = await harness.store.getBalance(harness.accountId);
      assert.equal(before.postedMicros - afterBalance.postedMicros, expected);
      const entries = (
        await harness.store.listLedgerEntries({ accountId: harness.accountId, limit: 1_000 })
      ).filter((entry) => entry.requestId === result.requestId);
      assert.deepEqual(
        entries.map((entry) => [entry.kind, entry.amountMicros]),
        [['usage', -expected]],
      );
      assert.equal(await harness.store.countOpenHolds(), 0);
    });
  }

  test('the hold covers the dearest model of the chain', async () => {
    const body = { model: 'cheap', max_tokens: 1_000, messages: message };
    const request = parseOpenaiChatRequest(body);
    const holdOf = (id: string) =>
      computeHoldMicros({
        request,
        model: modelEntry(id),
        exchangeRate: harness.config.billing.exchangeRate,
        defaultHoldOutputTokens: harness.config.billing.defaultHoldOutputTokens,
      }).holdMicros;
    const cheapHold = holdOf('cheap');
    const dearHold = holdOf('dear');
    assert.ok(cheapHold * 2n < dearHold);
    // Enough for `cheap` alone, not for a fallback to `dear`.
    const balance = cheapHold * 2n;
    const issued = await issueApiKey({
      store: harness.store,
      pepper: FAILOVER_TEST_PEPPER,
      accountName: 'small-balance',
      keyName: 'small',
    });
    await harness.store.postCredit({
      kind: 'top_up',
      accountId: issued.accountId,
      amountMicros: balance,
      idempotencyKey: `small-balance:${issued.accountId}`,
    });
    const send = (headers: Record<string, string>) =>
      fetch(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${issued.key}`,
          'content-type': 'application/json',
          ...headers,
        },
        body: JSON.stringify(body),
      });
    const refused = await send({});
    assert.equal(refused.status, 402, await refused.text());
    assert.equal(harness.upstreamCalls('cheap-a'), 0);
    const alone = await send({ 'x-shepherd-fallback': 'none' });
    assert.equal(alone.status, 200, await alone.text());
    assert.equal(alone.headers.get('x-shepherd-model'), 'cheap');
    assert.equal(await harness.store.countOpenHolds(), 0);
  });

  test('x-shepherd-fallback: none keeps the request on its own model', async () => {
    harness.simulator.faults.add({ model: 'cheap-a', status: 500 });
    const result = await harness.chat(
      { model: 'cheap', messages: message },
      { 'x-shepherd-fallback': 'none' },
    );
    assert.equal(result.status, 502, result.text);
    assert.equal(result.headers.get('x-shepherd-fallback'), 'false');
    assert.equal(result.headers.get('x-shepherd-attempts'), String(MAX_ATTEMPTS));
    assert.equal(harness.upstreamCalls('dear-a'), 0);
    assert.equal(harness.upstreamCalls('cheap-a'), MAX_ATTEMPTS);
    const row = await harness.usageRow(result.requestId);
    assert.ok(attemptsOf(row).every((attempt) => attempt.modelId === 'cheap'));
    assert.equal(row.costMicros, 0n);
  });

  test('x-shepherd-fallback: auto uses the configured fallbacks; other values are refused', async () => {
    harness.simulator.faults.add({ model: 'cheap-a', status: 500, times: 1 });
    const auto = await harness.chat(
      { model: 'cheap', messages: message },
      { 'x-shepherd-fallback': 'auto' },
    );
    assert.equal(auto.status, 200, auto.text);
    assert.equal(auto.headers.get('x-shepherd-model'), 'dear');
    const bad = await harness.chat(
      { model: 'cheap', messages: message },
      { 'x-shepherd-fallback': 'sometimes' },
    );
    assert.equal(bad.status, 400, bad.text);
    assert.equal(harness.upstreamCalls('cheap-a'), 1, 'a refused header sends nothing upstream');
  });

  test('models in the body replace the configured fallbacks, in their order', async () => {
    harness.simulator.faults.add({ model: 'cheap-a', status: 503, times: 1 });
    const first = await harness.chat({
      model: 'cheap',
      models: ['third', 'dear'],
      messages: message,
    });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('x-shepherd-model'), 'third');
    assert.equal(harness.upstreamCalls('dear-a'), 0);
    const row = await harness.usageRow(first.requestId);
    assert.equal(row.costMicros, costAt(row, 'third'));

    harness.simulator.faults.add({ model: 'cheap-a', status: 503, times: 1 });
    harness.simulator.faults.add({ model: 'third-a', status: 503, times: 1 });
    const second = await harness.chat({
      model: 'cheap',
      models: ['cheap', 'third', 'dear'],
      messages: message,
    });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.headers.get('x-shepherd-model'), 'dear');
    assert.equal(second.headers.get('x-shepherd-attempts'), '3');
    assert.deepEqual(
      attemptsOf(await harness.usageRow(second.requestId)).map((attempt) => attempt.modelId),
      ['cheap', 'third', 'dear'],
    );
  });

  test('an unknown model in models is a 404 naming it, before anything is sent', async () => {
    const result = await harness.chat({
      model: 'cheap',
      models: ['third', 'no-such-model'],
      messages: message,
    });
    assert.equal(result.status, 404, result.text);
    const body = JSON.parse(result.text) as { error: { code: string; param: string } };
    assert.equal(body.error.code, 'model_not_found');
    assert.equal(body.error.param, 'models[1]');
    assert.equal(harness.simulator.requests.length, 0);
  });

  test('fallbacks a key may not use: configured ones are skipped, requested ones refused', async () => {
    const issued = await issueApiKey({
      store: harness.store,
      pepper: FAILOVER_TEST_PEPPER,
      accountName: 'failover',
      keyName: 'cheap-only',
    });
    await harness.store.setApiKeyPolicy(issued.keyId, {
      monthlySpendCapMicros: null,
      allowedModels: ['cheap'],
      expiresAt: null,
    });
    const send = (body: Record<string, unknown>) =>
      fetch(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${issued.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    harness.simulator.faults.add({ model: 'cheap-a', status: 500 });
    const skipped = await send({ model: 'cheap', messages: message });
    assert.equal(skipped.status, 502, await skipped.text());
    assert.equal(skipped.headers.get('x-shepherd-fallback'), 'false');
    assert.equal(harness.upstreamCalls('dear-a'), 0, 'the key may not use dear');
    const refused = await send({ model: 'cheap', models: ['dear'], messages: message });
    assert.equal(refused.status, 403, await refused.text());
  });

  test('a fallback loop (cheap → dear → cheap) tries each deployment once per pass', async () => {
    // Credential failures are never retried on the same deployment: one pass, two attempts.
    harness.simulator.faults.add({ model: 'cheap-a', status: 401 });
    harness.simulator.faults.add({ model: 'dear-a', status: 401 });
    const once = await harness.chat({ model: 'cheap', messages: message });
    assert.equal(once.status, 502, once.text);
    assert.equal(once.headers.get('x-shepherd-attempts'), '2');
    assert.deepEqual(
      attemptsOf(await harness.usageRow(once.requestId)).map((attempt) => attempt.deploymentId),
      [`${SIM}/cheap-a`, `${SIM}/dear-a`],
    );
    await harness.resetAllUpstreams();
    harness.simulator.faults.clear();
    harness.simulator.clearRequests();

    // Transient failures are retried, but only up to maxAttempts and only on those two.
    harness.simulator.faults.add({ model: 'cheap-a', status: 500 });
    harness.simulator.faults.add({ model: 'dear-a', status: 500 });
    for (const model of ['cheap', 'dear']) {
      await harness.resetAllUpstreams();
      const result = await harness.chat({ model, messages: message });
      assert.equal(result.status, 502, result.text);
      const chain = attemptsOf(await harness.usageRow(result.requestId)).map(
        (attempt) => attempt.deploymentId,
      );
      assert.ok(chain.length <= MAX_ATTEMPTS, chain.join());
      const other = model === 'cheap' ? 'dear' : 'cheap';
      assert.deepEqual(chain.slice(0, 2), [`${SIM}/${model}-a`, `${SIM}/${other}-a`]);
      assert.deepEqual(new Set(chain), new Set([`${SIM}/cheap-a`, `${SIM}/dear-a`]));
    }
    assert.equal(harness.upstreamCalls('third-a'), 0);
  });

  const anthropicCalls = () =>
    harness.simulator.requests.filter((entry) => entry.path.startsWith('/v1/messages')).length;

  for (const stream of [false, true]) {
    test(`a fallback on another provider dialect serves (stream=${stream})`, async () => {
      harness.simulator.faults.add({ model: 'cross-primary', status: 502, times: 1 });
      const result = await harness.chat({ model: 'cross', stream, messages: message });
      assert.equal(result.status, 200, result.text);
      assert.equal(result.headers.get('x-shepherd-model'), 'claude-ish');
      assert.equal(result.headers.get('x-shepherd-provider'), 'sim-anthropic');
      assert.equal(result.headers.get('x-shepherd-fallback'), 'true');
      assert.equal(anthropicCalls(), 1);
      if (stream) assert.ok(summarizeStream(result.text).done);
      const row = await harness.usageRow(result.requestId);
      assert.equal(row.servedModel, 'claude-ish');
      assert.equal(row.costMicros, costAt(row, 'claude-ish'));
    });
  }

  test('a fallback that cannot express the request is skipped without an attempt', async () => {
    // Anthropic has no `seed`: the fallback model cannot take this request at all.
    harness.simulator.faults.add({ model: 'cross-primary', status: 500 });
    const result = await harness.chat({ model: 'cross', seed: 7, messages: message });
    assert.equal(result.status, 502, result.text);
    assert.equal(
      (JSON.parse(result.text) as { error: { code: string } }).error.code,
      'upstream_error',
    );
    assert.equal(result.headers.get('x-shepherd-fallback'), 'false');
    assert.equal(anthropicCalls(), 0);
    const chain = attemptsOf(await harness.usageRow(result.requestId));
    assert.equal(result.headers.get('x-shepherd-attempts'), String(chain.length));
    // The unusable fallback is not an attempt: the primary is retried up to the cap instead.
    assert.equal(chain.length, MAX_ATTEMPTS);
    assert.ok(chain.every((attempt) => attempt.deploymentId === `${SIM}/cross-primary`));
  });

  test('a deployment shared by two models of the chain is tried once, under the first', async () => {
    const shared = await harness.upstream(`${SIM}/shared-x`);
    assert.deepEqual(shared.modelIds, ['shared-1', 'shared-2']);
    harness.simulator.faults.add({ model: 'shared-x', status: 500, times: 1 });
    const result = await harness.chat({ model: 'shared-1', messages: message });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('x-shepherd-model'), 'shared-2');
    assert.deepEqual(
      attemptsOf(await harness.usageRow(result.requestId)).map((attempt) => [
        attempt.deploymentId,
        attempt.modelId,
      ]),
      [
        [`${SIM}/shared-x`, 'shared-1'],
        [`${SIM}/shared-y`, 'shared-2'],
      ],
    );
    assert.equal(harness.upstreamCalls('shared-x'), 1);
  });
});
