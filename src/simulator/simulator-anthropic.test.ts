import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { isRecord } from '../util/safe-parse-json.ts';
import { type RunningSimulator, startSimulator } from './start-simulator.ts';
import { parseJsonObject } from './test-support/parse-json-object.ts';
import { postToSimulator } from './test-support/post-to-simulator.ts';

const weatherTool = {
  name: 'get_weather',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, days: { type: 'integer' } },
    required: ['city', 'days'],
  },
};

function eventNames(body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('event: '))
    .map((line) => line.slice('event: '.length));
}

describe('simulator as Anthropic', () => {
  let simulator: RunningSimulator;
  let client: Anthropic;
  before(async () => {
    simulator = await startSimulator({ latency: 'instant' });
    client = new Anthropic({
      apiKey: 'sk-ant-test-0123456789',
      baseURL: simulator.url,
      maxRetries: 0,
    });
  });
  after(async () => simulator.close());

  test('the SDK (Authorization: Bearer) reads a non-streaming message', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hello [simulate tokens=4]' }],
    });
    assert.deepEqual(message.content, [{ type: 'text', text: "Simulated reply from Shepherd's" }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.input_tokens, 7); // ceil(25 / 4)
    assert.equal(message.usage.output_tokens, 4);
    const seen = simulator.requests.at(-1);
    assert.equal(seen?.headers.authorization, 'Bearer ***6789');
    assert.equal(seen?.headers['anthropic-version'] !== undefined, true);
  });

  test('messages.stream with thinking and a tool: finalMessage has both blocks', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 2000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather in Seoul? [simulate reasoning=5]' }],
    });
    const final = await stream.finalMessage();
    const [thinking, toolUse] = final.content;
    assert.ok(thinking?.type === 'thinking');
    assert.equal(thinking.thinking, "Simulated reasoning from Shepherd's provider");
    assert.ok(thinking.signature.length > 0);
    assert.ok(toolUse?.type === 'tool_use');
    assert.equal(toolUse.name, 'get_weather');
    assert.deepEqual(toolUse.input, { city: 'simulated-city', days: 1 });
    assert.equal(final.stop_reason, 'tool_use');
    assert.equal(final.usage.output_tokens_details?.thinking_tokens, 5);
  });

  test('after a tool result the SDK gets a text answer', async () => {
    const message = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: 'toolu_1',
              name: 'get_weather',
              input: { city: 'Seoul', days: 1 },
            },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '21 C' }],
        },
      ],
    });
    assert.equal(message.stop_reason, 'end_turn');
    assert.ok(message.content[0]?.type === 'text');
  });

  test('raw bytes: event order, ping, input_json_delta in pieces, cumulative usage', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/v1/messages',
      headers: { 'x-api-key': 'sk-ant-raw', 'anthropic-version': '2023-06-01' },
      body: {
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        stream: true,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'Weather?' }],
      },
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(eventNames(reply.text), [
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = reply.text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => parseJsonObject(line.slice(6)));
    const pieces = data
      .map((event) => event.delta)
      .filter(isRecord)
      .filter((delta) => delta.type === 'input_json_delta')
      .map((delta) => delta.partial_json);
    assert.deepEqual(pieces, ['', '{"city":"sim', 'ulated-city"', ',"days":1}']);
    // 1 for the name + ceil(12/4) + ceil(12/4) + ceil(10/4)
    assert.deepEqual(data.at(-2)?.usage, {
      input_tokens: 2,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 10,
    });
  });

  test('cache_control writes the prefix once, then reads it', async () => {
    const cachedRequest = (question: string): Anthropic.MessageCreateParamsNonStreaming => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      system: [{ type: 'text', text: 'P'.repeat(400), cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: question }],
    });
    const usageOf = (message: Anthropic.Message) => [
      message.usage.input_tokens,
      message.usage.cache_creation_input_tokens,
      message.usage.cache_read_input_tokens,
    ];
    // prompt ceil((400 + 23) / 4) = 106 tokens, of which the system block is 100
    const first = await client.messages.create(cachedRequest('one [simulate tokens=1]'));
    assert.deepEqual(usageOf(first), [6, 100, 0]);
    assert.deepEqual(first.usage.cache_creation, {
      ephemeral_5m_input_tokens: 100,
      ephemeral_1h_input_tokens: 0,
    });
    const second = await client.messages.create(cachedRequest('two [simulate tokens=1]'));
    assert.deepEqual(usageOf(second), [6, 0, 100]);
    const uncached = await client.messages.create({
      ...cachedRequest('two [simulate tokens=1]'),
      system: 'P'.repeat(400),
    });
    assert.deepEqual(usageOf(uncached), [106, 0, 0], 'no cache_control, no cache');
  });

  test('max_tokens truncates with stop_reason max_tokens', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 3,
      messages: [{ role: 'user', content: 'Long one [simulate tokens=50]' }],
    });
    assert.equal(message.stop_reason, 'max_tokens');
    assert.deepEqual(message.content, [{ type: 'text', text: 'Simulated reply from' }]);
  });

  test('a missing key is a 401 in Anthropic format; max_tokens is required', async () => {
    const unauthorized = await postToSimulator({
      url: simulator.url,
      path: '/v1/messages',
      body: {
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      },
    });
    assert.equal(unauthorized.status, 401);
    const body = parseJsonObject(unauthorized.text);
    assert.equal(body.type, 'error');
    assert.ok(isRecord(body.error));
    assert.equal(body.error.type, 'authentication_error');
    assert.match(String(body.request_id), /^req_/);

    const missingMaxTokens = await postToSimulator({
      url: simulator.url,
      path: '/v1/messages',
      headers: { 'x-api-key': 'k' },
      body: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] },
    });
    assert.equal(missingMaxTokens.status, 400);
    const invalid = parseJsonObject(missingMaxTokens.text).error;
    assert.ok(isRecord(invalid));
    assert.equal(invalid.type, 'invalid_request_error');
    assert.match(String(invalid.message), /^max_tokens: /);
  });

  test('bodies Anthropic refuses are a 400 invalid_request_error with Anthropic’s wording', async () => {
    const post = (fields: Record<string, unknown>) =>
      postToSimulator({
        url: simulator.url,
        path: '/v1/messages',
        headers: { 'x-api-key': 'k' },
        body: {
          model: 'claude-sonnet-4-5',
          max_tokens: 2000,
          messages: [{ role: 'user', content: 'hi' }],
          ...fields,
        },
      });
    const thinking = { type: 'enabled', budget_tokens: 1024 };
    const tools = [weatherTool];
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        { stop_sequences: ['END', '\n'] },
        /^stop_sequences: each stop sequence must contain non-whitespace/,
      ],
      [
        { thinking, temperature: 0.2 },
        /^`temperature` may only be set to 1 when thinking is enabled/,
      ],
      [{ thinking, top_p: 0.9 }, /^`top_p` must be greater than or equal to 0\.95/],
      [{ thinking, top_k: 40 }, /^`top_k` must be unset when thinking is enabled/],
      [
        { thinking, tools, tool_choice: { type: 'any' } },
        /^Thinking may not be enabled when tool_choice forces tool use/,
      ],
      [{ thinking, tools, tool_choice: { type: 'tool', name: 'get_weather' } }, /forces tool use/],
      [
        { temperature: 0.2, top_p: 0.5 },
        /^`temperature` and `top_p` cannot both be specified for this model/,
      ],
    ];
    for (const [fields, message] of cases) {
      const reply = await post(fields);
      assert.equal(reply.status, 400, JSON.stringify(fields));
      const error = parseJsonObject(reply.text).error;
      assert.ok(isRecord(error));
      assert.equal(error.type, 'invalid_request_error');
      assert.match(String(error.message), message);
    }
    const accepted: Array<Record<string, unknown>> = [
      { stop_sequences: ['END'] },
      { temperature: 0.2, top_k: 40, tools, tool_choice: { type: 'any' } },
      { top_p: 0.5 },
      { thinking, temperature: 1, tools, tool_choice: { type: 'auto' } },
      { thinking, top_p: 0.95 },
    ];
    for (const fields of accepted)
      assert.equal((await post(fields)).status, 200, JSON.stringify(fields));
  });
});
