import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  mapFixtureAtEverySplit,
  readFixtureBytes,
  splitAtRandomOffsets,
  sseMessagesOf,
} from '../../../test/helpers/replay-fixture.ts';
import { collectStream } from '../../canonical/collect-stream.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { mapGeminiStream } from './map-gemini-stream.ts';

const encoder = new TextEncoder();

function fixtureBytes(name: string): Promise<Uint8Array> {
  return readFixtureBytes(new URL(`./__fixtures__/${name}`, import.meta.url));
}

async function mapFixture(name: string): Promise<StreamEvent[]> {
  return mapFixtureAtEverySplit({
    bytes: await fixtureBytes(name),
    mapStream: mapGeminiStream,
    assertEqual: assert.deepEqual,
  });
}

/** Runs a stream that must fail, whole and re-split: returns the events before the error. */
async function mapFailingStream(
  bytes: Uint8Array,
): Promise<{ events: StreamEvent[]; error: GatewayError }> {
  const runs: Array<{ events: StreamEvent[]; error: GatewayError }> = [];
  const splits = [
    [bytes],
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => splitAtRandomOffsets(bytes, seed)),
  ];
  for (const pieces of splits) {
    const events: StreamEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of mapGeminiStream(sseMessagesOf(pieces))) events.push(event);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof GatewayError, 'the stream must throw a GatewayError');
    runs.push({ events, error: caught });
  }
  const [first, ...rest] = runs;
  assert.ok(first);
  for (const run of rest) {
    assert.deepEqual(run.events, first.events);
    assert.equal(run.error.code, first.error.code);
  }
  return first;
}

function usage(partial: Record<string, number>) {
  return {
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    ...partial,
  };
}

/** A `usage` event: one per chunk whose running totals moved, and the last again at the end. */
function usageEvent(partial: Record<string, number>): StreamEvent {
  return { type: 'usage', usage: usage(partial) };
}

test('text stream (CRLF separators): deltas, usage as it moves and again last, stop', async () => {
  assert.deepEqual(await mapFixture('text-stream.sse'), [
    { type: 'response-start', id: 'rsp-text-1', model: 'gemini-2.5-flash' },
    { type: 'text-delta', text: 'The capital of France' },
    usageEvent({ inputTokens: 8, outputTokens: 4 }),
    { type: 'text-delta', text: ' is Paris. 🇫🇷 Bon voyage — à bientôt!' },
    usageEvent({ inputTokens: 8, outputTokens: 15 }),
    // The finish chunk repeats the same totals: no event for it.
    usageEvent({ inputTokens: 8, outputTokens: 15 }),
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('the LF-separated variant maps to the same events', async () => {
  assert.deepEqual(await mapFixture('text-stream-lf.sse'), await mapFixture('text-stream.sse'));
});

test('thinking stream: thought parts are reasoning, thoughts counted as output', async () => {
  assert.deepEqual(await mapFixture('thinking-stream.sse'), [
    { type: 'response-start', id: 'rsp-think-1', model: 'gemini-2.5-flash' },
    {
      type: 'reasoning-delta',
      text: '**Comparing decimals**\n\nI compare the tenths digit: 9 against 1.',
    },
    usageEvent({ inputTokens: 14, outputTokens: 128, reasoningTokens: 128 }),
    { type: 'text-delta', text: '9.9 is larger' },
    usageEvent({ inputTokens: 14, outputTokens: 294, reasoningTokens: 290 }),
    { type: 'text-delta', text: ' than 9.11.' },
    usageEvent({ inputTokens: 14, outputTokens: 299, reasoningTokens: 290 }),
    { type: 'reasoning-signature', signature: 'CpwFAdHtim9sig/think+1==' },
    usageEvent({ inputTokens: 14, outputTokens: 299, reasoningTokens: 290 }),
    { type: 'response-end', finishReason: 'stop' },
  ]);
});

test('function call: whole call as start plus one delta, signature kept, finish tool-calls', async () => {
  const events = await mapFixture('function-call-stream.sse');
  assert.deepEqual(events, [
    { type: 'response-start', id: 'rsp-fc-1', model: 'gemini-2.5-flash' },
    { type: 'text-delta', text: 'Let me check the weather in Seoul.' },
    usageEvent({ inputTokens: 64, outputTokens: 104, reasoningTokens: 95 }),
    {
      type: 'tool-call-start',
      index: 0,
      id: 'call_rsp-fc-1_0',
      name: 'get_weather',
      signature: 'CiQBVKhc7sigFC1==',
    },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Seoul","unit":"celsius"}' },
    usageEvent({ inputTokens: 64, outputTokens: 122, reasoningTokens: 95 }),
    usageEvent({ inputTokens: 64, outputTokens: 122, reasoningTokens: 95 }),
    { type: 'response-end', finishReason: 'tool-calls' },
  ]);
  assert.deepEqual(
    await collectStream(
      (async function* () {
        yield* events;
      })(),
    ),
    {
      id: 'rsp-fc-1',
      model: 'gemini-2.5-flash',
      content: [
        { type: 'text', text: 'Let me check the weather in Seoul.' },
        {
          type: 'tool-call',
          id: 'call_rsp-fc-1_0',
          name: 'get_weather',
          arguments: '{"city":"Seoul","unit":"celsius"}',
          signature: 'CiQBVKhc7sigFC1==',
        },
      ],
      finishReason: 'tool-calls',
      usage: usage({ inputTokens: 64, outputTokens: 122, reasoningTokens: 95 }),
    },
  );
});

test('parallel function calls get indexes 0 and 1', async () => {
  assert.deepEqual(await mapFixture('parallel-function-calls-stream.sse'), [
    { type: 'response-start', id: 'rsp-par-1', model: 'gemini-2.5-flash' },
    {
      type: 'tool-call-start',
      index: 0,
      id: 'call_rsp-par-1_0',
      name: 'get_weather',
      signature: 'CiQBsigPAR1==',
    },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Seoul"}' },
    { type: 'tool-call-start', index: 1, id: 'call_rsp-par-1_1', name: 'get_time' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"timezone":"Asia/Tokyo"}' },
    usageEvent({ inputTokens: 80, outputTokens: 60, reasoningTokens: 40 }),
    usageEvent({ inputTokens: 80, outputTokens: 60, reasoningTokens: 40 }),
    { type: 'response-end', finishReason: 'tool-calls' },
  ]);
});

test('MAX_TOKENS ends with length', async () => {
  assert.deepEqual(await mapFixture('max-tokens-stream.sse'), [
    { type: 'response-start', id: 'rsp-max-1', model: 'gemini-2.5-flash' },
    { type: 'text-delta', text: 'Once upon a time, in a' },
    usageEvent({ inputTokens: 6, outputTokens: 8 }),
    { type: 'text-delta', text: ' quiet village by the sea,' },
    usageEvent({ inputTokens: 6, outputTokens: 16 }),
    usageEvent({ inputTokens: 6, outputTokens: 16 }),
    { type: 'response-end', finishReason: 'length' },
  ]);
});

test('SAFETY ends with content-filter after the text already sent', async () => {
  assert.deepEqual(await mapFixture('safety-stream.sse'), [
    { type: 'response-start', id: 'rsp-safe-1', model: 'gemini-2.5-flash' },
    { type: 'text-delta', text: 'Here is some general background' },
    usageEvent({ inputTokens: 21, outputTokens: 5 }),
    usageEvent({ inputTokens: 21, outputTokens: 5 }),
    { type: 'response-end', finishReason: 'content-filter' },
  ]);
});

test('a blocked prompt is an empty content-filter answer with prompt usage', async () => {
  assert.deepEqual(await mapFixture('prompt-blocked-stream.sse'), [
    { type: 'response-start', id: 'rsp-block-1', model: 'gemini-2.5-flash' },
    usageEvent({ inputTokens: 9 }),
    usageEvent({ inputTokens: 9 }),
    { type: 'response-end', finishReason: 'content-filter' },
  ]);
});

test('a cut stream has reported its usage so far, then throws a retryable error', async () => {
  const { events, error } = await mapFailingStream(await fixtureBytes('cut-stream.sse'));
  // The meter bills a cut stream from the last usage event: Gemini's own input count, not a
  // byte-based estimate of the prompt.
  assert.deepEqual(events, [
    { type: 'response-start', id: 'rsp-cut-1', model: 'gemini-2.5-flash' },
    { type: 'text-delta', text: 'The first part of' },
    usageEvent({ inputTokens: 10, outputTokens: 4 }),
    { type: 'text-delta', text: ' a long answer' },
    usageEvent({ inputTokens: 10, outputTokens: 7 }),
  ]);
  assert.equal(error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
  assert.equal(error.isRetryable, true);
  assert.equal(error.message, 'The Gemini stream ended before the answer was complete.');
});

test('an error payload mid-stream throws the mapped provider error', async () => {
  const { events, error } = await mapFailingStream(await fixtureBytes('error-mid-stream.sse'));
  assert.deepEqual(events, [
    { type: 'response-start', id: 'rsp-err-1', model: 'gemini-2.5-flash' },
    { type: 'text-delta', text: 'Partial answer' },
    usageEvent({ inputTokens: 10, outputTokens: 2 }),
  ]);
  assert.equal(error.code, 'GW_ERR_UPSTREAM_OVERLOADED');
  assert.equal(error.status, 503);
  assert.equal(error.upstreamStatus, 503);
  assert.equal(error.isRetryable, true);
  assert.equal(error.message, 'The model is overloaded. Please try again later.');
});

test('invalid JSON is a bad response; an empty stream is a cut', async () => {
  const invalid = await mapFailingStream(
    encoder.encode(
      'data: {"candidates":[{"content":{"parts":[{"text":"a"}]}}]}\r\n\r\ndata: {"candid\r\n\r\n',
    ),
  );
  assert.equal(invalid.events.length, 2);
  assert.equal(invalid.error.code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
  assert.equal(invalid.error.message, 'The Gemini stream sent an event that is not valid JSON.');

  const empty = await mapFailingStream(encoder.encode(': nothing\r\n\r\n'));
  assert.deepEqual(empty.events, []);
  assert.equal(empty.error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
});

test('a malformed function call finish throws a bad response', async () => {
  const { events, error } = await mapFailingStream(
    encoder.encode(
      'data: {"candidates":[{"finishReason":"MALFORMED_FUNCTION_CALL","index":0}],"responseId":"r","modelVersion":"m"}\r\n\r\n',
    ),
  );
  assert.deepEqual(events, [{ type: 'response-start', id: 'r', model: 'm' }]);
  assert.equal(error.code, 'GW_ERR_UPSTREAM_BAD_RESPONSE');
});
