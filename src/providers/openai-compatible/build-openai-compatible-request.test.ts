import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import type { BuildRequestInput, ProviderConnection } from '../provider-adapter.ts';
import { openaiAdapter, openaiCompatibleAdapter } from './index.ts';

const openaiConnection: ProviderConnection = {
  name: 'openai',
  type: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: 'sk-test-key',
  headers: {},
};

const localConnection: ProviderConnection = {
  name: 'my-vllm',
  type: 'openai-compatible',
  baseUrl: 'http://127.0.0.1:8000/v1',
  apiKey: '',
  headers: { 'X-Team': 'research' },
};

function minimalRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'public-alias',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    stream: false,
    includeUsage: false,
    passthrough: {},
    ...overrides,
  };
}

function input(request: ChatRequest, connection: ProviderConnection): BuildRequestInput {
  return { request, upstreamModel: 'upstream-model', connection, catalogMaxOutputTokens: 4096 };
}

function bodyOf(text: string): unknown {
  const parsed = safeParseJson(text);
  assert.ok(parsed.ok);
  return parsed.value;
}

/** A request using every canonical field and every message shape. */
const fullRequest: ChatRequest = {
  model: 'public-alias',
  stream: true,
  includeUsage: false,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    {
      role: 'user',
      name: 'jiwoo',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', url: 'https://example.com/cat.png', detail: 'low' },
        { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Need the weather.' },
        { type: 'reasoning', text: '', redactedData: 'EncryptedBlob' },
        { type: 'text', text: 'Checking.' },
        {
          type: 'tool-call',
          id: 'call_1',
          name: 'get_weather',
          arguments: '{"city":"Seoul"}',
          signature: 'sig',
        },
      ],
    },
    { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"temp":21}' }] },
    {
      role: 'assistant',
      content: [{ type: 'tool-call', id: 'call_2', name: 'get_time', arguments: '{}' }],
    },
  ],
  temperature: 0,
  topP: 0.9,
  maxOutputTokens: 256,
  stop: ['END'],
  tools: [
    {
      name: 'get_weather',
      description: 'Weather by city',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
      strict: true,
    },
    { name: 'get_time', parameters: { type: 'object' } },
  ],
  toolChoice: { type: 'tool', name: 'get_weather' },
  parallelToolCalls: false,
  responseFormat: {
    type: 'json_schema',
    name: 'answer',
    description: 'The answer',
    schema: { type: 'object' },
    strict: true,
  },
  reasoningEffort: 'low',
  user: 'user-42',
  seed: 7,
  frequencyPenalty: 0.5,
  presencePenalty: -0.5,
  passthrough: { top_k: 40, thinking: { type: 'enabled' }, model: 'client-override', seed: 99 },
};

function expectedFullBody(maxTokensField: string, reasoning: boolean): Record<string, unknown> {
  const firstAssistant: Record<string, unknown> = {
    role: 'assistant',
    content: 'Checking.',
    tool_calls: [
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Seoul"}' },
      },
    ],
  };
  if (reasoning) firstAssistant.reasoning_content = 'Need the weather.';
  return {
    model: 'upstream-model',
    messages: [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        name: 'jiwoo',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      firstAssistant,
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
        ...(reasoning ? { reasoning_content: '' } : {}),
      },
    ],
    stream: true,
    stream_options: { include_usage: true },
    temperature: 0,
    top_p: 0.9,
    [maxTokensField]: 256,
    stop: ['END'],
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather by city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
    ],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
    parallel_tool_calls: false,
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'answer',
        description: 'The answer',
        schema: { type: 'object' },
        strict: true,
      },
    },
    reasoning_effort: 'low',
    user: 'user-42',
    seed: 7,
    frequency_penalty: 0.5,
    presence_penalty: -0.5,
    top_k: 40,
    thinking: { type: 'enabled' },
  };
}

test('openai: every field mapped, max_completion_tokens, no reasoning_content', () => {
  const built = openaiAdapter.buildRequest(input(fullRequest, openaiConnection));
  assert.equal(built.url, 'https://api.openai.com/v1/chat/completions');
  assert.equal(built.method, 'POST');
  assert.equal(built.stream, true);
  assert.deepEqual(built.headers, {
    'content-type': 'application/json',
    authorization: 'Bearer sk-test-key',
  });
  assert.deepEqual(bodyOf(built.body), expectedFullBody('max_completion_tokens', false));
});

test('openai-compatible: every field mapped, max_tokens, reasoning_content sent back', () => {
  const built = openaiCompatibleAdapter.buildRequest(input(fullRequest, localConnection));
  assert.equal(built.url, 'http://127.0.0.1:8000/v1/chat/completions');
  // No key configured: no authorization header at all. Operator header names are lower-cased.
  assert.deepEqual(built.headers, { 'content-type': 'application/json', 'x-team': 'research' });
  assert.deepEqual(bodyOf(built.body), expectedFullBody('max_tokens', true));
});

test('a minimal non-streaming request invents nothing: no stream, stream_options or limits', () => {
  for (const adapter of [openaiAdapter, openaiCompatibleAdapter]) {
    const built = adapter.buildRequest(input(minimalRequest(), openaiConnection));
    assert.equal(built.stream, false);
    assert.equal(
      built.body,
      '{"model":"upstream-model","messages":[{"role":"user","content":"Hi"}]}',
    );
  }
});

test('streaming always asks for usage, even when the client did not', () => {
  const built = openaiCompatibleAdapter.buildRequest(
    input(minimalRequest({ stream: true, includeUsage: false }), localConnection),
  );
  assert.equal(
    built.body,
    '{"model":"upstream-model","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}',
  );
});

test('passthrough never overrides a built field, including stream_options and messages', () => {
  const built = openaiAdapter.buildRequest(
    input(
      minimalRequest({
        stream: true,
        temperature: 1,
        passthrough: {
          stream_options: { include_usage: false },
          messages: [],
          temperature: 2,
          logit_bias: { '50256': -100 },
        },
      }),
      openaiConnection,
    ),
  );
  assert.deepEqual(bodyOf(built.body), {
    model: 'upstream-model',
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
    stream_options: { include_usage: true },
    temperature: 1,
    logit_bias: { '50256': -100 },
  });
});

test('a `__proto__` passthrough key stays an ordinary field', () => {
  const parsed = safeParseJson('{"__proto__":{"polluted":true}}');
  assert.ok(parsed.ok && isRecord(parsed.value));
  const passthrough = parsed.value;
  const built = openaiCompatibleAdapter.buildRequest(
    input(minimalRequest({ passthrough }), localConnection),
  );
  assert.equal(
    built.body,
    '{"model":"upstream-model","messages":[{"role":"user","content":"Hi"}],"__proto__":{"polluted":true}}',
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('a tool-call turn without reasoning goes back with an empty reasoning_content', () => {
  // DeepSeek thinking mode: a tool-call turn must come back with its reasoning_content, even
  // empty, or the request is refused with 400. A client echoing "" leaves no reasoning part.
  const request = minimalRequest({
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: 'ok' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: '', redactedData: 'EncryptedBlob' },
          { type: 'tool-call', id: 'call_2', name: 'f', arguments: '{}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_2', content: [{ type: 'text', text: 'ok' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
    ],
  });
  const call = (id: string) => ({
    id,
    type: 'function',
    function: { name: 'f', arguments: '{}' },
  });
  const expected = (reasoning: boolean) => [
    { role: 'user', content: 'go' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [call('call_1')],
      ...(reasoning ? { reasoning_content: '' } : {}),
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [call('call_2')],
      ...(reasoning ? { reasoning_content: '' } : {}),
    },
    { role: 'tool', tool_call_id: 'call_2', content: 'ok' },
    // A turn without tool calls needs no reasoning back.
    { role: 'assistant', content: 'Done.' },
  ];
  const compatible = bodyOf(
    openaiCompatibleAdapter.buildRequest(input(request, localConnection)).body,
  );
  assert.ok(isRecord(compatible));
  assert.deepEqual(compatible.messages, expected(true));
  // OpenAI refuses unknown message properties: still nothing there.
  const openai = bodyOf(openaiAdapter.buildRequest(input(request, openaiConnection)).body);
  assert.ok(isRecord(openai));
  assert.deepEqual(openai.messages, expected(false));
});

test('simple tool choices, json_object and text formats, several text parts', () => {
  const built = openaiCompatibleAdapter.buildRequest(
    input(
      minimalRequest({
        messages: [
          {
            role: 'system',
            content: [
              { type: 'text', text: 'A' },
              { type: 'text', text: 'B' },
            ],
          },
          { role: 'assistant', content: [{ type: 'reasoning', text: '' }] },
          { role: 'tool', toolCallId: 'call_9', content: [] },
        ],
        toolChoice: 'required',
        responseFormat: { type: 'json_object' },
      }),
      localConnection,
    ),
  );
  assert.deepEqual(bodyOf(built.body), {
    model: 'upstream-model',
    messages: [
      {
        role: 'system',
        content: [
          { type: 'text', text: 'A' },
          { type: 'text', text: 'B' },
        ],
      },
      // Reasoning is sent even when empty: DeepSeek wants the field back on tool-call turns.
      { role: 'assistant', content: '', reasoning_content: '' },
      { role: 'tool', tool_call_id: 'call_9', content: '' },
    ],
    tool_choice: 'required',
    response_format: { type: 'json_object' },
  });
  const text = openaiAdapter.buildRequest(
    input(
      minimalRequest({ toolChoice: 'none', responseFormat: { type: 'text' } }),
      openaiConnection,
    ),
  );
  assert.deepEqual(bodyOf(text.body), {
    model: 'upstream-model',
    messages: [{ role: 'user', content: 'Hi' }],
    tool_choice: 'none',
    response_format: { type: 'text' },
  });
});

test('max_tokens above the catalogue maximum is refused, naming the limit; at it is sent', () => {
  for (const [adapter, field] of [
    [openaiAdapter, 'max_completion_tokens'],
    [openaiCompatibleAdapter, 'max_tokens'],
  ] as const) {
    assert.throws(
      () =>
        adapter.buildRequest(input(minimalRequest({ maxOutputTokens: 4097 }), openaiConnection)),
      (error: unknown) =>
        error instanceof GatewayError &&
        error.code === 'GW_ERR_INVALID_REQUEST' &&
        error.status === 400 &&
        error.param === 'max_tokens' &&
        /4097.*at most 4096/.test(error.message),
    );
    const built = adapter.buildRequest(
      input(minimalRequest({ maxOutputTokens: 4096 }), openaiConnection),
    );
    const body = bodyOf(built.body);
    assert.ok(isRecord(body));
    assert.equal(body[field], 4096);
  }
});

test('without a client max_tokens, the held output cap is sent in the adapter’s limit field', () => {
  for (const [adapter, field] of [
    [openaiAdapter, 'max_completion_tokens'],
    [openaiCompatibleAdapter, 'max_tokens'],
  ] as const) {
    const limitOf = (request: ChatRequest, outputTokensWhenUnset?: number): unknown => {
      const built = adapter.buildRequest({
        ...input(request, openaiConnection),
        ...(outputTokensWhenUnset === undefined ? {} : { outputTokensWhenUnset }),
      });
      const body = bodyOf(built.body);
      assert.ok(isRecord(body));
      return field in body ? body[field] : 'absent';
    };
    assert.equal(limitOf(minimalRequest(), 1000), 1000);
    assert.equal(limitOf(minimalRequest({ maxOutputTokens: 300 }), 1000), 300);
    assert.equal(limitOf(minimalRequest(), 100000), 4096);
    assert.equal(limitOf(minimalRequest()), 'absent');
  }
});
