import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { isRecord } from '../util/safe-parse-json.ts';
import { type RunningSimulator, startSimulator } from './start-simulator.ts';
import { dataPayloads } from './test-support/data-payloads.ts';
import { parseJsonObject } from './test-support/parse-json-object.ts';
import { postToSimulator } from './test-support/post-to-simulator.ts';

const AUTH = { authorization: 'Bearer sk-deepseek-test' };

describe('simulator as DeepSeek', () => {
  let simulator: RunningSimulator;
  let client: OpenAI;
  before(async () => {
    simulator = await startSimulator({ latency: 'instant' });
    client = new OpenAI({ apiKey: 'sk-deepseek-test', baseURL: simulator.url, maxRetries: 0 });
  });
  after(async () => simulator.close());

  test('the openai SDK streams deepseek-reasoner: reasoning_content before content, usage on the finish chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'deepseek-reasoner',
      stream: true,
      messages: [{ role: 'user', content: 'Why? [simulate tokens=4 reasoning=3]' }],
    });
    let reasoning = '';
    let text = '';
    const order: string[] = [];
    let usage: unknown;
    for await (const chunk of stream) {
      const delta: unknown = chunk.choices[0]?.delta;
      if (
        isRecord(delta) &&
        typeof delta.reasoning_content === 'string' &&
        delta.reasoning_content !== ''
      ) {
        reasoning += delta.reasoning_content;
        order.push('reasoning');
      }
      if (isRecord(delta) && typeof delta.content === 'string' && delta.content !== '') {
        text += delta.content;
        order.push('content');
      }
      if (chunk.usage) {
        assert.equal(chunk.choices[0]?.finish_reason, 'stop', 'usage arrives on the finish chunk');
        usage = chunk.usage;
      }
    }
    assert.equal(reasoning, 'Simulated reasoning from');
    assert.equal(text, "Simulated reply from Shepherd's");
    assert.equal(order.lastIndexOf('reasoning') < order.indexOf('content'), true);
    assert.deepEqual(usage, {
      prompt_tokens: 9, // ceil(36 / 4)
      completion_tokens: 7,
      total_tokens: 16,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 3 },
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 9,
    });
  });

  test('raw bytes: keep-alive comment first, no separate usage chunk even with include_usage', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/chat/completions',
      headers: AUTH,
      body: {
        model: 'deepseek-chat',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'x [simulate tokens=2]' }],
      },
    });
    assert.ok(reply.text.startsWith(': keep-alive\n\ndata: '));
    const payloads = dataPayloads(reply.text);
    assert.equal(payloads.at(-1), '[DONE]');
    const chunks = payloads.slice(0, -1).map(parseJsonObject);
    assert.equal(chunks.length, 4); // role, 2 content, finish (+usage)
    assert.ok(chunks.slice(0, -1).every((chunk) => !('usage' in chunk)));
    const finish = chunks.at(-1);
    assert.deepEqual(finish?.choices, [
      { index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop' },
    ]);
    assert.ok(isRecord(finish?.usage));
    assert.equal(finish.usage.prompt_tokens, 6);
    assert.ok(!('completion_tokens_details' in finish.usage));
    assert.deepEqual(chunks[0]?.choices, [
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
    ]);
  });

  test('thinking enabled on deepseek-chat reasons; disabled on the reasoner does not', async () => {
    const ask = async (model: string, thinking: string) => {
      const reply = await postToSimulator({
        url: simulator.url,
        path: '/chat/completions',
        headers: AUTH,
        body: {
          model,
          thinking: { type: thinking },
          messages: [{ role: 'user', content: 'q [simulate tokens=1 reasoning=2]' }],
        },
      });
      const body = parseJsonObject(reply.text);
      assert.ok(
        Array.isArray(body.choices) &&
          isRecord(body.choices[0]) &&
          isRecord(body.choices[0].message),
      );
      assert.ok(isRecord(body.usage));
      return { message: body.choices[0].message, completionTokens: body.usage.completion_tokens };
    };
    const enabled = await ask('deepseek-chat', 'enabled');
    assert.equal(enabled.message.reasoning_content, 'Simulated reasoning');
    assert.equal(enabled.completionTokens, 3);
    const disabled = await ask('deepseek-reasoner', 'disabled');
    assert.ok(!('reasoning_content' in disabled.message));
    assert.equal(disabled.completionTokens, 1);
  });

  test('a non-streaming answer starts with a blank keep-alive line and reports hit and miss', async () => {
    const body = {
      model: 'deepseek-chat',
      messages: [
        { role: 'system', content: 'You are a careful assistant for the gateway tests.' },
        { role: 'user', content: 'x [simulate tokens=1]' },
      ],
    };
    const first = await postToSimulator({
      url: simulator.url,
      path: '/v1/chat/completions',
      headers: AUTH,
      body,
    });
    assert.ok(first.text.startsWith('\n{'));
    const second = await postToSimulator({
      url: simulator.url,
      path: '/v1/chat/completions',
      headers: AUTH,
      body,
    });
    const usage = parseJsonObject(second.text).usage;
    assert.ok(isRecord(usage));
    // system 50 chars → 13 cached tokens; prompt ceil((50 + 21) / 4) = 18
    assert.deepEqual(
      [usage.prompt_tokens, usage.prompt_cache_hit_tokens, usage.prompt_cache_miss_tokens],
      [18, 13, 5],
    );
    assert.deepEqual(usage.prompt_tokens_details, { cached_tokens: 13 });
  });

  test('a missing key is a 401 in DeepSeek format', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/chat/completions',
      body: { model: 'deepseek-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    assert.equal(reply.status, 401);
    const error = parseJsonObject(reply.text).error;
    assert.ok(isRecord(error));
    assert.equal(error.type, 'authentication_error');
    assert.match(String(error.message), /^Authentication Fails/);
  });
});
