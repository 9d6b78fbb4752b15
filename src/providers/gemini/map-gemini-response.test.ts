import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import { buildGeminiRequest } from './build-gemini-request.ts';
import { mapGeminiResponse } from './map-gemini-response.ts';

async function fixture(name: string): Promise<unknown> {
  const parsed = safeParseJson(
    await readFile(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'),
  );
  assert.ok(parsed.ok, name);
  return parsed.value;
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

function isGatewayError(code: string) {
  return (error: unknown) => error instanceof GatewayError && error.code === code;
}

test('text answer', async () => {
  assert.deepEqual(mapGeminiResponse(await fixture('response-text.json')), {
    id: 'rsp-json-text',
    model: 'gemini-2.5-flash',
    content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
    finishReason: 'stop',
    usage: usage({ inputTokens: 5, outputTokens: 9 }),
  });
});

test('function calls: STOP becomes tool-calls, ids synthesised by position, signature kept', async () => {
  assert.deepEqual(mapGeminiResponse(await fixture('response-function-call.json')), {
    id: 'rsp-json-fc',
    model: 'gemini-2.5-flash',
    content: [
      {
        type: 'tool-call',
        id: 'call_rsp-json-fc_0',
        name: 'get_weather',
        arguments: '{"city":"Seoul"}',
        signature: 'CiQBjsonFC1==',
      },
      {
        type: 'tool-call',
        id: 'call_rsp-json-fc_1',
        name: 'get_weather',
        arguments: '{"city":"Busan"}',
      },
    ],
    finishReason: 'tool-calls',
    usage: usage({ inputTokens: 70, outputTokens: 142, reasoningTokens: 112 }),
  });
});

test('thinking: thought parts become reasoning, a text signature follows its text', async () => {
  assert.deepEqual(mapGeminiResponse(await fixture('response-thinking.json')), {
    id: 'rsp-json-think',
    model: 'gemini-2.5-flash',
    content: [
      { type: 'reasoning', text: '**Counting letters**\n\nStrawberry has three r characters.' },
      { type: 'text', text: 'There are 3 "r"s in "strawberry".' },
      { type: 'reasoning', text: '', signature: 'EjQKMgEMsigTHINK==' },
    ],
    finishReason: 'stop',
    usage: usage({ inputTokens: 11, outputTokens: 457, reasoningTokens: 445 }),
  });
});

test('cached content and tool-use prompt tokens are normalised', async () => {
  const response = mapGeminiResponse(await fixture('response-cached-content.json'));
  assert.deepEqual(response.usage, {
    inputTokens: 4300,
    cachedInputTokens: 4096,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 210,
    reasoningTokens: 200,
  });
});

test('a function call id sent by Gemini is kept; missing args become {}', () => {
  const response = mapGeminiResponse({
    candidates: [
      {
        content: {
          role: 'model',
          parts: [
            { functionCall: { id: 'fc-abc', name: 'ping' } },
            { functionCall: { name: 'pong', args: {} } },
          ],
        },
        finishReason: 'STOP',
      },
    ],
  });
  assert.deepEqual(response, {
    id: '',
    model: '',
    content: [
      { type: 'tool-call', id: 'fc-abc', name: 'ping', arguments: '{}' },
      { type: 'tool-call', id: 'call_1', name: 'pong', arguments: '{}' },
    ],
    finishReason: 'tool-calls',
    usage: undefined,
  });
});

test('finish reasons: MAX_TOKENS → length, SAFETY/RECITATION/OTHER → content-filter', () => {
  const cases: Array<[string, string]> = [
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content-filter'],
    ['RECITATION', 'content-filter'],
    ['OTHER', 'content-filter'],
    ['PROHIBITED_CONTENT', 'content-filter'],
    ['FINISH_REASON_UNSPECIFIED', 'stop'],
  ];
  for (const [finishReason, expected] of cases) {
    const response = mapGeminiResponse({
      candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }],
      responseId: 'r',
      modelVersion: 'gemini-2.5-flash',
    });
    assert.equal(response.finishReason, expected, finishReason);
  }
});

test('a blocked prompt is an empty content-filter answer', () => {
  assert.deepEqual(
    mapGeminiResponse({
      promptFeedback: { blockReason: 'SAFETY' },
      usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'rsp-blocked',
    }),
    {
      id: 'rsp-blocked',
      model: 'gemini-2.5-flash',
      content: [],
      finishReason: 'content-filter',
      usage: usage({ inputTokens: 9 }),
    },
  );
});

test('a failed tool call is a retryable bad response', () => {
  for (const finishReason of [
    'MALFORMED_FUNCTION_CALL',
    'UNEXPECTED_TOOL_CALL',
    'TOO_MANY_TOOL_CALLS',
  ]) {
    assert.throws(
      () => mapGeminiResponse({ candidates: [{ content: { parts: [] }, finishReason }] }),
      (error: unknown) =>
        error instanceof GatewayError &&
        error.code === 'GW_ERR_UPSTREAM_BAD_RESPONSE' &&
        error.isRetryable &&
        error.message ===
          `The model produced an invalid tool call (Gemini finish reason ${finishReason}).`,
      finishReason,
    );
  }
});

test('bodies that are not a Gemini answer are bad responses', () => {
  assert.throws(() => mapGeminiResponse('oops'), isGatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE'));
  assert.throws(
    () => mapGeminiResponse({ candidates: [] }),
    isGatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE'),
  );
  assert.throws(
    () => mapGeminiResponse({ candidates: [{ content: { parts: [{ text: 7 }] } }] }),
    isGatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE'),
  );
});

test('a mapped answer replayed as history echoes its signatures in place', async () => {
  const answer = mapGeminiResponse(await fixture('response-thinking.json'));
  const built = buildGeminiRequest({
    request: {
      model: 'flash',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'How many r in strawberry?' }] },
        { role: 'assistant', content: answer.content },
      ],
      stream: false,
      includeUsage: false,
      passthrough: {},
    },
    upstreamModel: 'gemini-2.5-flash',
    connection: { name: 'g', type: 'gemini', baseUrl: 'https://g.test', apiKey: 'k', headers: {} },
    catalogMaxOutputTokens: 1000,
  });
  const body = safeParseJson(built.body);
  assert.ok(body.ok);
  assert.deepEqual(body.value, {
    contents: [
      { role: 'user', parts: [{ text: 'How many r in strawberry?' }] },
      {
        role: 'model',
        parts: [
          { text: 'There are 3 "r"s in "strawberry".', thoughtSignature: 'EjQKMgEMsigTHINK==' },
        ],
      },
    ],
  });
});
