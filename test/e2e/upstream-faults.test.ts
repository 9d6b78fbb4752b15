import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const ADMIN_TOKEN = 'upstream-faults-admin-token-7d1c9e4b2a';

interface ErrorBody {
  error: { message: string; type: string; code: string };
}

describe('provider failures reach the client as clear, correctly-statused errors', () => {
  let harness: TestGateway;
  let client: OpenAI;
  before(async () => {
    harness = await startTestGateway({
      // One attempt: this suite checks how a single failure reaches the client (failover and
      // retries have their own suite in test/failover/).
      configure: (config) => {
        config.routing.retry.maxAttempts = 1;
        config.admin.token = ADMIN_TOKEN;
      },
      // Slow enough that a 4,000-token answer would take 40 s to finish on its own.
      simulatorProfiles: { 'deepseek-reasoner': { timeToFirstTokenMs: 0, tokensPerSecond: 100 } },
    });
    client = new OpenAI({ apiKey: harness.apiKey, baseURL: harness.baseUrl, maxRetries: 0 });
  });
  // Each test starts from healthy deployments: a 429's Retry-After keeps its deployment out for
  // later requests too (the gateway honours it), which is not what the next test is about.
  beforeEach(async () => {
    harness.simulator.faults.clear();
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const origin = harness.baseUrl.replace(/\/v1$/, '');
    const listed = await fetch(`${origin}/admin/api/upstreams`, { headers: admin });
    const { data } = (await listed.json()) as { data: Array<{ id: string }> };
    for (const { id } of data) {
      const reset = await fetch(`${origin}/admin/api/upstreams/reset`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ id }),
      });
      assert.equal(reset.status, 200);
    }
  });
  after(async () => harness.close());

  async function call(model: string, stream = false) {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  for (const model of [
    'gpt-4.1',
    'claude-sonnet-4-20250514',
    'gemini-2.5-flash',
    'deepseek-v3.2',
  ]) {
    test(`${model}: a provider 429 stays 429 and keeps its retry delay`, async () => {
      harness.simulator.faults.add({ status: 429, retryAfterSeconds: 7 });
      for (const stream of [false, true]) {
        const result = await call(model, stream);
        assert.equal(result.status, 429, `stream=${stream}`);
        assert.equal(result.headers.get('retry-after'), '7');
        const body = JSON.parse(result.text) as ErrorBody;
        assert.equal(body.error.code, 'rate_limit_exceeded');
        assert.equal(body.error.type, 'rate_limit_error');
      }
    });

    test(`${model}: a provider 500 is a 502 and a 503 stays 503`, async () => {
      harness.simulator.faults.add({ status: 500, times: 1 });
      const failed = await call(model);
      assert.equal(failed.status, 502);
      assert.equal((JSON.parse(failed.text) as ErrorBody).error.type, 'server_error');
      harness.simulator.faults.add({ status: 503, times: 1 });
      assert.equal((await call(model)).status, 503);
    });

    test(`${model}: a stream cut mid-answer ends with an error event and no [DONE]`, async () => {
      harness.simulator.faults.add({ cutAfterChunks: 2 });
      const result = await call(model, true);
      assert.equal(result.status, 200);
      const payloads = result.text
        .split('\n\n')
        .filter(Boolean)
        .map((frame) => frame.slice('data: '.length));
      assert.ok(!payloads.includes('[DONE]'), 'a cut stream must not end with [DONE]');
      const last = JSON.parse(payloads.at(-1) ?? '{}') as ErrorBody;
      assert.equal(last.error.code, 'upstream_stream_error');
      const contentChunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload));
      assert.ok(contentChunks.every((chunk) => chunk.choices[0].finish_reason === null));
    });
  }

  test('the openai SDK raises on a cut stream instead of returning a truncated answer', async () => {
    harness.simulator.faults.add({ cutAfterChunks: 2 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    await assert.rejects(async () => {
      for await (const _chunk of stream) {
        // drain until the error event
      }
    }, /connection to the provider broke/);
  });

  test('a provider error event before any content is a real HTTP error', async () => {
    harness.simulator.faults.add({ errorEventAfterChunks: 0 });
    const result = await call('claude-sonnet-4-20250514', true);
    assert.equal(result.status, 503);
    assert.equal((JSON.parse(result.text) as ErrorBody).error.code, 'upstream_overloaded');
  });

  test('an unreachable provider is a 502 naming no internal address', async () => {
    harness.simulator.faults.add({ resetConnection: true, times: 1 });
    const result = await call('gpt-4.1');
    assert.equal(result.status, 502);
    assert.ok(!result.text.includes('127.0.0.1'), result.text);
    assert.equal((JSON.parse(result.text) as ErrorBody).error.code, 'upstream_unreachable');
  });

  test('a client that disconnects mid-stream aborts the upstream request', async () => {
    const controller = new AbortController();
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'deepseek-v3.2-reasoner',
        stream: true,
        messages: [{ role: 'user', content: '[simulate tokens=4000] tell me a long story' }],
      }),
    });
    assert.equal(response.status, 200);
    const reader = response.body?.getReader();
    assert.ok(reader);
    await reader.read();
    assert.equal(
      harness.simulator.inFlightCount(),
      1,
      'the upstream answer should still be running',
    );
    controller.abort();
    for (let attempt = 0; attempt < 100 && harness.simulator.inFlightCount() > 0; attempt += 1) {
      await delay(20);
    }
    assert.equal(harness.simulator.inFlightCount(), 0, 'the upstream response is still running');
  });
});
