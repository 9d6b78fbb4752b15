import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

/** The seed's four providers, by the names their users type. */
const MODELS = ['claude-sonnet-4-20250514', 'gpt-4.1', 'gemini-2.5-flash', 'deepseek-v3.2'];

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    },
  },
};

describe('the official openai SDK against the gateway against the simulator', () => {
  let harness: TestGateway;
  let client: OpenAI;
  before(async () => {
    harness = await startTestGateway();
    client = new OpenAI({ apiKey: harness.apiKey, baseURL: harness.baseUrl, maxRetries: 0 });
  });
  after(async () => harness.close());

  for (const model of MODELS) {
    test(`${model}: the seed's streaming example works unmodified`, async () => {
      const stream = await client.chat.completions.create({
        model,
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Explain streaming in one paragraph.' },
        ],
        stream: true,
        temperature: 0.7,
        max_tokens: 2048,
      });
      let text = '';
      let finishReason: string | null = null;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks += 1;
        assert.equal(chunk.object, 'chat.completion.chunk');
        assert.equal(chunk.model, model);
        const choice = chunk.choices[0];
        if (choice?.delta.content) text += choice.delta.content;
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
      assert.ok(chunks > 2, `only ${chunks} chunks`);
      assert.match(text, /simulat/i);
      assert.equal(finishReason, 'stop');
    });

    test(`${model}: include_usage adds one choices:[] usage chunk just before [DONE]`, async () => {
      const response = await fetch(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model,
          messages: [{ role: 'user', content: 'Hello there' }],
          stream: true,
          stream_options: { include_usage: true },
        }),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(response.headers.get('x-shepherd-model'), model);
      const body = await response.text();
      const payloads = body
        .split('\n\n')
        .filter((frame) => frame.length > 0)
        .map((frame) => {
          assert.ok(frame.startsWith('data: '), `frame ${JSON.stringify(frame)}`);
          return frame.slice('data: '.length);
        });
      assert.equal(payloads.at(-1), '[DONE]');
      const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload));
      const usageChunk = chunks.at(-1);
      assert.deepEqual(usageChunk.choices, []);
      assert.ok(usageChunk.usage.prompt_tokens > 0);
      assert.ok(usageChunk.usage.completion_tokens > 0);
      assert.equal(
        usageChunk.usage.total_tokens,
        usageChunk.usage.prompt_tokens + usageChunk.usage.completion_tokens,
      );
      for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage, null);
      assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
    });

    test(`${model}: non-streaming answer with usage`, async () => {
      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Say hello' }],
      });
      assert.equal(completion.object, 'chat.completion');
      assert.equal(completion.model, model);
      assert.equal(completion.choices[0]?.finish_reason, 'stop');
      assert.match(completion.choices[0]?.message.content ?? '', /simulat/i);
      assert.ok((completion.usage?.prompt_tokens ?? 0) > 0);
      assert.ok((completion.usage?.completion_tokens ?? 0) > 0);
    });

    test(`${model}: tool calls stream and arrive whole`, async () => {
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'What is the weather in Seoul?' }],
        tools: [weatherTool],
        stream: true,
      });
      const calls = new Map<number, { id: string; name: string; arguments: string }>();
      let finishReason: string | null = null;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        for (const delta of choice?.delta.tool_calls ?? []) {
          const call = calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
          if (delta.id) call.id = delta.id;
          if (delta.function?.name) call.name = delta.function.name;
          call.arguments += delta.function?.arguments ?? '';
          calls.set(delta.index, call);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
      assert.equal(finishReason, 'tool_calls');
      const call = calls.get(0);
      assert.ok(call);
      assert.equal(call.name, 'get_weather');
      assert.ok(call.id.length > 0);
      assert.equal(typeof JSON.parse(call.arguments).city, 'string');
    });

    test(`${model}: a tool result round-trips to a text answer`, async () => {
      const first = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'What is the weather in Seoul?' }],
        tools: [weatherTool],
      });
      const message = first.choices[0]?.message;
      assert.equal(first.choices[0]?.finish_reason, 'tool_calls');
      const toolCall = message?.tool_calls?.[0];
      assert.ok(toolCall && toolCall.type === 'function');
      const second = await client.chat.completions.create({
        model,
        messages: [
          { role: 'user', content: 'What is the weather in Seoul?' },
          message as OpenAI.Chat.ChatCompletionMessageParam,
          { role: 'tool', tool_call_id: toolCall.id, content: '{"temperature_c": 21}' },
        ],
        tools: [weatherTool],
      });
      assert.equal(second.choices[0]?.finish_reason, 'stop');
      assert.ok((second.choices[0]?.message.content ?? '').length > 0);
    });
  }

  test('models.list shows the catalogue with prices and context windows', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    for (const model of MODELS) assert.ok(ids.includes(model), `${model} missing from ${ids}`);
    const claude = (await client.models.retrieve('claude-sonnet-4-20250514')) as OpenAI.Model & {
      context_window: number;
      pricing: { output: number };
    };
    assert.equal(claude.owned_by, 'anthropic');
    assert.equal(claude.context_window, 200_000);
    assert.equal(claude.pricing.output, 15);
  });
});
