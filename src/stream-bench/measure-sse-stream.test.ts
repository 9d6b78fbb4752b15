import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  iterate,
  readFixtureBytes,
  splitAtRandomOffsets,
} from '../../test/helpers/replay-fixture.ts';
import { BenchRequestError } from './bench-request-error.ts';
import { measureSseStream, type TimedChunk } from './measure-sse-stream.ts';

const STARTED_AT_MS = 1_000;
const STEP_MS = 10;

const fixture = (name: string) =>
  readFixtureBytes(new URL(`__fixtures__/${name}`, import.meta.url));

/** Piece i arrives at STARTED_AT_MS + (i + 1) × STEP_MS. */
function timedPieces(pieces: Uint8Array[]): TimedChunk[] {
  return pieces.map((bytes, index) => ({ atMs: STARTED_AT_MS + (index + 1) * STEP_MS, bytes }));
}

/** The arrival time of the piece holding the blank line that completes the message at `marker`. */
function arrivalOfMessage(pieces: Uint8Array[], text: string, marker: string): number {
  const start = text.indexOf(marker);
  assert.ok(start >= 0, `fixture lacks ${marker}`);
  const dispatchIndex = text.indexOf('\n\n', start) + 1;
  let offset = 0;
  for (const [index, piece] of pieces.entries()) {
    offset += piece.length;
    if (dispatchIndex < offset) return (index + 1) * STEP_MS;
  }
  throw new Error('marker past the end');
}

async function measureAtEverySplit(name: string, firstTokenMarker: string) {
  const bytes = await fixture(name);
  const text = new TextDecoder().decode(bytes);
  const results = [];
  for (const pieces of [
    [bytes],
    ...Array.from({ length: 25 }, (_, seed) => splitAtRandomOffsets(bytes, seed + 1)),
  ]) {
    const measurement = await measureSseStream({
      chunks: iterate(timedPieces(pieces)),
      startedAtMs: STARTED_AT_MS,
    });
    assert.equal(measurement.ttftMs, arrivalOfMessage(pieces, text, firstTokenMarker));
    assert.equal(measurement.totalMs, pieces.length * STEP_MS);
    results.push(measurement);
  }
  return results;
}

test('gateway stream: TTFT at the first content delta (not the role chunk), tokens from usage', async () => {
  const results = await measureAtEverySplit(
    'gateway-gpt-4.1-usage.sse',
    '"delta":{"content":"Simulated"}',
  );
  for (const measurement of results) {
    assert.equal(measurement.completionTokens, 5);
    assert.equal(measurement.tokensFrom, 'usage');
    assert.equal(measurement.tokenChunks, 5);
    assert.equal(measurement.finishReason, 'stop');
  }
  // Whole, the role chunk and the first token arrive together; one piece per message tells them apart.
  const bytes = await fixture('gateway-gpt-4.1-usage.sse');
  const messages = new TextDecoder().decode(bytes).split(/(?<=\n\n)/);
  const perMessage = await measureSseStream({
    chunks: iterate(timedPieces(messages.map((message) => new TextEncoder().encode(message)))),
    startedAtMs: STARTED_AT_MS,
  });
  assert.equal(perMessage.ttftMs, 2 * STEP_MS, 'the role-only chunk is not the first token');
  assert.equal(perMessage.totalMs, messages.length * STEP_MS, 'the end is the last byte ([DONE])');
});

test('without a usage chunk, tokens are the counted token chunks', async () => {
  for (const measurement of await measureAtEverySplit(
    'simulator-gpt-4.1-no-usage.sse',
    '"delta":{"content":"Simulated"}',
  )) {
    assert.equal(measurement.completionTokens, 5);
    assert.equal(measurement.tokensFrom, 'chunks');
  }
});

test('reasoning deltas count as the first token; a keep-alive comment does not', async () => {
  for (const measurement of await measureAtEverySplit(
    'simulator-deepseek-reasoner-usage.sse',
    '"reasoning_content":"Simulated"',
  )) {
    assert.equal(measurement.completionTokens, 5);
    assert.equal(measurement.tokensFrom, 'usage');
    assert.equal(measurement.tokenChunks, 5, '2 reasoning + 3 content chunks');
  }
});

test('an error chunk mid-stream fails the request with its message', async () => {
  const bytes = await fixture('gateway-gpt-4.1-cut.sse');
  await assert.rejects(
    measureSseStream({ chunks: iterate(timedPieces([bytes])), startedAtMs: STARTED_AT_MS }),
    (error: unknown) =>
      error instanceof BenchRequestError &&
      error.message ===
        'the stream ended with an error: The connection to the provider broke before the answer was complete.',
  );
});

test('a stream that stops without finish_reason or [DONE] is reported as cut', async () => {
  const text = new TextDecoder().decode(await fixture('simulator-gpt-4.1-no-usage.sse'));
  const cut = text.slice(0, text.indexOf('"finish_reason":"stop"'));
  await assert.rejects(
    measureSseStream({
      chunks: iterate(timedPieces([new TextEncoder().encode(cut)])),
      startedAtMs: 0,
    }),
    /ended before the answer was complete/,
  );
});

test('data that is not a chat completion chunk, and a stream with no tokens, are refused', async () => {
  const measure = (text: string) =>
    measureSseStream({ chunks: iterate([{ atMs: 5, bytes: text }]), startedAtMs: 0 });
  await assert.rejects(measure('data: hello\n\n'), /not JSON: hello/);
  await assert.rejects(
    measure('data: {"choices":"many"}\n\n'),
    /other than a chat completion chunk/,
  );
  await assert.rejects(measure('event: error\ndata: overloaded\n\n'), /error event: overloaded/);
  await assert.rejects(
    measure(
      'data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n' +
        'data: {"choices":[{"delta":{},"finish_reason":"length"}]}\n\ndata: [DONE]\n\n',
    ),
    (error: unknown) =>
      error instanceof BenchRequestError &&
      error.noTokens &&
      /finished without any content, reasoning or tool-call delta \(finish_reason length;/.test(
        error.message,
      ),
  );
  await assert.rejects(
    measure('data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n'),
    (error: unknown) =>
      error instanceof BenchRequestError &&
      !error.noTokens &&
      /ended before the answer was complete/.test(error.message),
  );
});

test('a tool-call delta is a token chunk', async () => {
  const measurement = await measureSseStream({
    chunks: iterate([
      { atMs: 3, bytes: 'data: {"choices":[{"delta":{"role":"assistant"}}]}\n\n' },
      {
        atMs: 7,
        bytes:
          'data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}\n\n',
      },
      { atMs: 9, bytes: 'data: {"choices":[{"delta":{},"finish_reason":"tool_calls"}]}\n\n' },
    ]),
    startedAtMs: 1,
  });
  assert.deepEqual(measurement, {
    ttftMs: 6,
    totalMs: 8,
    completionTokens: 1,
    tokensFrom: 'chunks',
    tokenChunks: 1,
    finishReason: 'tool_calls',
  });
});
