import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectEvents, iterate } from '../../test/helpers/replay-fixture.ts';
import { finishWithToolCalls } from '../canonical/finish-reason.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { mapAnthropicResponse } from './anthropic/map-anthropic-response.ts';
import { mapAnthropicStream } from './anthropic/map-anthropic-stream.ts';
import { mapGeminiResponse } from './gemini/map-gemini-response.ts';
import { mapGeminiStream } from './gemini/map-gemini-stream.ts';
import { mapOpenAICompatibleResponse } from './openai-compatible/map-openai-compatible-response.ts';
import { mapOpenAICompatibleStream } from './openai-compatible/map-openai-compatible-stream.ts';

// A tool call cut by the output limit must not be reported as a finished call: a client told
// `tool_calls` runs it with half-written arguments. OpenAI answers `length` there; every provider
// mapping must too, and still turn a normal stop after a call into `tool-calls`.

const messages = (...data: string[]) =>
  iterate(data.map((text) => ({ event: undefined, data: text })));
const lastEvent = (events: StreamEvent[]) => events.at(-1);

test('finishWithToolCalls: only a normal stop becomes tool-calls', () => {
  assert.equal(finishWithToolCalls('stop', true), 'tool-calls');
  assert.equal(finishWithToolCalls('stop', false), 'stop');
  assert.equal(finishWithToolCalls('length', true), 'length');
  assert.equal(finishWithToolCalls('content-filter', true), 'content-filter');
  assert.equal(finishWithToolCalls('tool-calls', false), 'tool-calls');
});

function openAIChunk(delta: unknown, finishReason: string | null = null): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
}

test('OpenAI-compatible stream: a tool call cut by max_tokens ends with length', async () => {
  const callStart = {
    tool_calls: [
      { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } },
    ],
  };
  const cut = { tool_calls: [{ index: 0, function: { arguments: '{"city":"Se' } }] };
  const events = await collectEvents(
    mapOpenAICompatibleStream(
      messages(
        openAIChunk({ role: 'assistant', content: null }),
        openAIChunk(callStart),
        openAIChunk(cut),
        openAIChunk({}, 'length'),
        '[DONE]',
      ),
    ),
  );
  assert.deepEqual(lastEvent(events), { type: 'response-end', finishReason: 'length' });
});

test('OpenAI-compatible stream: a normal stop after a tool call still ends with tool-calls', async () => {
  const call = {
    tool_calls: [
      { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
    ],
  };
  const events = await collectEvents(
    mapOpenAICompatibleStream(messages(openAIChunk(call), openAIChunk({}, 'stop'), '[DONE]')),
  );
  assert.deepEqual(lastEvent(events), { type: 'response-end', finishReason: 'tool-calls' });
});

test('OpenAI-compatible answer: a truncated tool call keeps length', () => {
  const response = mapOpenAICompatibleResponse({
    id: 'chatcmpl-1',
    model: 'm',
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    choices: [
      {
        index: 0,
        message: {
          content: null,
          tool_calls: [
            { id: 'c', type: 'function', function: { name: 'f', arguments: '{"city":"Se' } },
          ],
        },
        finish_reason: 'length',
      },
    ],
  });
  assert.equal(response.finishReason, 'length');
});

test('Anthropic stream: tool_use cut by max_tokens ends with length', async () => {
  const events = await collectEvents(
    mapAnthropicStream(
      messages(
        '{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"c","usage":{"input_tokens":5,"output_tokens":1}}}',
        '{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}',
        '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Se"}}',
        '{"type":"content_block_stop","index":0}',
        '{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":20}}',
        '{"type":"message_stop"}',
      ),
    ),
  );
  assert.deepEqual(lastEvent(events), { type: 'response-end', finishReason: 'length' });
});

test('Anthropic answer: a tool_use cut by max_tokens keeps length; tool_use stays tool-calls', () => {
  const answer = (stopReason: string) =>
    mapAnthropicResponse({
      id: 'msg_1',
      model: 'c',
      stop_reason: stopReason,
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }],
      usage: { input_tokens: 1, output_tokens: 1 },
    });
  assert.equal(answer('max_tokens').finishReason, 'length');
  assert.equal(answer('tool_use').finishReason, 'tool-calls');
  assert.equal(answer('end_turn').finishReason, 'tool-calls');
});

function geminiChunk(finishReason?: string): string {
  return JSON.stringify({
    candidates: [
      {
        content: {
          role: 'model',
          parts: [{ functionCall: { name: 'f', args: { city: 'Seoul' } } }],
        },
        ...(finishReason === undefined ? {} : { finishReason }),
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 },
  });
}

test('Gemini stream: MAX_TOKENS after a function call ends with length, STOP with tool-calls', async () => {
  for (const [reason, expected] of [
    ['MAX_TOKENS', 'length'],
    ['STOP', 'tool-calls'],
  ] as const) {
    const events = await collectEvents(mapGeminiStream(messages(geminiChunk(reason))));
    assert.deepEqual(lastEvent(events), { type: 'response-end', finishReason: expected }, reason);
  }
});

test('Gemini answer: MAX_TOKENS after a function call keeps length, STOP gives tool-calls', () => {
  assert.equal(mapGeminiResponse(JSON.parse(geminiChunk('MAX_TOKENS'))).finishReason, 'length');
  assert.equal(mapGeminiResponse(JSON.parse(geminiChunk('STOP'))).finishReason, 'tool-calls');
});
