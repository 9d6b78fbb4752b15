import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { isRecord } from '../util/safe-parse-json.ts';
import { type RunningSimulator, startSimulator } from './start-simulator.ts';
import { dataPayloads } from './test-support/data-payloads.ts';
import { parseJsonObject } from './test-support/parse-json-object.ts';
import { postToSimulator } from './test-support/post-to-simulator.ts';

const AUTH = { authorization: 'Bearer sk-test-0123456789' };
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('simulator as OpenAI', () => {
  let simulator: RunningSimulator;
  let client: OpenAI;
  before(async () => {
    simulator = await startSimulator({ latency: 'instant' });
    client = new OpenAI({
      apiKey: 'sk-test-0123456789',
      baseURL: `${simulator.url}/v1`,
      maxRetries: 0,
    });
  });
  after(async () => simulator.close());

  test('the SDK streams with include_usage: text, finish and the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hello there [simulate tokens=6]' }],
    });
    let text = '';
    const finishes: (string | null | undefined)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishes.push(chunk.choices[0]?.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, "Simulated reply from Shepherd's provider simulator");
    assert.deepEqual(finishes.slice(-2), ['stop', undefined]);
    assert.equal(usage?.prompt_tokens, 8); // ceil(31 / 4)
    assert.equal(usage?.completion_tokens, 6);
    assert.equal(usage?.total_tokens, 14);
  });

  test('the SDK reads a non-streaming completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Hi [simulate tokens=3]' }],
    });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0]?.message.content, 'Simulated reply from');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(completion.usage?.prompt_tokens_details, {
      cached_tokens: 0,
      audio_tokens: 0,
    });
  });

  test('the SDK gets a tool call, streamed and not, then a text answer after the tool result', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Seoul?' },
    ];
    const completion = await client.chat.completions.create({
      model: 'gpt-4.1',
      messages,
      tools: [weatherTool],
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(completion.choices[0]?.message.content, null);
    assert.ok(call?.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.equal(call.function.arguments, '{"city":"simulated-city"}');

    const stream = client.chat.completions.stream({
      model: 'gpt-4.1',
      messages,
      tools: [weatherTool],
      stream: true,
    });
    const streamed = await stream.finalChatCompletion();
    const streamedCall = streamed.choices[0]?.message.tool_calls?.[0];
    assert.ok(streamedCall?.type === 'function');
    assert.equal(streamedCall.function.arguments, '{"city":"simulated-city"}');
    assert.equal(streamed.choices[0]?.finish_reason, 'tool_calls');

    const followUp = await client.chat.completions.create({
      model: 'gpt-4.1',
      tools: [weatherTool],
      messages: [
        ...messages,
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: call.id, type: 'function', function: call.function }],
        },
        { role: 'tool', tool_call_id: call.id, content: '{"celsius":21}' },
      ],
    });
    assert.equal(followUp.choices[0]?.finish_reason, 'stop');
    assert.match(followUp.choices[0]?.message.content ?? '', /^Simulated reply/);
  });

  test('stream_options without stream is a 400, as at OpenAI', async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: 'gpt-4.1',
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'hi' }],
      }),
      (error: unknown) =>
        error instanceof OpenAI.BadRequestError && error.param === 'stream_options',
    );
  });

  test('lists models through the SDK', async () => {
    const models = await client.models.list();
    assert.ok(
      models.data.some(
        (model) => model.id === 'gpt-4.1' && model.owned_by === 'shepherd-simulator',
      ),
    );
  });

  test('raw bytes: role chunk first, usage null everywhere, usage chunk just before [DONE]', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/v1/chat/completions',
      headers: AUTH,
      body: {
        model: 'gpt-4.1',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'x [simulate tokens=2]' }],
      },
    });
    assert.equal(reply.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.ok(reply.text.endsWith('data: [DONE]\n\n'));
    const payloads = dataPayloads(reply.text);
    assert.equal(payloads.length, 6); // role, 2 content, finish, usage, [DONE]
    const chunks = payloads.slice(0, -1).map(parseJsonObject);
    const usageChunk = chunks.at(-1);
    assert.deepEqual(usageChunk?.choices, []);
    assert.deepEqual(usageChunk?.usage, {
      prompt_tokens: 6,
      completion_tokens: 2,
      total_tokens: 8,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
    for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage, null);
    // Every chunk is padded, as OpenAI pads it: letters and digits, never twice the same here.
    const paddings = chunks.map((chunk) => chunk.obfuscation);
    for (const padding of paddings) assert.match(String(padding), /^[A-Za-z0-9]{2,16}$/);
    assert.equal(new Set(paddings).size, paddings.length);
    assert.deepEqual(chunks[0]?.choices, [
      {
        index: 0,
        delta: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ]);
    assert.deepEqual(chunks[3]?.choices, [
      { index: 0, delta: {}, logprobs: null, finish_reason: 'stop' },
    ]);
  });

  test('raw bytes: without include_usage there is no usage chunk', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/v1/chat/completions',
      headers: AUTH,
      body: {
        model: 'gpt-4.1',
        stream: true,
        messages: [{ role: 'user', content: 'x [simulate tokens=2]' }],
      },
    });
    const payloads = dataPayloads(reply.text);
    assert.equal(payloads.length, 5);
    assert.ok(payloads.slice(0, -1).every((payload) => parseJsonObject(payload).usage === null));
  });

  test('a missing key is a 401 in OpenAI format', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/v1/chat/completions',
      body: { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] },
    });
    assert.equal(reply.status, 401);
    const error = parseJsonObject(reply.text).error;
    assert.ok(isRecord(error));
    assert.deepEqual(Object.keys(error), ['message', 'type', 'param', 'code']);
    assert.match(String(error.message), /You didn't provide an API key/);
  });
});
