import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  iterate,
  mapFixtureAtEverySplit,
  readFixtureBytes,
  splitAtRandomOffsets,
  sseMessagesOf,
} from '../../../test/helpers/replay-fixture.ts';
import { collectStream } from '../../canonical/collect-stream.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { createUsage, type Usage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { SseMessage } from '../../sse/sse-message.ts';
import { mapAnthropicStream } from './map-anthropic-stream.ts';

const fixture = (name: string): Promise<Uint8Array> =>
  readFixtureBytes(new URL(`./__fixtures__/${name}`, import.meta.url));

const usage = (partial: Partial<Usage>): StreamEvent => ({
  type: 'usage',
  usage: createUsage(partial),
});

const start = (id: string, model = 'claude-sonnet-4-20250514'): StreamEvent => ({
  type: 'response-start',
  id,
  model,
});

async function mapFixture(name: string): Promise<StreamEvent[]> {
  return mapFixtureAtEverySplit({
    bytes: await fixture(name),
    mapStream: mapAnthropicStream,
    assertEqual: assert.deepEqual,
  });
}

/** Maps a stream that must fail; every re-split must yield the same events and the same error. */
async function mapFailingFixture(
  name: string,
): Promise<{ events: StreamEvent[]; error: GatewayError }> {
  const bytes = await fixture(name);
  const run = async (pieces: Uint8Array[]) => {
    const events: StreamEvent[] = [];
    try {
      for await (const event of mapAnthropicStream(sseMessagesOf(pieces))) events.push(event);
    } catch (error) {
      assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
      return { events, error };
    }
    assert.fail(`${name} did not fail`);
  };
  const whole = await run([bytes]);
  for (let seed = 1; seed <= 25; seed += 1) {
    const split = await run(splitAtRandomOffsets(bytes, seed));
    assert.deepEqual(split.events, whole.events, `seed ${seed} changed the events`);
    assert.equal(split.error.code, whole.error.code, `seed ${seed} changed the error`);
  }
  return whole;
}

const TEXT_WITH_PING_EVENTS: StreamEvent[] = [
  start('msg_01TextPing'),
  usage({ inputTokens: 25, outputTokens: 1 }),
  { type: 'text-delta', text: 'Hello' },
  { type: 'text-delta', text: '! 안녕하세요 😀' },
  { type: 'text-delta', text: ' How can I help?' },
  usage({ inputTokens: 25, outputTokens: 15 }),
  usage({ inputTokens: 25, outputTokens: 15 }),
  { type: 'response-end', finishReason: 'stop' },
];

test('plain text stream: ping skipped, usage snapshots, stop', async () => {
  assert.deepEqual(await mapFixture('text-with-ping.sse'), TEXT_WITH_PING_EVENTS);
});

test('CRLF line endings give the same events', async () => {
  assert.deepEqual(await mapFixture('text-with-ping-crlf.sse'), TEXT_WITH_PING_EVENTS);
});

test('without `event:` lines the payload type decides', async () => {
  assert.deepEqual(await mapFixture('text-without-event-lines.sse'), TEXT_WITH_PING_EVENTS);
});

test('thinking deltas, signature, then text; thinking tokens become reasoning tokens', async () => {
  const final = usage({ inputTokens: 48, outputTokens: 96, reasoningTokens: 71 });
  assert.deepEqual(await mapFixture('thinking-then-text.sse'), [
    start('msg_01Thinking'),
    usage({ inputTokens: 48, outputTokens: 4 }),
    { type: 'reasoning-delta', text: 'The user asks for 27 * 453.' },
    { type: 'reasoning-delta', text: ' 27 * 453 = 12231.' },
    {
      type: 'reasoning-signature',
      signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
    },
    { type: 'text-delta', text: '27 * 453 = 12,231' },
    final,
    final,
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('redacted thinking block', async () => {
  const final = usage({ inputTokens: 60, outputTokens: 210 });
  assert.deepEqual(await mapFixture('redacted-thinking.sse'), [
    start('msg_01Redacted', 'claude-3-7-sonnet-20250219'),
    usage({ inputTokens: 60, outputTokens: 1 }),
    { type: 'reasoning-redacted', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw' },
    { type: 'text-delta', text: 'Done.' },
    final,
    final,
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('tool_use with split input JSON: tool index counts tool blocks, not block indexes', async () => {
  const events = await mapFixture('tool-use-split-json.sse');
  const final = usage({ inputTokens: 472, outputTokens: 89 });
  assert.deepEqual(events, [
    start('msg_01ToolSplit'),
    usage({ inputTokens: 472, outputTokens: 2 }),
    { type: 'text-delta', text: 'Let me check both cities.' },
    { type: 'tool-call-start', index: 0, id: 'toolu_01Seoul', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city": "Se' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: 'oul", "unit":' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: ' "celsius"}' },
    { type: 'tool-call-start', index: 1, id: 'toolu_01Busan', name: 'get_weather' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city": "Busan"}' },
    final,
    final,
    { type: 'response-end', finishReason: 'tool-calls' },
  ]);
  const collected = await collectStream(iterate(events));
  assert.deepEqual(
    collected.content.flatMap((part) => (part.type === 'tool-call' ? [part.arguments] : [])),
    ['{"city": "Seoul", "unit": "celsius"}', '{"city": "Busan"}'],
  );
});

test('tool_use with empty or no input JSON closes with {}', async () => {
  const final = usage({ inputTokens: 380, outputTokens: 40 });
  assert.deepEqual(await mapFixture('tool-use-empty-input.sse'), [
    start('msg_01ToolEmpty'),
    usage({ inputTokens: 380, outputTokens: 3 }),
    { type: 'tool-call-start', index: 0, id: 'toolu_01Time', name: 'get_current_time' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    { type: 'tool-call-start', index: 1, id: 'toolu_01Date', name: 'get_current_date' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
    final,
    final,
    { type: 'response-end', finishReason: 'tool-calls' },
  ]);
});

test('cache reads and writes are added to input tokens; the 1h write is kept', async () => {
  const cached = { inputTokens: 2325, cachedInputTokens: 1800, cacheWriteTokens: 500 };
  const final = usage({ ...cached, cacheWrite1hTokens: 300, outputTokens: 6 });
  assert.deepEqual(await mapFixture('cache-usage.sse'), [
    start('msg_01Cache'),
    usage({ ...cached, cacheWrite1hTokens: 300, outputTokens: 1 }),
    { type: 'text-delta', text: 'Cached.' },
    final,
    final,
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('several message_delta usages are cumulative: the latest wins, nothing is summed', async () => {
  const final = usage({ inputTokens: 5300, outputTokens: 120 });
  assert.deepEqual(await mapFixture('cumulative-message-deltas.sse'), [
    start('msg_01Cumulative'),
    usage({ inputTokens: 2100, outputTokens: 3 }),
    { type: 'text-delta', text: 'Searching' },
    usage({ inputTokens: 2100, outputTokens: 40 }),
    { type: 'text-delta', text: ' found: sunny.' },
    usage({ inputTokens: 5300, outputTokens: 85 }),
    final,
    final,
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('zero usage in message_start, real counts in message_delta', async () => {
  const final = usage({ inputTokens: 50, cachedInputTokens: 8, outputTokens: 17 });
  assert.deepEqual(await mapFixture('zero-start-usage.sse'), [
    start('msg_compat_zero', 'compat-model'),
    usage({}),
    { type: 'text-delta', text: 'Hi.' },
    final,
    final,
    { type: 'response-end', finishReason: 'length' },
  ]);
});

const PARTIAL_EVENTS = (id: string, text: string): StreamEvent[] => [
  start(id),
  usage({ inputTokens: 30, outputTokens: 1 }),
  { type: 'text-delta', text },
];

test('mid-stream overloaded error is thrown as a retryable overloaded error', async () => {
  const { events, error } = await mapFailingFixture('error-overloaded-mid-stream.sse');
  assert.deepEqual(events, PARTIAL_EVENTS('msg_01Overloaded', 'Partial'));
  assert.equal(error.code, 'GW_ERR_UPSTREAM_OVERLOADED');
  assert.equal(error.isRetryable, true);
  assert.equal(error.status, 503);
  assert.equal(error.upstreamStatus, 529);
  assert.equal(error.message, 'Overloaded (upstream request id: req_011CSHoEeqs5C35K2UUqR7Fy)');
});

test('a stream that ends without message_stop is a stream error', async () => {
  const { events, error } = await mapFailingFixture('cut-without-message-stop.sse');
  assert.deepEqual(events, PARTIAL_EVENTS('msg_01Cut', 'Once upon'));
  assert.equal(error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
  assert.equal(error.isRetryable, true);
});

test('a stream cut inside an event is a cut stream (the partial event is discarded)', async () => {
  const { events, error } = await mapFailingFixture('cut-mid-event.sse');
  assert.deepEqual(events, PARTIAL_EVENTS('msg_01Cut', 'Once upon'));
  assert.equal(error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
});

test('invalid JSON in an event is a bad response', async () => {
  const { events, error } = await mapFailingFixture('malformed-json.sse');
  assert.deepEqual(events, [start('msg_01Bad'), usage({ inputTokens: 30, outputTokens: 1 })]);
  assert.equal(error.code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
  assert.equal(error.isRetryable, true);
});

// Inline streams for edge cases that need no fixture.

const MESSAGE_START = JSON.stringify({
  type: 'message_start',
  message: { id: 'msg_x', model: 'claude-x', usage: { input_tokens: 5, output_tokens: 1 } },
});

function messagesOf(...data: Array<string | object>): AsyncIterable<SseMessage> {
  return iterate(
    data.map((item) => ({
      event: undefined,
      data: typeof item === 'string' ? item : JSON.stringify(item),
    })),
  );
}

async function mapInline(...data: Array<string | object>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of mapAnthropicStream(messagesOf(...data))) events.push(event);
  return events;
}

async function inlineError(...data: Array<string | object>): Promise<GatewayError> {
  try {
    await mapInline(...data);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('the stream did not fail');
}

test('error events map by their type, before any content too', async () => {
  const cases: Array<[string, string, number, boolean]> = [
    ['rate_limit_error', 'GW_ERR_UPSTREAM_RATE_LIMITED', 429, true],
    ['api_error', 'GW_ERR_UPSTREAM_SERVER_ERROR', 502, true],
    ['overloaded_error', 'GW_ERR_UPSTREAM_OVERLOADED', 503, true],
    ['timeout_error', 'GW_ERR_UPSTREAM_TIMEOUT', 504, true],
    ['billing_error', 'GW_ERR_UPSTREAM_QUOTA', 502, true],
    ['authentication_error', 'GW_ERR_UPSTREAM_AUTH', 502, true],
    ['permission_error', 'GW_ERR_UPSTREAM_PERMISSION', 403, false],
    ['not_found_error', 'GW_ERR_UPSTREAM_NOT_FOUND', 502, true],
    ['invalid_request_error', 'GW_ERR_UPSTREAM_BAD_REQUEST', 400, false],
    ['request_too_large', 'GW_ERR_BODY_TOO_LARGE', 413, false],
    ['some_future_error', 'GW_ERR_UPSTREAM_SERVER_ERROR', 502, true],
    ['constructor', 'GW_ERR_UPSTREAM_SERVER_ERROR', 502, true],
  ];
  for (const [type, code, status, retryable] of cases) {
    const error = await inlineError({ type: 'error', error: { type, message: `boom ${type}` } });
    assert.equal(error.code, code, type);
    assert.equal(error.status, status, type);
    assert.equal(error.isRetryable, retryable, type);
    assert.equal(error.message, `boom ${type}`, type);
  }
});

test('an error payload without details is still a server error', async () => {
  const error = await inlineError(MESSAGE_START, { type: 'error' });
  assert.equal(error.code, 'GW_ERR_UPSTREAM_SERVER_ERROR');
  assert.equal(error.message, 'The upstream provider answered with HTTP 500.');
});

test('content before message_start, or a delta for a block never started, is malformed', async () => {
  const blockStart = { type: 'content_block_start', index: 0, content_block: { type: 'text' } };
  const textDelta = {
    type: 'content_block_delta',
    index: 3,
    delta: { type: 'text_delta', text: 'x' },
  };
  assert.equal((await inlineError(blockStart)).code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
  assert.equal((await inlineError(MESSAGE_START, textDelta)).code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
  assert.equal(
    (
      await inlineError(MESSAGE_START, blockStart, {
        ...textDelta,
        index: 0,
        delta: { type: 'text_delta' },
      })
    ).code,
    'GW_ERR_UPSTREAM_BAD_RESPONSE',
  );
  assert.equal((await inlineError('[1,2]')).code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
  assert.equal((await inlineError({ type: 'message_start' })).code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
});

test('a tool_use start that already carries its input needs no deltas', async () => {
  const events = await mapInline(
    MESSAGE_START,
    {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } },
    },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use' } },
    { type: 'message_stop' },
  );
  assert.deepEqual(events.slice(2), [
    { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'lookup' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":"x"}' },
    usage({ inputTokens: 5, outputTokens: 1 }),
    { type: 'response-end', finishReason: 'tool-calls' },
  ]);
});

test('a thinking start that carries text and signature emits them', async () => {
  const events = await mapInline(
    MESSAGE_START,
    {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: 'hm', signature: 'sig' },
    },
    { type: 'message_stop' },
  );
  assert.deepEqual(events.slice(2), [
    { type: 'reasoning-delta', text: 'hm' },
    { type: 'reasoning-signature', signature: 'sig' },
    usage({ inputTokens: 5, outputTokens: 1 }),
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('refusal maps to content-filter, and nothing after message_stop is read', async () => {
  const events = await mapInline(
    MESSAGE_START,
    { type: 'message_delta', delta: { stop_reason: 'refusal' }, usage: { output_tokens: 2 } },
    { type: 'message_stop' },
    'not json at all',
  );
  assert.deepEqual(events.slice(2), [
    usage({ inputTokens: 5, outputTokens: 2 }),
    usage({ inputTokens: 5, outputTokens: 2 }),
    { type: 'response-end', finishReason: 'content-filter' },
  ]);
});
