import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { createUsage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { createOpenAICompatibleStreamMapper } from './create-openai-compatible-stream-mapper.ts';

/**
 * Chunks that differ only in their text are read through a learned template rather than parsed
 * in full. Each stream here is mapped twice: as is (the template applies) and with a sequence
 * number added to every chunk (no two chunks alike: every chunk is parsed in full). Both must give
 * the same events and the same failure.
 */

interface Outcome {
  events: StreamEvent[];
  error: string | undefined;
}

function mapAll(data: readonly string[]): Outcome {
  const mapper = createOpenAICompatibleStreamMapper();
  const events: StreamEvent[] = [];
  try {
    for (const item of data) {
      events.push(...mapper.push({ event: undefined, data: item }));
      if (mapper.complete) break;
    }
    events.push(...mapper.end());
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return { events, error: `${error.code}: ${error.message}` };
  }
  return { events, error: undefined };
}

/** Every chunk made unique by an extra field the mapper ignores. */
function numbered(data: readonly string[]): string[] {
  return data.map((item, index) => item.replace(/}$/, `,"seq":${index}}`));
}

/** Maps `data`, counting the whole chunks `JSON.parse` was given (the template parses one string). */
function mapCountingFullParses(
  t: TestContext,
  data: readonly string[],
): { outcome: Outcome; fullParses: number } {
  const parse = t.mock.method(JSON, 'parse');
  try {
    const outcome = mapAll(data);
    const fullParses = parse.mock.calls.filter((call) =>
      String(call.arguments[0]).startsWith('{'),
    ).length;
    return { outcome, fullParses };
  } finally {
    parse.mock.restore();
  }
}

function assertSameAsFullParse(data: readonly string[]): Outcome {
  const outcome = mapAll(data);
  assert.deepEqual(outcome, mapAll(numbered(data)));
  return outcome;
}

const chunk = (delta: string, finish = 'null', extra = '') =>
  `{"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":"fp","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${extra}}`;
const text = (literal: string) => chunk(`{"content":${literal}}`);
const ROLE = chunk('{"role":"assistant","content":""}');
const START: StreamEvent = { type: 'response-start', id: 'chatcmpl-t', model: 'm' };
const delta = (value: string): StreamEvent => ({ type: 'text-delta', text: value });

describe('OpenAI-compatible stream mapper: text deltas read through a template', () => {
  test('a run of text chunks, with escapes, odd values and other chunks between', () => {
    const outcome = assertSameAsFullParse([
      ROLE,
      text('"Hel"'),
      text('"lo"'),
      text('" \\"quoted\\"\\n\\u00e9"'),
      text('"안녕 😀"'),
      text('""'),
      text('null'),
      text('5'),
      text('"a","content":"b"'),
      chunk('{"reasoning_content":"think"}'),
      text('"after"'),
      text('"wards"'),
      chunk('{}', '"stop"'),
      `{"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":"fp","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":9}}`,
      '[DONE]',
    ]);
    assert.deepEqual(outcome, {
      events: [
        START,
        delta('Hel'),
        delta('lo'),
        delta(' "quoted"\n\u00e9'),
        delta('안녕 😀'),
        delta('b'),
        { type: 'reasoning-delta', text: 'think' },
        delta('after'),
        delta('wards'),
        { type: 'usage', usage: createUsage({ inputTokens: 3, outputTokens: 9 }) },
        { type: 'response-end', finishReason: 'stop' },
      ],
      error: undefined,
    });
  });

  test('a chunk that breaks the JSON in the text fails as it would when parsed in full', () => {
    for (const broken of ['"c\u0001d"', '"c', '"c\\"', '"c"d"']) {
      const outcome = assertSameAsFullParse([ROLE, text('"a"'), text('"b"'), text(broken)]);
      assert.deepEqual(outcome.events, [START, delta('a'), delta('b')], broken);
      assert.match(outcome.error ?? '', /^GW_ERR_UPSTREAM_BAD_RESPONSE/, broken);
    }
  });

  test('an error, a finish reason or usage on a chunk shaped like the text chunks still counts', () => {
    const error = assertSameAsFullParse([
      ROLE,
      text('"a"'),
      text('"b"'),
      chunk('{"content":"c"}', 'null', ',"error":{"message":"boom","type":"server_error"}'),
    ]);
    assert.deepEqual(error.events, [START, delta('a'), delta('b')]);
    assert.ok(error.error !== undefined);

    const finished = assertSameAsFullParse([
      ROLE,
      text('"a"'),
      text('"b"'),
      chunk('{"content":"c"}', '"length"', ',"usage":{"prompt_tokens":1,"completion_tokens":3}'),
      '[DONE]',
    ]);
    assert.deepEqual(finished.events, [
      START,
      delta('a'),
      delta('b'),
      delta('c'),
      { type: 'usage', usage: createUsage({ inputTokens: 1, outputTokens: 3 }) },
      { type: 'response-end', finishReason: 'length' },
    ]);
  });

  test('text beside tool calls without `index` maps as it would in full', () => {
    // Each chunk carries text and a call entry (Gemini's OpenAI-compatible calls have no
    // `index`): one that continues the last call may be read through the template, one that
    // starts a call (another id, in the same place) must not.
    const withCall = (literal: string, id: string, name: string) =>
      chunk(
        `{"content":${literal},"tool_calls":[{"id":"${id}","type":"function","function":{"name":"${name}","arguments":""}}]}`,
      );
    const outcome = assertSameAsFullParse([
      ROLE,
      withCall('"a"', 'call-1', 'get_weather'),
      withCall('"b"', 'call-1', 'get_weather'),
      withCall('"c"', 'call-1', 'get_weather'),
      withCall('"d"', 'call-2', 'get_weather'),
      withCall('"e"', 'call-2', 'get_weather'),
      withCall('"f"', 'call-3', 'get_weather'),
      chunk('{}', '"stop"'),
      '[DONE]',
    ]);
    const call = (index: number, id: string): StreamEvent => ({
      type: 'tool-call-start',
      index,
      id,
      name: 'get_weather',
    });
    assert.deepEqual(outcome, {
      events: [
        START,
        delta('a'),
        call(0, 'call-1'),
        delta('b'),
        delta('c'),
        delta('d'),
        call(1, 'call-2'),
        delta('e'),
        delta('f'),
        call(2, 'call-3'),
        { type: 'response-end', finishReason: 'tool-calls' },
      ],
      error: undefined,
    });
  });

  test('a field equal to the text is never taken for it', () => {
    // The text is escaped in the chunk ("\u0048i" is "Hi") while another field holds "Hi" as is:
    // only a probe tells which string the text event comes from.
    const outcome = assertSameAsFullParse([
      ROLE,
      chunk('{"content":"\\u0048i"}', 'null', ',"note":"Hi"'),
      chunk('{"content":"\\u0048i"}', 'null', ',"note":"Yo"'),
      chunk('{"content":"\\u0048i"}', 'null', ',"note":"Ho"'),
    ]);
    assert.deepEqual(outcome.events.slice(0, 4), [START, delta('Hi'), delta('Hi'), delta('Hi')]);
  });

  test('chunks padded with a random obfuscation string map as they would in full', () => {
    const padded = ['x', 'yy', 'zzz', 'w', 'vv', 'u'].map((padding, index) =>
      chunk(`{"content":"t${index}"}`, 'null', `,"obfuscation":"${padding}"`),
    );
    const outcome = assertSameAsFullParse([ROLE, ...padded, chunk('{}', '"stop"'), '[DONE]']);
    assert.deepEqual(outcome.events, [
      START,
      ...padded.map((_, index) => delta(`t${index}`)),
      { type: 'response-end', finishReason: 'stop' },
    ]);
  });

  test('text chunks with a different obfuscation string each are read without a full parse', (t) => {
    // OpenAI pads every chunk with random `obfuscation` of random length (see the fixtures).
    const texts = Array.from({ length: 40 }, (_, index) => `t${index} `);
    const data = [
      ROLE,
      ...texts.map((value, index) =>
        chunk(
          `{"content":${JSON.stringify(value)}}`,
          'null',
          `,"usage":null,"obfuscation":"${'Ab9'.repeat(index % 5)}"`,
        ),
      ),
      chunk('{}', '"stop"', ',"usage":null,"obfuscation":"zz"'),
      '[DONE]',
    ];
    const { outcome, fullParses } = mapCountingFullParses(t, data);
    assert.deepEqual(outcome.events, [
      START,
      ...texts.map(delta),
      { type: 'response-end', finishReason: 'stop' },
    ]);
    // The role chunk, the first text chunk, its probe and the finish chunk: nothing per text chunk.
    assert.equal(fullParses, 4);
    assert.deepEqual(outcome, mapAll(numbered(data)));
  });

  test('a run of reasoning (DeepSeek, vLLM), then text, maps as it would in full', () => {
    const reasoning = (literal: string) => chunk(`{"content":null,"reasoning_content":${literal}}`);
    const answer = (literal: string) => chunk(`{"content":${literal},"reasoning_content":null}`);
    const outcome = assertSameAsFullParse([
      chunk('{"role":"assistant","content":null,"reasoning_content":""}'),
      reasoning('"Let"'),
      reasoning('" me"'),
      reasoning('""'),
      reasoning('" think"'),
      reasoning('null'),
      answer('"The"'),
      answer('" answer"'),
      reasoning('" again"'),
      answer('"."'),
      chunk(
        '{"content":"","reasoning_content":null}',
        '"stop"',
        ',"usage":{"prompt_tokens":2,"completion_tokens":7}',
      ),
      '[DONE]',
    ]);
    const think = (text: string): StreamEvent => ({ type: 'reasoning-delta', text });
    assert.deepEqual(outcome, {
      events: [
        START,
        think('Let'),
        think(' me'),
        think(' think'),
        delta('The'),
        delta(' answer'),
        think(' again'),
        delta('.'),
        { type: 'usage', usage: createUsage({ inputTokens: 2, outputTokens: 7 }) },
        { type: 'response-end', finishReason: 'stop' },
      ],
      error: undefined,
    });
  });

  test('reasoning chunks are read without a full parse, and text after them is not taken for reasoning', (t) => {
    const thoughts = Array.from({ length: 30 }, (_, index) => `r${index} `);
    const data = [
      chunk('{"role":"assistant","content":null,"reasoning_content":""}'),
      ...thoughts.map((value) =>
        chunk(`{"content":null,"reasoning_content":${JSON.stringify(value)}}`),
      ),
      chunk('{"content":"done","reasoning_content":null}'),
      chunk('{"content":"!","reasoning_content":null}'),
      chunk('{}', '"stop"'),
      '[DONE]',
    ];
    const { outcome, fullParses } = mapCountingFullParses(t, data);
    assert.deepEqual(outcome.events, [
      START,
      ...thoughts.map((text): StreamEvent => ({ type: 'reasoning-delta', text })),
      delta('done'),
      delta('!'),
      { type: 'response-end', finishReason: 'stop' },
    ]);
    // Role chunk; first reasoning chunk and its probe; first text chunk and its probe; finish.
    assert.equal(fullParses, 6);
  });
});
