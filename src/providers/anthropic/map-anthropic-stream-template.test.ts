import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { SseMessage } from '../../sse/sse-message.ts';
import { createAnthropicStreamMapper } from './create-anthropic-stream-mapper.ts';

/**
 * `text_delta` events that differ only in their text are read through a learned template rather
 * than parsed in full. Each stream here is mapped twice: as is (the template applies) and with a
 * sequence number added to every event (no two alike: every event is parsed in full). Both must
 * give the same events and the same failure.
 */

interface Outcome {
  events: StreamEvent[];
  error: string | undefined;
}

function mapAll(messages: readonly SseMessage[]): Outcome {
  const mapper = createAnthropicStreamMapper();
  const events: StreamEvent[] = [];
  try {
    for (const message of messages) {
      events.push(...mapper.push(message));
      if (mapper.complete) break;
    }
    events.push(...mapper.end());
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return { events, error: `${error.code}: ${error.message}` };
  }
  return { events, error: undefined };
}

function assertSameAsFullParse(messages: readonly SseMessage[]): Outcome {
  const outcome = mapAll(messages);
  const numbered = messages.map((message, index) => ({
    event: message.event,
    data: message.data.replace(/}$/, `,"seq":${index}}`),
  }));
  assert.deepEqual(outcome, mapAll(numbered));
  return outcome;
}

const sse = (event: string, data: string): SseMessage => ({ event, data });
const MESSAGE_START = sse(
  'message_start',
  '{"type":"message_start","message":{"id":"msg_t","type":"message","role":"assistant","model":"claude-t","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}',
);
const blockStart = (index: number, type = 'text') =>
  sse(
    'content_block_start',
    `{"type":"content_block_start","index":${index},"content_block":${type === 'text' ? '{"type":"text","text":""}' : '{"type":"thinking","thinking":""}'}}`,
  );
const text = (index: number, literal: string) =>
  sse(
    'content_block_delta',
    `{"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${literal}}}`,
  );
const thinking = (index: number, literal: string) =>
  sse(
    'content_block_delta',
    `{"type":"content_block_delta","index":${index},"delta":{"type":"thinking_delta","thinking":${literal}}}`,
  );
const blockStop = (index: number) =>
  sse('content_block_stop', `{"type":"content_block_stop","index":${index}}`);
const PING = sse('ping', '{"type":"ping"}');
const MESSAGE_DELTA = sse(
  'message_delta',
  '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}',
);
const MESSAGE_STOP = sse('message_stop', '{"type":"message_stop"}');
const delta = (value: string): StreamEvent => ({ type: 'text-delta', text: value });

describe('Anthropic stream mapper: text deltas read through a template', () => {
  test('text blocks with escapes and empty deltas, a ping and a thinking block between', () => {
    const outcome = assertSameAsFullParse([
      MESSAGE_START,
      blockStart(0),
      text(0, '"Hel"'),
      text(0, '"lo"'),
      PING,
      text(0, '" \\"quoted\\"\\n\\u00e9"'),
      text(0, '""'),
      text(0, '"안녕 😀"'),
      blockStop(0),
      blockStart(1, 'thinking'),
      thinking(1, '"hmm"'),
      thinking(1, '"mm"'),
      blockStop(1),
      blockStart(2),
      text(2, '"x"'),
      text(2, '"y"'),
      text(2, '"z"'),
      blockStop(2),
      MESSAGE_DELTA,
      MESSAGE_STOP,
    ]);
    const content = outcome.events.filter(
      (event) => event.type === 'text-delta' || event.type === 'reasoning-delta',
    );
    assert.deepEqual(content, [
      delta('Hel'),
      delta('lo'),
      delta(' "quoted"\n\u00e9'),
      delta('안녕 😀'),
      { type: 'reasoning-delta', text: 'hmm' },
      { type: 'reasoning-delta', text: 'mm' },
      delta('x'),
      delta('y'),
      delta('z'),
    ]);
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.events.at(-1), { type: 'response-end', finishReason: 'stop' });
  });

  test('a delta for a block that was stopped fails, however alike it is', () => {
    const outcome = assertSameAsFullParse([
      MESSAGE_START,
      blockStart(0),
      text(0, '"a"'),
      text(0, '"b"'),
      blockStop(0),
      text(0, '"c"'),
    ]);
    assert.deepEqual(outcome.events.slice(-2), [delta('a'), delta('b')]);
    assert.match(outcome.error ?? '', /^GW_ERR_UPSTREAM_BAD_RESPONSE: .*content_block_delta/);
  });

  test('a delta whose text is not one valid JSON string fails as it would when parsed in full', () => {
    for (const broken of ['5', 'null', '"c\u0001d"', '"c', '"c"d"']) {
      const outcome = assertSameAsFullParse([
        MESSAGE_START,
        blockStart(0),
        text(0, '"a"'),
        text(0, '"b"'),
        text(0, broken),
      ]);
      assert.deepEqual(outcome.events.slice(-2), [delta('a'), delta('b')], broken);
      assert.match(outcome.error ?? '', /^GW_ERR_UPSTREAM_BAD_RESPONSE/, broken);
    }
  });
});
