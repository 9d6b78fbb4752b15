/**
 * The timings a usage row stores must mean what protocols.md §6 says: a rate only where tokens
 * arrived over time, and an upstream time to first byte from one attempt's own send and headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UsageRecord } from '../../src/storage/ledger-store.ts';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

describe('usage row timings', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway({
      // 30 ms to the first token, then 1 000 tokens/s: a non-stream answer of 50 tokens takes about
      // 80 ms upstream, and its headers come once it is whole.
      simulatorProfiles: { 'gpt-4.1': { timeToFirstTokenMs: 30, tokensPerSecond: 1_000 } },
      configure(config) {
        config.routing.retry = { ...config.routing.retry, backoffBaseMs: 1, backoffMaxMs: 2 };
      },
    });
  });
  after(async () => harness.close());

  async function post(body: unknown): Promise<{ status: number; requestId: string }> {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.text();
    const requestId = response.headers.get('x-request-id');
    assert.ok(requestId);
    return { status: response.status, requestId };
  }

  async function row(requestId: string): Promise<UsageRecord> {
    for (let tries = 0; tries < 200; tries += 1) {
      const rows = await harness.store.listUsageRecords({
        from: new Date(0),
        to: new Date(Date.now() + 60_000),
      });
      const found = rows.find((candidate) => candidate.requestId === requestId);
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.fail(`no usage row for ${requestId}`);
  }

  test('a non-stream answer has no tokens/s, and its upstream time is until its headers', async () => {
    const answer = await post({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'hi [simulate tokens=50]' }],
    });
    assert.equal(answer.status, 200);
    const record = await row(answer.requestId);
    assert.equal(record.outputTokens, 50);
    // All 50 tokens arrived at once: a rate over the moments after they arrived meant nothing.
    assert.equal(record.tokensPerSecond, null);
    assert.ok(record.upstreamTimeToFirstByteMs !== null);
    assert.ok(record.upstreamTimeToFirstByteMs >= 30, String(record.upstreamTimeToFirstByteMs));
    assert.ok(record.upstreamTimeToFirstByteMs <= record.totalMs);
  });

  test('a stream keeps its rate after the first token', async () => {
    const answer = await post({
      model: 'gpt-4.1',
      stream: true,
      messages: [{ role: 'user', content: 'hi [simulate tokens=50]' }],
    });
    assert.equal(answer.status, 200);
    const record = await row(answer.requestId);
    assert.ok(record.tokensPerSecond !== null && record.tokensPerSecond > 0);
  });

  test('after attempts that ended without headers, no earlier attempt lends its headers', async () => {
    // The first attempt gets its headers and fails before content; the next ones get 503s.
    harness.simulator.faults.add({ errorEventAfterChunks: 0, times: 1 });
    harness.simulator.faults.add({ status: 503, times: 10 });
    try {
      const answer = await post({
        model: 'gpt-4.1',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      });
      assert.notEqual(answer.status, 200);
      const record = await row(answer.requestId);
      assert.equal(record.status, 'error');
      // The serving (last) attempt never had headers: no time to first byte, not a negative one.
      assert.equal(record.upstreamTimeToFirstByteMs, null);
    } finally {
      harness.simulator.faults.clear();
    }
  });
});
