import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage, ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import type { ProviderConnection } from '../provider-adapter.ts';
import { buildGeminiRequest } from './build-gemini-request.ts';

const connection: ProviderConnection = {
  name: 'google',
  type: 'gemini',
  baseUrl: 'https://generativelanguage.googleapis.com',
  apiKey: 'AIzaSy-test-key',
  headers: { 'x-team': 'blue' },
};

function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'flash',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    stream: false,
    includeUsage: false,
    passthrough: {},
    ...overrides,
  };
}

function build(request: ChatRequest, overrides: Partial<ProviderConnection> = {}) {
  return buildGeminiRequest({
    request,
    upstreamModel: 'gemini-2.5-flash',
    connection: { ...connection, ...overrides },
    catalogMaxOutputTokens: 65536,
  });
}

function bodyOf(request: ChatRequest): unknown {
  const parsed = safeParseJson(build(request).body);
  assert.ok(parsed.ok);
  return parsed.value;
}

function userText(text: string): ChatMessage {
  return { role: 'user', content: [{ type: 'text', text }] };
}

test('non-streaming call: generateContent URL, key only in x-goog-api-key, operator headers', () => {
  const built = build(chatRequest());
  assert.deepEqual(built, {
    url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    method: 'POST',
    headers: {
      'x-team': 'blue',
      'content-type': 'application/json',
      'x-goog-api-key': 'AIzaSy-test-key',
    },
    body: '{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}',
    stream: false,
  });
  assert.equal(built.url.includes('AIzaSy-test-key'), false);
});

test('streaming call uses streamGenerateContent?alt=sse', () => {
  const built = build(chatRequest({ stream: true, includeUsage: true }));
  assert.equal(
    built.url,
    'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
  );
  assert.equal(built.stream, true);
  assert.equal(built.body, '{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}');
});

test('a base URL ending in /v1beta/ is tolerated; no key means no key header', () => {
  const built = build(chatRequest(), {
    baseUrl: 'http://127.0.0.1:8787/v1beta/',
    apiKey: '',
    headers: {},
  });
  assert.equal(built.url, 'http://127.0.0.1:8787/v1beta/models/gemini-2.5-flash:generateContent');
  assert.deepEqual(built.headers, { 'content-type': 'application/json' });
});

test('system messages become systemInstruction; user name is not forwarded', () => {
  const body = bodyOf(
    chatRequest({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
        { role: 'system', content: [{ type: 'text', text: 'Answer in Korean.' }] },
        { role: 'user', name: 'alice', content: [{ type: 'text', text: 'Hello' }] },
      ],
    }),
  );
  assert.deepEqual(body, {
    contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
    systemInstruction: { parts: [{ text: 'You are terse.' }, { text: 'Answer in Korean.' }] },
  });
});

test('multi-turn with tool calls: signatures echoed, results merged into one user turn', () => {
  const body = bodyOf(
    chatRequest({
      messages: [
        userText('Weather in Seoul and Busan?'),
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            {
              type: 'tool-call',
              id: 'call_1',
              name: 'get_weather',
              arguments: '{"city":"Seoul"}',
              signature: 'CiQBsig==',
            },
            { type: 'tool-call', id: 'call_2', name: 'get_forecast', arguments: '' },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"temp":21}' }] },
        {
          role: 'tool',
          toolCallId: 'call_2',
          content: [
            { type: 'text', text: 'Sunny, ' },
            { type: 'text', text: '25C' },
          ],
        },
        userText('Thanks. And tomorrow?'),
      ],
    }),
  );
  assert.deepEqual(body, {
    contents: [
      { role: 'user', parts: [{ text: 'Weather in Seoul and Busan?' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'get_weather', args: { city: 'Seoul' } },
            thoughtSignature: 'CiQBsig==',
          },
          { functionCall: { name: 'get_forecast', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
          { functionResponse: { name: 'get_forecast', response: { result: 'Sunny, 25C' } } },
          { text: 'Thanks. And tomorrow?' },
        ],
      },
    ],
  });
});

test('a JSON array or number tool result is wrapped as { result: text }', () => {
  const body = bodyOf(
    chatRequest({
      messages: [
        userText('List'),
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'c', name: 'list', arguments: '{}' }],
        },
        { role: 'tool', toolCallId: 'c', content: [{ type: 'text', text: '[1,2]' }] },
      ],
    }),
  );
  assert.deepEqual(body, {
    contents: [
      { role: 'user', parts: [{ text: 'List' }] },
      { role: 'model', parts: [{ functionCall: { name: 'list', args: {} } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'list', response: { result: '[1,2]' } } }],
      },
    ],
  });
});

test('a tool result whose id matches no earlier tool call is a 400 naming it', () => {
  assert.throws(
    () =>
      build(
        chatRequest({
          messages: [
            userText('x'),
            { role: 'tool', toolCallId: 'call_missing', content: [{ type: 'text', text: 'ok' }] },
          ],
        }),
      ),
    (error: unknown) =>
      error instanceof GatewayError &&
      error.code === 'GW_ERR_INVALID_REQUEST' &&
      error.param === 'messages[1].tool_call_id' &&
      error.status === 400,
  );
});

test('tool call arguments that are not a JSON object are a 400 naming them', () => {
  assert.throws(
    () =>
      build(
        chatRequest({
          messages: [
            userText('x'),
            {
              role: 'assistant',
              content: [
                { type: 'tool-call', id: 'a', name: 'f', arguments: '{}' },
                { type: 'tool-call', id: 'b', name: 'f', arguments: '{"city":' },
              ],
            },
          ],
        }),
      ),
    (error: unknown) =>
      error instanceof GatewayError &&
      error.code === 'GW_ERR_INVALID_REQUEST' &&
      error.param === 'messages[1].tool_calls[1].function.arguments',
  );
});

test('reasoning: text is not sent back, signatures rejoin their text part or travel alone', () => {
  const body = bodyOf(
    chatRequest({
      messages: [
        userText('q1'),
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Summary of thoughts', signature: 'SIG_THOUGHT' },
            { type: 'text', text: 'Answer one.' },
            { type: 'reasoning', text: '', signature: 'SIG_TEXT' },
          ],
        },
        userText('q2'),
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'unsigned summary' },
            { type: 'reasoning', text: '', redactedData: 'EmwKAhgBEgy' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Answer two.' },
            { type: 'tool-call', id: 't', name: 'f', arguments: '{}' },
            { type: 'reasoning', text: '', signature: 'SIG_AFTER_CALL' },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(body, {
    contents: [
      { role: 'user', parts: [{ text: 'q1' }] },
      {
        role: 'model',
        parts: [
          { text: '', thoughtSignature: 'SIG_THOUGHT' },
          { text: 'Answer one.', thoughtSignature: 'SIG_TEXT' },
        ],
      },
      { role: 'user', parts: [{ text: 'q2' }] },
      {
        role: 'model',
        parts: [
          { text: 'Answer two.' },
          { functionCall: { name: 'f', args: {} } },
          { text: '', thoughtSignature: 'SIG_AFTER_CALL' },
        ],
      },
    ],
  });
});

test('images: base64 data URL → inlineData, https URL → fileData with a guessed MIME type', () => {
  const body = bodyOf(
    chatRequest({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these' },
            { type: 'image', url: 'data:image/PNG;base64,iVBORw0KGgo=', detail: 'high' },
            { type: 'image', url: 'https://example.com/photos/cat.webp?size=large#top' },
            { type: 'image', url: 'https://example.com/render' },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(body, {
    contents: [
      {
        role: 'user',
        parts: [
          { text: 'Compare these' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          {
            fileData: {
              mimeType: 'image/webp',
              fileUri: 'https://example.com/photos/cat.webp?size=large#top',
            },
          },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
        ],
      },
    ],
  });
});

test('a data URL that is not base64, or a URL of another scheme, is a 400 naming the part', () => {
  for (const url of ['data:image/svg+xml,%3Csvg%3E', 'ftp://example.com/cat.png']) {
    assert.throws(
      () =>
        build(
          chatRequest({
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'text', text: 'see' },
                  { type: 'image', url },
                ],
              },
            ],
          }),
        ),
      (error: unknown) =>
        error instanceof GatewayError &&
        error.code === 'GW_ERR_INVALID_REQUEST' &&
        error.param === 'messages[0].content[1]',
      url,
    );
  }
});

test('tools become functionDeclarations with parametersJsonSchema; empty schemas are omitted', () => {
  const parameters = {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] } },
    required: ['city'],
    additionalProperties: false,
  };
  const body = bodyOf(
    chatRequest({
      tools: [
        { name: 'get_weather', description: 'Current weather', parameters, strict: true },
        { name: 'get_time', parameters: {} },
      ],
      toolChoice: 'auto',
    }),
  );
  assert.deepEqual(body, {
    contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
    tools: [
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Current weather', parametersJsonSchema: parameters },
          { name: 'get_time' },
        ],
      },
    ],
    toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
  });
});

test('tool_choice variants map to functionCallingConfig modes', () => {
  const cases: Array<[ChatRequest['toolChoice'], unknown]> = [
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'tool', name: 'get_weather' },
      { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    ],
  ];
  for (const [toolChoice, expected] of cases) {
    const body = bodyOf(
      chatRequest({
        tools: [{ name: 'get_weather', parameters: {} }],
        ...(toolChoice ? { toolChoice } : {}),
      }),
    );
    assert.deepEqual(body, {
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
      toolConfig: { functionCallingConfig: expected },
    });
  }
});

test('sampling fields map to generationConfig; user and zero penalties are not forwarded', () => {
  const body = bodyOf(
    chatRequest({
      temperature: 0,
      topP: 0.9,
      maxOutputTokens: 256,
      stop: ['END', '###'],
      seed: 42,
      presencePenalty: 0,
      frequencyPenalty: 0,
      user: 'end-user-17',
      parallelToolCalls: true,
    }),
  );
  assert.deepEqual(body, {
    contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
    generationConfig: {
      temperature: 0,
      topP: 0.9,
      maxOutputTokens: 256,
      stopSequences: ['END', '###'],
      seed: 42,
    },
  });
});

test('response_format: text, json_object and json_schema', () => {
  const schema = {
    type: 'object',
    properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
    required: ['name'],
    additionalProperties: false,
  };
  const cases: Array<[ChatRequest['responseFormat'], unknown]> = [
    [{ type: 'text' }, { responseMimeType: 'text/plain' }],
    [{ type: 'json_object' }, { responseMimeType: 'application/json' }],
    [
      { type: 'json_schema', name: 'person', schema, strict: true, description: 'A person' },
      { responseMimeType: 'application/json', responseJsonSchema: schema },
    ],
  ];
  for (const [responseFormat, generationConfig] of cases) {
    const body = bodyOf(chatRequest(responseFormat ? { responseFormat } : {}));
    assert.deepEqual(body, {
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig,
    });
  }
});

test('reasoning_effort maps to a thinking budget; thoughts are included unless thinking is off', () => {
  const cases: Array<[ChatRequest['reasoningEffort'], unknown]> = [
    ['none', { thinkingBudget: 0 }],
    ['minimal', { thinkingBudget: 1024, includeThoughts: true }],
    ['low', { thinkingBudget: 1024, includeThoughts: true }],
    ['medium', { thinkingBudget: 8192, includeThoughts: true }],
    ['high', { thinkingBudget: 24576, includeThoughts: true }],
  ];
  for (const [reasoningEffort, thinkingConfig] of cases) {
    const body = bodyOf(chatRequest(reasoningEffort ? { reasoningEffort } : {}));
    assert.deepEqual(body, {
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: { thinkingConfig },
    });
  }
});

test("OpenAI's answer-neutral fields are left out, not refused: clients send them whatever the model", () => {
  const passthrough = {
    store: true,
    metadata: { team: 'a' },
    prompt_cache_key: 'k',
    prompt_cache_retention: 'in_memory',
    safety_identifier: 'user-1',
    service_tier: 'default',
  };
  assert.deepEqual(bodyOf(chatRequest({ passthrough })), bodyOf(chatRequest()));
  assert.throws(
    () => build(chatRequest({ passthrough: { ...passthrough, verbosity: 'low' } })),
    (error: unknown) => error instanceof GatewayError && error.param === 'verbosity',
  );
});

test('unsupported parameters are a 400 naming each one', () => {
  const cases: Array<[Partial<ChatRequest>, string]> = [
    [{ parallelToolCalls: false }, 'parallel_tool_calls'],
    [{ passthrough: { top_k: 40 } }, 'top_k'],
    [{ frequencyPenalty: 0.5 }, 'frequency_penalty'],
    [{ presencePenalty: -1 }, 'presence_penalty'],
    [{ passthrough: { logprobs: true } }, 'logprobs'],
    [{ passthrough: { n: 2 } }, 'n'],
  ];
  for (const [overrides, param] of cases) {
    assert.throws(
      () => build(chatRequest(overrides)),
      (error: unknown) =>
        error instanceof GatewayError &&
        error.code === 'GW_ERR_UNSUPPORTED_PARAMETER' &&
        error.status === 400 &&
        error.param === param &&
        error.message ===
          `The parameter \`${param}\` is not supported for this model (served by Gemini). Remove it and try again.`,
      param,
    );
  }
});

test('max_tokens above the catalogue maximum is refused, naming the limit; at it is sent', () => {
  assert.throws(
    () => build(chatRequest({ maxOutputTokens: 65537 })),
    (error: unknown) =>
      error instanceof GatewayError &&
      error.code === 'GW_ERR_INVALID_REQUEST' &&
      error.status === 400 &&
      error.param === 'max_tokens' &&
      /65537.*at most 65536/.test(error.message),
  );
  assert.deepEqual(bodyOf(chatRequest({ maxOutputTokens: 65536 })), {
    contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
    generationConfig: { maxOutputTokens: 65536 },
  });
});

test('without a client max_tokens, the held output cap is sent as maxOutputTokens', () => {
  const configOf = (request: ChatRequest, outputTokensWhenUnset?: number): unknown => {
    const parsed = safeParseJson(
      buildGeminiRequest({
        request,
        upstreamModel: 'gemini-2.5-flash',
        connection,
        catalogMaxOutputTokens: 65536,
        ...(outputTokensWhenUnset === undefined ? {} : { outputTokensWhenUnset }),
      }).body,
    );
    assert.ok(parsed.ok && typeof parsed.value === 'object' && parsed.value !== null);
    return 'generationConfig' in parsed.value ? parsed.value.generationConfig : 'absent';
  };
  assert.deepEqual(configOf(chatRequest(), 4096), { maxOutputTokens: 4096 });
  assert.deepEqual(configOf(chatRequest({ maxOutputTokens: 300 }), 4096), { maxOutputTokens: 300 });
  assert.deepEqual(configOf(chatRequest(), 100000), { maxOutputTokens: 65536 });
  assert.equal(configOf(chatRequest()), 'absent');
});

test('a conversation whose only user text is empty is refused on messages', () => {
  const request = chatRequest({
    messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, userText('')],
  });
  assert.throws(
    () => build(request),
    (error: unknown) =>
      error instanceof GatewayError &&
      error.code === 'GW_ERR_INVALID_REQUEST' &&
      error.status === 400 &&
      error.param === 'messages' &&
      /No message has content/.test(error.message),
  );
});
