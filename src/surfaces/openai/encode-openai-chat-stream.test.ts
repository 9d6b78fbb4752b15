import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { createUsage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import { encodeOpenaiChatStream } from './encode-openai-chat-stream.ts';

const HEAD =
  'data: {"id":"chatcmpl-gw1","object":"chat.completion.chunk","created":1760000000,"model":"gpt-4.1","system_fingerprint":null,"choices":';

/** The frame OpenAI sends for one delta, with or without `"usage":null`. */
function frame(delta: string, includeUsage: boolean, finishReason = 'null'): string {
  const usage = includeUsage ? ',"usage":null' : '';
  return `${HEAD}[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishReason}}]${usage}}\n\n`;
}

const ROLE = '{"role":"assistant","content":""}';
const DONE = 'data: [DONE]\n\n';
const START: StreamEvent = { type: 'response-start', id: 'up-1', model: 'gpt-4.1-2025-04-14' };
const USAGE = createUsage({
  inputTokens: 120,
  cachedInputTokens: 64,
  outputTokens: 35,
  reasoningTokens: 10,
});
const USAGE_JSON =
  '{"prompt_tokens":120,"completion_tokens":35,"total_tokens":155,"prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":10,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}';

async function* source(events: StreamEvent[], failure?: unknown): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
  if (failure !== undefined) throw failure;
}

async function encode(
  events: StreamEvent[],
  options: { includeUsage?: boolean; failure?: unknown; errors?: GatewayError[] } = {},
): Promise<string[]> {
  const frames: string[] = [];
  const generator = encodeOpenaiChatStream({
    events: source(events, options.failure),
    id: 'chatcmpl-gw1',
    created: 1_760_000_000,
    model: 'gpt-4.1',
    includeUsage: options.includeUsage ?? false,
    onError: (error) => options.errors?.push(error),
  });
  for await (const text of generator) frames.push(text);
  return frames;
}

const TEXT_EVENTS: StreamEvent[] = [
  START,
  { type: 'text-delta', text: 'Hel' },
  { type: 'text-delta', text: 'lo "world"\n' },
  { type: 'usage', usage: USAGE },
  { type: 'response-end', finishReason: 'stop' },
];

describe('encodeOpenaiChatStream', () => {
  it('streams text without usage chunks when include_usage is off', async () => {
    assert.deepEqual(await encode(TEXT_EVENTS), [
      frame(ROLE, false),
      frame('{"content":"Hel"}', false),
      frame('{"content":"lo \\"world\\"\\n"}', false),
      frame('{}', false, '"stop"'),
      DONE,
    ]);
  });

  it('streams usage: null on every chunk and a final choices: [] usage chunk when on', async () => {
    assert.deepEqual(await encode(TEXT_EVENTS, { includeUsage: true }), [
      frame(ROLE, true),
      frame('{"content":"Hel"}', true),
      frame('{"content":"lo \\"world\\"\\n"}', true),
      frame('{}', true, '"stop"'),
      `${HEAD}[],"usage":${USAGE_JSON}}\n\n`,
      DONE,
    ]);
  });

  it('adds cache_creation_input_tokens to the usage chunk only when non-zero', async () => {
    const frames = await encode(
      [
        START,
        { type: 'usage', usage: createUsage({ inputTokens: 10, cacheWriteTokens: 4 }) },
        { type: 'response-end', finishReason: 'length' },
      ],
      { includeUsage: true },
    );
    assert.deepEqual(frames.slice(1), [
      frame('{}', true, '"length"'),
      `${HEAD}[],"usage":{"prompt_tokens":10,"completion_tokens":0,"total_tokens":10,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0},"cache_creation_input_tokens":4}}\n\n`,
      DONE,
    ]);
  });

  it('writes usage.cost and usage.balance digit for digit from the micro-units', async () => {
    // Number(micros) / 10^6 wrote …352793 and …740992: a double holds about 16 digits.
    const frames = await encode(
      [
        ...TEXT_EVENTS.slice(0, -1),
        {
          type: 'charge',
          costMicros: 8_928_409_333_352_792n,
          balanceMicros: 9_007_199_254_740_993n,
          currency: 'KRW',
        },
        { type: 'response-end', finishReason: 'stop' },
      ],
      { includeUsage: true },
    );
    assert.equal(
      frames.at(-2),
      `${HEAD}[],"usage":${USAGE_JSON.slice(0, -1)},"cost":8928409333.352792,"currency":"KRW","balance":9007199254.740993}}\n\n`,
    );
  });

  it('streams reasoning as reasoning_content and signed blocks as whole thinking_blocks', async () => {
    const frames = await encode([
      START,
      { type: 'reasoning-delta', text: 'Let me ' },
      { type: 'reasoning-delta', text: 'think.' },
      { type: 'reasoning-signature', signature: 'sig-1' },
      { type: 'reasoning-redacted', data: 'opaque' },
      { type: 'reasoning-delta', text: 'More.' },
      { type: 'reasoning-signature', signature: 'sig-2' },
      { type: 'text-delta', text: 'Answer' },
      { type: 'response-end', finishReason: 'stop' },
    ]);
    assert.deepEqual(frames, [
      frame(ROLE, false),
      frame('{"reasoning_content":"Let me "}', false),
      frame('{"reasoning_content":"think."}', false),
      frame(
        '{"thinking_blocks":[{"type":"thinking","thinking":"Let me think.","signature":"sig-1"}]}',
        false,
      ),
      frame('{"thinking_blocks":[{"type":"redacted_thinking","data":"opaque"}]}', false),
      frame('{"reasoning_content":"More."}', false),
      frame(
        '{"thinking_blocks":[{"type":"thinking","thinking":"More.","signature":"sig-2"}]}',
        false,
      ),
      frame('{"content":"Answer"}', false),
      frame('{}', false, '"stop"'),
      DONE,
    ]);
  });

  it('streams parallel tool calls by index and closes empty arguments as {}', async () => {
    const frames = await encode(
      [
        START,
        { type: 'text-delta', text: 'Checking.' },
        { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
        { type: 'tool-call-start', index: 1, id: 'call_b', name: 'get_time', signature: 'ts-1' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '"Seoul"}' },
        { type: 'tool-call-start', index: 2, id: 'call_c', name: 'noop' },
        { type: 'usage', usage: USAGE },
        { type: 'response-end', finishReason: 'tool-calls' },
      ],
      { includeUsage: true },
    );
    assert.deepEqual(frames, [
      frame(ROLE, true),
      frame('{"content":"Checking."}', true),
      frame(
        '{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}',
        true,
      ),
      frame(
        '{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"","thought_signature":"ts-1"}}]}',
        true,
      ),
      frame('{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]}', true),
      frame('{"tool_calls":[{"index":0,"function":{"arguments":"\\"Seoul\\"}"}}]}', true),
      frame(
        '{"tool_calls":[{"index":2,"id":"call_c","type":"function","function":{"name":"noop","arguments":""}}]}',
        true,
      ),
      frame('{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]}', true),
      frame('{"tool_calls":[{"index":2,"function":{"arguments":"{}"}}]}', true),
      frame('{}', true, '"tool_calls"'),
      `${HEAD}[],"usage":${USAGE_JSON}}\n\n`,
      DONE,
    ]);
  });

  it('maps content-filter and keeps usage that arrives after response-end', async () => {
    const frames = await encode(
      [
        START,
        { type: 'response-end', finishReason: 'content-filter' },
        { type: 'text-delta', text: 'ignored' },
        { type: 'usage', usage: USAGE },
      ],
      { includeUsage: true },
    );
    assert.deepEqual(frames, [
      frame(ROLE, true),
      frame('{}', true, '"content_filter"'),
      `${HEAD}[],"usage":${USAGE_JSON}}\n\n`,
      DONE,
    ]);
  });

  it('ends with an error frame and no [DONE] when the source fails after the first frame', async () => {
    const failure = new GatewayError('GW_ERR_UPSTREAM_OVERLOADED', 'The upstream is overloaded.', {
      status: 503,
    });
    const errors: GatewayError[] = [];
    const frames = await encode([START, { type: 'text-delta', text: 'Hi' }], {
      includeUsage: true,
      failure,
      errors,
    });
    assert.deepEqual(frames, [
      frame(ROLE, true),
      frame('{"content":"Hi"}', true),
      'data: {"error":{"message":"The upstream is overloaded.","type":"server_error","param":null,"code":"upstream_overloaded"}}\n\n',
    ]);
    assert.deepEqual(errors, [failure]);
  });

  it('wraps a non-gateway failure as an internal error frame', async () => {
    const errors: GatewayError[] = [];
    const frames = await encode([START], { failure: new TypeError('boom'), errors });
    assert.deepEqual(frames, [
      frame(ROLE, false),
      'data: {"error":{"message":"The gateway failed to handle the request.","type":"server_error","param":null,"code":"internal_error"}}\n\n',
    ]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.code, 'GW_ERR_INTERNAL');
    assert.ok(errors[0]?.cause instanceof TypeError);
  });

  it('rethrows a failure that happens before any frame, having yielded nothing', async () => {
    const failure = new GatewayError('GW_ERR_UPSTREAM_RATE_LIMITED', 'Slow down.');
    const errors: GatewayError[] = [];
    const frames: string[] = [];
    await assert.rejects(
      (async () => {
        const generator = encodeOpenaiChatStream({
          events: source([], failure),
          id: 'chatcmpl-gw1',
          created: 1_760_000_000,
          model: 'gpt-4.1',
          includeUsage: true,
          onError: (error) => errors.push(error),
        });
        for await (const text of generator) frames.push(text);
      })(),
      (error: unknown) => error === failure,
    );
    assert.deepEqual(frames, []);
    assert.deepEqual(errors, []);
  });

  it('yields nothing until the first upstream event arrives', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow(): AsyncGenerator<StreamEvent> {
      await gate;
      yield START;
      yield { type: 'response-end', finishReason: 'stop' };
    }
    const generator = encodeOpenaiChatStream({
      events: slow(),
      id: 'chatcmpl-gw1',
      created: 1_760_000_000,
      model: 'gpt-4.1',
      includeUsage: false,
    });
    let settled = false;
    const first = generator.next().then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false);
    release?.();
    assert.deepEqual(await first, { done: false, value: frame(ROLE, false) });
    await generator.return(undefined);
  });

  it('treats a source that ends without response-end as a cut stream', async () => {
    const errors: GatewayError[] = [];
    const frames = await encode([START, { type: 'text-delta', text: 'Hal' }], { errors });
    assert.deepEqual(frames, [
      frame(ROLE, false),
      frame('{"content":"Hal"}', false),
      'data: {"error":{"message":"The upstream stream ended before the answer was complete.","type":"server_error","param":null,"code":"upstream_stream_error"}}\n\n',
    ]);
    assert.equal(errors[0]?.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
  });

  it('throws for a source that ends without any event', async () => {
    await assert.rejects(encode([]), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
      return true;
    });
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* endless(): AsyncGenerator<StreamEvent> {
      try {
        yield START;
        for (;;) yield { type: 'text-delta', text: 'x' };
      } finally {
        closed = true;
      }
    }
    const generator = encodeOpenaiChatStream({
      events: endless(),
      id: 'chatcmpl-gw1',
      created: 1_760_000_000,
      model: 'gpt-4.1',
      includeUsage: false,
    });
    await generator.next();
    await generator.next();
    await generator.return(undefined);
    assert.equal(closed, true);
  });

  it('writes every frame as one line of JSON with OpenAI key order', async () => {
    for (const includeUsage of [false, true]) {
      const frames = await encode(
        [
          START,
          { type: 'reasoning-delta', text: 'r' },
          { type: 'reasoning-signature', signature: 's' },
          { type: 'text-delta', text: 't' },
          { type: 'tool-call-start', index: 0, id: 'c', name: 'f' },
          { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
          { type: 'usage', usage: USAGE },
          { type: 'response-end', finishReason: 'tool-calls' },
        ],
        { includeUsage },
      );
      assert.equal(frames.at(-1), DONE);
      const chunkKeys = ['id', 'object', 'created', 'model', 'system_fingerprint', 'choices'];
      if (includeUsage) chunkKeys.push('usage');
      for (const text of frames.slice(0, -1)) {
        assert.ok(text.startsWith('data: ') && text.endsWith('\n\n'));
        const payload = text.slice('data: '.length, -2);
        assert.equal(payload.includes('\n'), false);
        const parsed = safeParseJson(payload);
        assert.ok(parsed.ok, payload);
        const chunk = parsed.value;
        assert.ok(typeof chunk === 'object' && chunk !== null && 'choices' in chunk);
        assert.deepEqual(Object.keys(chunk), chunkKeys);
        assert.ok(Array.isArray(chunk.choices));
        const choices: unknown[] = chunk.choices;
        for (const choice of choices) {
          assert.ok(isRecord(choice));
          assert.deepEqual(Object.keys(choice), ['index', 'delta', 'logprobs', 'finish_reason']);
        }
      }
    }
  });

  it('escapes ids and model names that need it', async () => {
    const generator = encodeOpenaiChatStream({
      events: source([START, { type: 'response-end', finishReason: 'stop' }]),
      id: 'id"with\\quote',
      created: 1,
      model: 'org/model "x"',
      includeUsage: false,
    });
    const frames: string[] = [];
    for await (const text of generator) frames.push(text);
    const parsed = safeParseJson((frames[0] ?? '').slice('data: '.length));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      id: 'id"with\\quote',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'org/model "x"',
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', content: '' },
          logprobs: null,
          finish_reason: null,
        },
      ],
    });
  });
});

describe('encodeOpenaiChatStream text frames', () => {
  it('frames every text, plain or needing escapes, exactly as its JSON.stringify would', async () => {
    const texts = [
      'plain',
      ' 한국어 토큰',
      '😀',
      'q"uote',
      'back\\slash',
      'ctl\u0001',
      'lone \ud800 surrogate',
      'line\u2028separator',
      'x'.repeat(64),
      `${'x'.repeat(64)}"`,
      'y'.repeat(65),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constantFrom(...texts),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.boolean(),
        async (pieces, includeUsage) => {
          const events: StreamEvent[] = [START];
          for (const text of pieces) {
            events.push({ type: 'text-delta', text });
            events.push({ type: 'reasoning-delta', text });
          }
          events.push({ type: 'response-end', finishReason: 'stop' });
          const frames = await encode(events, { includeUsage });
          const expected = pieces.flatMap((text) => [
            frame(`{"content":${JSON.stringify(text)}}`, includeUsage),
            frame(`{"reasoning_content":${JSON.stringify(text)}}`, includeUsage),
          ]);
          assert.deepEqual(frames.slice(1, 1 + expected.length), expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
