import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BilledChatResponse } from '../../canonical/chat-response.ts';
import { createUsage } from '../../canonical/usage.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import {
  type EncodeOpenaiChatResponseInput,
  encodeOpenaiChatResponseJson,
} from './encode-openai-chat-response.ts';

/** The answer's body as a client reads it. */
function encodeOpenaiChatResponse(input: EncodeOpenaiChatResponseInput): Record<string, unknown> {
  const parsed = safeParseJson(encodeOpenaiChatResponseJson(input));
  assert.ok(parsed.ok && isRecord(parsed.value));
  return parsed.value;
}

const IDS = { id: 'chatcmpl-gw1', created: 1_760_000_000, model: 'claude-sonnet-4' };

const PLAIN_USAGE = {
  prompt_tokens: 12,
  completion_tokens: 5,
  total_tokens: 17,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

function response(partial: Partial<BilledChatResponse>): BilledChatResponse {
  return {
    id: 'upstream-id',
    model: 'claude-sonnet-4-20250514',
    content: [],
    finishReason: 'stop',
    usage: createUsage({ inputTokens: 12, outputTokens: 5 }),
    usageEstimated: false,
    ...partial,
  };
}

describe('encodeOpenaiChatResponse', () => {
  it('encodes a text answer exactly as OpenAI shapes it, with the public model id', () => {
    const encoded = encodeOpenaiChatResponse({
      ...IDS,
      response: response({
        content: [
          { type: 'text', text: 'Hello' },
          { type: 'text', text: ' there' },
        ],
      }),
    });
    assert.equal(
      JSON.stringify(encoded),
      JSON.stringify({
        id: 'chatcmpl-gw1',
        object: 'chat.completion',
        created: 1_760_000_000,
        model: 'claude-sonnet-4',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Hello there', refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: PLAIN_USAGE,
        system_fingerprint: null,
      }),
    );
  });

  it('encodes tool calls with null content, reasoning and usage subsets', () => {
    const encoded = encodeOpenaiChatResponse({
      ...IDS,
      response: response({
        content: [
          { type: 'reasoning', text: 'Look it up.' },
          { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Seoul"}' },
          { type: 'tool-call', id: 'call_2', name: 'get_time', arguments: '', signature: 'ts' },
        ],
        finishReason: 'tool-calls',
        usage: createUsage({
          inputTokens: 100,
          cachedInputTokens: 60,
          cacheWriteTokens: 30,
          outputTokens: 40,
          reasoningTokens: 25,
        }),
      }),
    });
    assert.deepEqual(encoded.choices, [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          annotations: [],
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Seoul"}' },
            },
            {
              id: 'call_2',
              type: 'function',
              function: { name: 'get_time', arguments: '{}', thought_signature: 'ts' },
            },
          ],
          reasoning_content: 'Look it up.',
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
    assert.deepEqual(encoded.usage, {
      prompt_tokens: 100,
      completion_tokens: 40,
      total_tokens: 140,
      prompt_tokens_details: { cached_tokens: 60, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 25,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
      cache_creation_input_tokens: 30,
    });
  });

  it('adds thinking_blocks when reasoning carries signatures or is redacted', () => {
    const encoded = encodeOpenaiChatResponse({
      ...IDS,
      response: response({
        content: [
          { type: 'reasoning', text: 'First, ', signature: 'sig-a' },
          { type: 'reasoning', text: '', redactedData: 'opaque' },
          { type: 'reasoning', text: 'then.' },
          { type: 'text', text: 'Done' },
        ],
      }),
    });
    assert.deepEqual(encoded.choices, [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Done',
          refusal: null,
          annotations: [],
          reasoning_content: 'First, then.',
          thinking_blocks: [
            { type: 'thinking', thinking: 'First, ', signature: 'sig-a' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'thinking', thinking: 'then.' },
          ],
        },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
  });

  it('maps every finish reason and answers an empty completion with empty content', () => {
    const expected: Array<[BilledChatResponse['finishReason'], string]> = [
      ['stop', 'stop'],
      ['length', 'length'],
      ['tool-calls', 'tool_calls'],
      ['content-filter', 'content_filter'],
    ];
    for (const [finishReason, openaiReason] of expected) {
      const encoded = encodeOpenaiChatResponse({ ...IDS, response: response({ finishReason }) });
      assert.deepEqual(encoded.choices, [
        {
          index: 0,
          message: { role: 'assistant', content: '', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: openaiReason,
        },
      ]);
    }
  });

  it('puts a refusal in message.refusal with content null, as OpenAI does, never in content', () => {
    // The openai SDK's parse() and stream helpers read `refusal` and then leave `parsed` null; a
    // refusal in `content` would be parsed as the requested JSON and throw.
    const encoded = encodeOpenaiChatResponse({
      ...IDS,
      response: response({
        content: [{ type: 'text', text: "I'm sorry, I can't help with that.", refusal: true }],
      }),
    });
    assert.deepEqual(encoded.choices, [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: "I'm sorry, I can't help with that.",
          annotations: [],
        },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
  });
});

describe('encodeOpenaiChatResponseJson', () => {
  it('is the same completion, with usage.cost and usage.balance exact to the micro-unit', () => {
    const input = {
      ...IDS,
      response: response({ content: [{ type: 'text', text: 'Hi' }] }),
      charge: {
        costMicros: 20_000_000_000_123_457n,
        balanceMicros: -4_200n,
        currency: 'KRW',
      },
    };
    const text = encodeOpenaiChatResponseJson(input);
    assert.ok(
      text.endsWith(
        ',"cost":20000000000.123457,"currency":"KRW","balance":-0.0042},"system_fingerprint":null}',
      ),
      text,
    );
    // Read back, the numbers are the nearest doubles, in OpenAI's field order.
    const parsed = safeParseJson(text);
    assert.ok(parsed.ok && isRecord(parsed.value));
    assert.deepEqual(Object.keys(parsed.value), [
      'id',
      'object',
      'created',
      'model',
      'choices',
      'usage',
      'system_fingerprint',
    ]);
    assert.deepEqual(parsed.value.usage, {
      ...PLAIN_USAGE,
      cost: Number('20000000000.123457'),
      currency: 'KRW',
      balance: -0.0042,
    });
  });
});
