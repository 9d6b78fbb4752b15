import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectEvents, iterate, sseMessagesOf } from '../../../test/helpers/replay-fixture.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { createUsage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { SseMessage } from '../../sse/sse-message.ts';
import { mapOpenAICompatibleStream } from './map-openai-compatible-stream.ts';

function messages(...data: string[]): AsyncIterable<SseMessage> {
  return iterate(data.map((item) => ({ event: undefined, data: item })));
}

function chunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: extra.finish_reason ?? null }],
    ...(extra.usage === undefined ? {} : { usage: extra.usage }),
  });
}

const start: StreamEvent = { type: 'response-start', id: 'chatcmpl-1', model: 'm' };

async function mapFailing(
  input: AsyncIterable<SseMessage>,
): Promise<{ events: StreamEvent[]; error: GatewayError }> {
  const events: StreamEvent[] = [];
  try {
    for await (const event of mapOpenAICompatibleStream(input)) events.push(event);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return { events, error };
  }
  assert.fail('the stream did not fail');
}

test('tool calls: canonical indexes follow first appearance; missing ids are derived', async () => {
  const events = await collectEvents(
    mapOpenAICompatibleStream(
      messages(
        chunk({
          tool_calls: [
            { index: 2, function: { name: 'lookup', arguments: '{"q":"a"}' } },
            { index: 0, id: 'call_b', function: { name: 'fetch', arguments: '' } },
          ],
        }),
        // Servers that repeat the name on later fragments: not a new call.
        chunk({ tool_calls: [{ index: 0, function: { name: 'fetch', arguments: '{}' } }] }),
        chunk({}, { finish_reason: 'stop' }),
        '[DONE]',
      ),
    ),
  );
  assert.deepEqual(events, [
    start,
    { type: 'tool-call-start', index: 0, id: 'call_chatcmpl-1_0', name: 'lookup' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":"a"}' },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'fetch' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
    // A provider that says `stop` after tool calls still ends with `tool-calls`.
    { type: 'response-end', finishReason: 'tool-calls' },
  ]);
});

test('tool calls without `index`: another id starts a new call, anything else continues', async () => {
  // Gemini's OpenAI-compatible endpoint sends each parallel call whole in its own chunk, with its
  // own id and no `index`.
  const gemini = (id: string, name: string, args: string) =>
    chunk({
      role: 'assistant',
      tool_calls: [{ id, type: 'function', function: { name, arguments: args } }],
    });
  const events = await collectEvents(
    mapOpenAICompatibleStream(
      messages(
        gemini('function-call-1', 'get_weather', '{"location":"Sydney"}'),
        gemini('function-call-2', 'get_time', '{"tz":'),
        // Fragments without `index`, with no id or the same id again, continue the last call.
        chunk({ tool_calls: [{ function: { arguments: '"UTC"' } }] }),
        chunk({
          tool_calls: [{ id: 'function-call-2', function: { name: 'get_time', arguments: '}' } }],
        }),
        // Two entries of one chunk's array are two calls, even when the second has no id.
        chunk({
          tool_calls: [
            { id: 'call_a', function: { name: 'lookup', arguments: '{}' } },
            { function: { name: 'fetch', arguments: '{}' } },
          ],
        }),
        chunk({}, { finish_reason: 'stop' }),
        '[DONE]',
      ),
    ),
  );
  assert.deepEqual(events, [
    start,
    { type: 'tool-call-start', index: 0, id: 'function-call-1', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":"Sydney"}' },
    { type: 'tool-call-start', index: 1, id: 'function-call-2', name: 'get_time' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"tz":' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '"UTC"' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '}' },
    { type: 'tool-call-start', index: 2, id: 'call_a', name: 'lookup' },
    { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
    { type: 'tool-call-start', index: 3, id: 'call_chatcmpl-1_3', name: 'fetch' },
    { type: 'tool-call-delta', index: 3, argumentsDelta: '{}' },
    { type: 'response-end', finishReason: 'tool-calls' },
  ]);
});

test('`reasoning` (vLLM, OpenRouter) is read when `reasoning_content` is absent, never both', async () => {
  const events = await collectEvents(
    mapOpenAICompatibleStream(
      messages(
        chunk({ reasoning: 'think' }),
        chunk({ reasoning_content: 'twice', reasoning: 'twice' }),
        chunk({ content: '', reasoning_content: '', refusal: null }),
        chunk({ refusal: 'I cannot help with that.' }, { finish_reason: 'stop' }),
        '[DONE]',
      ),
    ),
  );
  assert.deepEqual(events, [
    start,
    { type: 'reasoning-delta', text: 'think' },
    { type: 'reasoning-delta', text: 'twice' },
    { type: 'refusal-delta', text: 'I cannot help with that.' },
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('refusal chunks stay refusals after text chunks taught the mapper their shape', async () => {
  const events = await collectEvents(
    mapOpenAICompatibleStream(
      messages(
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'a' }),
        chunk({ content: 'b' }),
        chunk({ refusal: 'no' }),
        chunk({ refusal: 'pe' }),
        chunk({}, { finish_reason: 'stop' }),
        '[DONE]',
      ),
    ),
  );
  assert.deepEqual(events, [
    start,
    { type: 'text-delta', text: 'a' },
    { type: 'text-delta', text: 'b' },
    { type: 'refusal-delta', text: 'no' },
    { type: 'refusal-delta', text: 'pe' },
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('usage is emitted once, the latest snapshot, before response-end', async () => {
  const events = await collectEvents(
    mapOpenAICompatibleStream(
      messages(
        chunk({ content: 'a' }, { usage: { prompt_tokens: 5, completion_tokens: 1 } }),
        chunk({ content: 'b' }, { usage: { prompt_tokens: 5, completion_tokens: 2 } }),
        chunk({}, { finish_reason: 'length', usage: { prompt_tokens: 5, completion_tokens: 3 } }),
        '[DONE]',
      ),
    ),
  );
  assert.deepEqual(events, [
    start,
    { type: 'text-delta', text: 'a' },
    { type: 'text-delta', text: 'b' },
    { type: 'usage', usage: createUsage({ inputTokens: 5, outputTokens: 3 }) },
    { type: 'response-end', finishReason: 'length' },
  ]);
});

test('choices other than index 0 are ignored and nothing after [DONE] is read', async () => {
  const second = JSON.stringify({
    id: 'chatcmpl-1',
    model: 'm',
    choices: [{ index: 1, delta: { content: 'other' }, finish_reason: null }],
  });
  const events = await collectEvents(
    mapOpenAICompatibleStream(
      messages(
        chunk({ content: 'x' }),
        second,
        chunk({}, { finish_reason: 'content_filter' }),
        '[DONE]',
        'garbage',
      ),
    ),
  );
  assert.deepEqual(events, [
    start,
    { type: 'text-delta', text: 'x' },
    { type: 'response-end', finishReason: 'content-filter' },
  ]);
});

test('DeepSeek insufficient_system_resource: overload before output, truncation after', async () => {
  const failed = await mapFailing(
    messages(chunk({ content: '' }, { finish_reason: 'insufficient_system_resource' }), '[DONE]'),
  );
  assert.deepEqual(failed.events, [start]);
  assert.equal(failed.error.code, 'GW_ERR_UPSTREAM_OVERLOADED');
  assert.equal(failed.error.isRetryable, true);

  const events = await collectEvents(
    mapOpenAICompatibleStream(
      messages(
        chunk({ content: 'Par' }, { finish_reason: 'insufficient_system_resource' }),
        '[DONE]',
      ),
    ),
  );
  assert.deepEqual(events, [
    start,
    { type: 'text-delta', text: 'Par' },
    { type: 'response-end', finishReason: 'length' },
  ]);
});

test('invalid JSON in a data line is GW_ERR_UPSTREAM_BAD_RESPONSE, never forwarded', async () => {
  const { events, error } = await mapFailing(messages(chunk({ content: 'ok' }), '{"choices":[{'));
  assert.deepEqual(events, [start, { type: 'text-delta', text: 'ok' }]);
  assert.equal(error.code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
  assert.equal(
    error.message,
    'The upstream provider sent an event that is not valid JSON in its stream.',
  );
});

test('a stream whose last event is cut mid-line is a cut stream', async () => {
  const bytes = new TextEncoder().encode(`data: ${chunk({ content: 'ok' })}\n\ndata: {"id":"chat`);
  const { error } = await mapFailing(sseMessagesOf([bytes]));
  assert.equal(error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
});

test('malformed chunks are bad responses', async () => {
  const cases: Array<[string, string]> = [
    ['[1,2]', 'The upstream provider sent an event that is not a JSON object in its stream.'],
    [
      '{"id":"x","object":"thing"}',
      'The upstream provider sent a chunk without choices in its stream.',
    ],
    [
      chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { arguments: '{}' } }] }),
      'The upstream provider sent a tool call without a name in its stream.',
    ],
    [
      JSON.stringify({ choices: [{ index: 0, delta: {} }], usage: { prompt_tokens: -1 } }),
      'The upstream provider sent a malformed usage report.',
    ],
  ];
  for (const [data, message] of cases) {
    const { error } = await mapFailing(messages(data, '[DONE]'));
    assert.equal(error.code, 'GW_ERR_UPSTREAM_BAD_RESPONSE', data);
    assert.equal(error.message, message, data);
  }
});

test('ending without a finish reason is a stream error, whether or not [DONE] came', async () => {
  for (const input of [
    messages(),
    messages('[DONE]'),
    messages(chunk({ content: 'a' }), '[DONE]'),
  ]) {
    const { error } = await mapFailing(input);
    assert.equal(error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
  }
});

test('a finish_reason of `error` (OpenRouter) is a stream error', async () => {
  const { error } = await mapFailing(
    messages(chunk({ content: 'a' }, { finish_reason: 'error' }), '[DONE]'),
  );
  assert.equal(error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
});

test('error payloads map by their code or type; unknown ones are plain stream errors', async () => {
  const cases: Array<[unknown, string, string]> = [
    [
      {
        object: 'error',
        message: 'max_tokens is too large',
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
      'GW_ERR_UPSTREAM_BAD_REQUEST',
      'max_tokens is too large',
    ],
    [
      { message: 'Rate limit exceeded: free-models-per-min.', code: 429 },
      'GW_ERR_UPSTREAM_RATE_LIMITED',
      'The upstream provider is rate limiting requests (reported during the stream).',
    ],
    [
      { message: 'too long', type: 'invalid_request_error', code: 'context_length_exceeded' },
      'GW_ERR_CONTEXT_LENGTH_EXCEEDED',
      'too long',
    ],
    [
      { message: 'Overloaded', type: 'overloaded_error' },
      'GW_ERR_UPSTREAM_OVERLOADED',
      'The upstream provider answered with an error (reported during the stream).',
    ],
    [
      { message: 'something odd' },
      'GW_ERR_UPSTREAM_STREAM_ERROR',
      'The upstream provider reported an error during the stream.',
    ],
    [
      'plain text error',
      'GW_ERR_UPSTREAM_STREAM_ERROR',
      'The upstream provider reported an error during the stream.',
    ],
  ];
  for (const [payload, code, message] of cases) {
    const { error } = await mapFailing(messages(JSON.stringify({ error: payload })));
    assert.equal(error.code, code, JSON.stringify(payload));
    assert.equal(error.message, message, JSON.stringify(payload));
    assert.equal(error.upstreamStatus, undefined);
  }
});
