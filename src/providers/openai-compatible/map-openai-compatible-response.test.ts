import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { createUsage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import { mapOpenAICompatibleResponse } from './map-openai-compatible-response.ts';

async function fixture(name: string): Promise<unknown> {
  const text = await readFile(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  const parsed = safeParseJson(text);
  assert.ok(parsed.ok);
  return parsed.value;
}

function completion(
  message: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): unknown {
  return {
    id: 'cmpl-1',
    object: 'chat.completion',
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    ...extra,
  };
}

function mapError(body: unknown): GatewayError {
  try {
    mapOpenAICompatibleResponse(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('mapping did not fail');
}

test('OpenAI text completion with cached prompt tokens', async () => {
  assert.deepEqual(mapOpenAICompatibleResponse(await fixture('openai-text-response.json')), {
    id: 'chatcmpl-CJ8aB1cD2eF3gH4iJ5kL6mN7oP8q',
    model: 'gpt-4.1-2025-04-14',
    content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
    finishReason: 'stop',
    usage: createUsage({ inputTokens: 1210, cachedInputTokens: 1152, outputTokens: 10 }),
  });
});

test('OpenAI tool calls completion', async () => {
  assert.deepEqual(mapOpenAICompatibleResponse(await fixture('openai-tool-calls-response.json')), {
    id: 'chatcmpl-CJ8cR9tY8uI7oP6aS5dF4gH3jK2l',
    model: 'gpt-4.1-2025-04-14',
    content: [
      {
        type: 'tool-call',
        id: 'call_Ks3nD8vQ2mXp7LwR',
        name: 'get_weather',
        arguments: '{"city":"Seoul"}',
      },
      {
        type: 'tool-call',
        id: 'call_Vb6tY1hG9jKl4ZcE',
        name: 'get_time',
        arguments: '{"timezone":"Asia/Seoul"}',
      },
    ],
    finishReason: 'tool-calls',
    usage: createUsage({ inputTokens: 156, outputTokens: 48 }),
  });
});

test('DeepSeek reasoner completion: reasoning part first, cache hits and reasoning tokens', async () => {
  assert.deepEqual(mapOpenAICompatibleResponse(await fixture('deepseek-reasoner-response.json')), {
    id: '8c1f4a2e-6d3b-4f7a-9e2c-1b5d7f9a3c60',
    model: 'deepseek-reasoner',
    content: [
      {
        type: 'reasoning',
        text: 'Compare the decimals: 0.80 is greater than 0.11, so 9.8 is larger.',
      },
      { type: 'text', text: '9.8 is greater than 9.11.' },
    ],
    finishReason: 'stop',
    usage: createUsage({
      inputTokens: 2069,
      cachedInputTokens: 1920,
      outputTokens: 52,
      reasoningTokens: 38,
    }),
  });
});

test('cached tokens: cached_tokens wins, prompt_cache_hit_tokens is the fallback', () => {
  const usage = (value: Record<string, unknown>) =>
    mapOpenAICompatibleResponse(completion({ content: 'x' }, { usage: value })).usage;
  assert.deepEqual(
    usage({
      prompt_tokens: 100,
      completion_tokens: 5,
      prompt_cache_hit_tokens: 64,
      prompt_cache_miss_tokens: 36,
    }),
    createUsage({ inputTokens: 100, cachedInputTokens: 64, outputTokens: 5 }),
  );
  assert.deepEqual(
    usage({
      prompt_tokens: 100,
      completion_tokens: 5,
      prompt_tokens_details: { cached_tokens: 32 },
      prompt_cache_hit_tokens: 64,
    }),
    createUsage({ inputTokens: 100, cachedInputTokens: 32, outputTokens: 5 }),
  );
  // No usage reported: undefined, so that the pipeline bills an estimate rather than nothing.
  assert.equal(
    mapOpenAICompatibleResponse(completion({ content: 'x' }, { usage: null })).usage,
    undefined,
  );
});

test('vLLM `reasoning`, a refusal, missing tool-call ids and empty arguments', () => {
  const response = mapOpenAICompatibleResponse(
    completion({
      content: '',
      reasoning: 'Think.',
      refusal: 'I will not do that.',
      tool_calls: [
        { type: 'function', function: { name: 'ping', arguments: '' } },
        { id: '', type: 'function', function: { name: 'pong', arguments: '{"a":1}' } },
      ],
    }),
  );
  assert.deepEqual(response.content, [
    { type: 'reasoning', text: 'Think.' },
    { type: 'text', text: 'I will not do that.', refusal: true },
    { type: 'tool-call', id: 'call_cmpl-1_0', name: 'ping', arguments: '{}' },
    { type: 'tool-call', id: 'call_cmpl-1_1', name: 'pong', arguments: '{"a":1}' },
  ]);
  // finish_reason said `stop`, but a tool call was made.
  assert.equal(response.finishReason, 'tool-calls');
});

test('finish reasons', () => {
  const finish = (reason: string | null) =>
    mapOpenAICompatibleResponse(
      completion(
        { content: 'x' },
        { choices: [{ index: 0, message: { content: 'x' }, finish_reason: reason }] },
      ),
    ).finishReason;
  assert.equal(finish('stop'), 'stop');
  assert.equal(finish(null), 'stop');
  assert.equal(finish('length'), 'length');
  assert.equal(finish('content_filter'), 'content-filter');
  assert.equal(finish('tool_calls'), 'tool-calls');
  assert.equal(finish('function_call'), 'tool-calls');
  assert.equal(finish('insufficient_system_resource'), 'length');
});

test('DeepSeek insufficient_system_resource with no output is a retryable overload', () => {
  const error = mapError(
    completion(
      {},
      {
        choices: [
          { index: 0, message: { content: '' }, finish_reason: 'insufficient_system_resource' },
        ],
      },
    ),
  );
  assert.equal(error.code, 'GW_ERR_UPSTREAM_OVERLOADED');
  assert.equal(error.isRetryable, true);
  assert.equal(error.status, 503);
});

test('a body that is not a chat completion is GW_ERR_UPSTREAM_BAD_RESPONSE', () => {
  for (const body of [
    null,
    'OK',
    {},
    { choices: [] },
    { choices: [{ message: { content: 42 } }] },
    { choices: [{ message: { tool_calls: [{ id: 'x', function: {} }] } }] },
  ]) {
    const error = mapError(body);
    assert.equal(error.code, 'GW_ERR_UPSTREAM_BAD_RESPONSE', JSON.stringify(body));
    assert.equal(
      error.message,
      'The upstream provider answered with something that is not a chat completion.',
    );
  }
  const usageError = mapError(completion({ content: 'x' }, { usage: { prompt_tokens: '3' } }));
  assert.equal(usageError.code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
  assert.equal(usageError.message, 'The upstream provider sent a malformed usage report.');
});

test('an error object answered with status 200 is mapped as an error', () => {
  const error = mapError({ error: { message: 'Rate limit exceeded', type: 'rate_limit_error' } });
  assert.equal(error.code, 'GW_ERR_UPSTREAM_RATE_LIMITED');
  assert.equal(
    error.message,
    'The upstream provider is rate limiting requests (reported with HTTP 200).',
  );
  assert.equal(error.isRetryable, true);
  const unclassified = mapError({ error: 'Something went wrong' });
  assert.equal(unclassified.code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
  assert.equal(
    unclassified.message,
    'The upstream provider answered with an error instead of a chat completion.',
  );
});
