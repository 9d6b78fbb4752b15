import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  mapFixtureAtEverySplit,
  readFixtureBytes,
  splitAtRandomOffsets,
  sseMessagesOf,
} from '../../../test/helpers/replay-fixture.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { createUsage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { mapOpenAICompatibleStream } from './map-openai-compatible-stream.ts';

const fixture = (name: string): Promise<Uint8Array> =>
  readFixtureBytes(new URL(`./__fixtures__/${name}`, import.meta.url));

async function mapFixture(name: string): Promise<StreamEvent[]> {
  return mapFixtureAtEverySplit({
    bytes: await fixture(name),
    mapStream: mapOpenAICompatibleStream,
    assertEqual: assert.deepEqual,
  });
}

/** Maps a stream that must fail: returns the events yielded before the error, and the error. */
async function mapFailingStream(
  pieces: Uint8Array[],
): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const event of mapOpenAICompatibleStream(sseMessagesOf(pieces))) events.push(event);
  } catch (error) {
    return { events, error };
  }
  assert.fail('the stream did not fail');
}

/** Checks a failing fixture whole and re-split at 25 random offsets. */
async function mapFailingFixture(name: string): Promise<{ events: StreamEvent[]; error: unknown }> {
  const bytes = await fixture(name);
  const whole = await mapFailingStream([bytes]);
  for (let seed = 1; seed <= 25; seed += 1) {
    const split = await mapFailingStream(splitAtRandomOffsets(bytes, seed));
    assert.deepEqual(split.events, whole.events, `seed ${seed}`);
    assert.deepEqual(split.error, whole.error, `seed ${seed}`);
  }
  return whole;
}

const openaiTextEvents: StreamEvent[] = [
  {
    type: 'response-start',
    id: 'chatcmpl-CJ7kX2pQ9rT4vW1yZ8aB3cD5eF6gH',
    model: 'gpt-4.1-2025-04-14',
  },
  { type: 'text-delta', text: '안녕하세요' },
  { type: 'text-delta', text: "! I'm" },
  { type: 'text-delta', text: ' Shepherd' },
  { type: 'text-delta', text: ' 😀' },
  {
    type: 'usage',
    usage: createUsage({ inputTokens: 1187, cachedInputTokens: 1024, outputTokens: 9 }),
  },
  { type: 'response-end', finishReason: 'stop' },
];

test('OpenAI text stream: role chunk, obfuscated content chunks, finish, usage chunk, [DONE]', async () => {
  assert.deepEqual(await mapFixture('openai-text-stream.sse'), openaiTextEvents);
});

test('the same stream with CRLF line endings maps to the same events', async () => {
  assert.deepEqual(await mapFixture('openai-text-stream-crlf.sse'), openaiTextEvents);
});

test('OpenAI parallel tool calls keep their order, ids, names and argument fragments', async () => {
  assert.deepEqual(await mapFixture('openai-parallel-tool-calls-stream.sse'), [
    {
      type: 'response-start',
      id: 'chatcmpl-CJ7mN4bV8sQ1wE5rT9yU2iO6pA3sD',
      model: 'gpt-4.1-2025-04-14',
    },
    { type: 'tool-call-start', index: 0, id: 'call_Ks3nD8vQ2mXp7LwR', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"ci' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: 'ty": "Seo' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: 'ul"}' },
    { type: 'tool-call-start', index: 1, id: 'call_Vb6tY1hG9jKl4ZcE', name: 'get_time' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"timezone": ' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '"Asia/Seoul"}' },
    { type: 'usage', usage: createUsage({ inputTokens: 156, outputTokens: 48 }) },
    { type: 'response-end', finishReason: 'tool-calls' },
  ]);
});

const deepseekEvents: StreamEvent[] = [
  {
    type: 'response-start',
    id: '5f2c7e1a-9b3d-4c8e-a1f6-2d4b8e0c3a71',
    model: 'deepseek-reasoner',
  },
  { type: 'reasoning-delta', text: 'Compare' },
  { type: 'reasoning-delta', text: ' 9.11 and 9.8: ' },
  { type: 'reasoning-delta', text: '0.80 > 0.11.' },
  { type: 'text-delta', text: '9.8' },
  { type: 'text-delta', text: ' is greater.' },
  {
    type: 'usage',
    usage: createUsage({
      inputTokens: 1045,
      cachedInputTokens: 1024,
      outputTokens: 37,
      reasoningTokens: 26,
    }),
  },
  { type: 'response-end', finishReason: 'stop' },
];

test('DeepSeek reasoner stream: keep-alives, reasoning then content, usage on the finish chunk', async () => {
  assert.deepEqual(await mapFixture('deepseek-reasoner-stream.sse'), deepseekEvents);
});

test('a stream ending after its finish chunk without [DONE] still finalises (B12)', async () => {
  const bytes = await fixture('deepseek-reasoner-stream.sse');
  const text = new TextDecoder().decode(bytes);
  const withoutDone = text.replace('data: [DONE]\n\n', '');
  assert.notEqual(withoutDone, text);
  const events = await mapFixtureAtEverySplit({
    bytes: new TextEncoder().encode(withoutDone),
    mapStream: mapOpenAICompatibleStream,
    assertEqual: assert.deepEqual,
  });
  assert.deepEqual(events, deepseekEvents);
});

test('a stream cut before its finish reason fails with GW_ERR_UPSTREAM_STREAM_ERROR', async () => {
  const { events, error } = await mapFailingFixture('stream-cut-without-finish.sse');
  assert.deepEqual(events, [
    {
      type: 'response-start',
      id: 'chatcmpl-CJ7pQ1aZ2sX3dC4fV5gB6hN7jM8kL',
      model: 'gpt-4.1-2025-04-14',
    },
    { type: 'text-delta', text: 'The answer' },
    { type: 'text-delta', text: ' is' },
  ]);
  assert.ok(error instanceof GatewayError);
  assert.equal(error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
  assert.equal(error.message, 'The upstream stream ended before the answer was complete.');
  assert.equal(error.isRetryable, true);
});

test('an error payload mid-stream is thrown as the mapped error, after the content before it', async () => {
  const { events, error } = await mapFailingFixture('stream-error-mid-stream.sse');
  assert.deepEqual(events, [
    {
      type: 'response-start',
      id: 'chatcmpl-CJ7pQ1aZ2sX3dC4fV5gB6hN7jM8kL',
      model: 'gpt-4.1-2025-04-14',
    },
    { type: 'text-delta', text: 'Partial' },
  ]);
  assert.ok(error instanceof GatewayError);
  assert.equal(error.code, 'GW_ERR_UPSTREAM_SERVER_ERROR');
  assert.equal(error.status, 502);
  assert.equal(error.isRetryable, true);
  assert.equal(error.upstreamStatus, undefined);
  assert.equal(
    error.message,
    'The upstream provider answered with an error (reported during the stream).',
  );
});
