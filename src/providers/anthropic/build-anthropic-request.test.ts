import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage, ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import type { ProviderConnection } from '../provider-adapter.ts';
import { anthropicAdapter } from './index.ts';

const CONNECTION: ProviderConnection = {
  name: 'anthropic',
  type: 'anthropic',
  baseUrl: 'https://api.anthropic.com',
  apiKey: 'sk-ant-test',
  headers: {},
};

const USER_HELLO: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'Hello' }] };

function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude-sonnet',
    messages: [USER_HELLO],
    stream: false,
    includeUsage: false,
    passthrough: {},
    ...overrides,
  };
}

function build(
  overrides: Partial<ChatRequest> = {},
  connection: ProviderConnection = CONNECTION,
): ReturnType<typeof anthropicAdapter.buildRequest> {
  return anthropicAdapter.buildRequest({
    request: chatRequest(overrides),
    upstreamModel: 'claude-sonnet-4-20250514',
    connection,
    catalogMaxOutputTokens: 64000,
  });
}

function bodyOf(overrides: Partial<ChatRequest> = {}): unknown {
  const parsed = safeParseJson(build(overrides).body);
  assert.ok(parsed.ok);
  return parsed.value;
}

function buildError(overrides: Partial<ChatRequest>): GatewayError {
  try {
    build(overrides);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('buildRequest did not throw');
}

const BASE_BODY = {
  model: 'claude-sonnet-4-20250514',
  max_tokens: 64000,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
};

test('url, headers and a minimal body; max_tokens falls back to the catalogue limit', () => {
  const built = build();
  assert.equal(built.url, 'https://api.anthropic.com/v1/messages');
  assert.equal(built.method, 'POST');
  assert.equal(built.stream, false);
  assert.deepEqual(built.headers, {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': 'sk-ant-test',
  });
  assert.deepEqual(bodyOf(), BASE_BODY);
  assert.deepEqual(bodyOf({ maxOutputTokens: 300 }), { ...BASE_BODY, max_tokens: 300 });
});

test('streaming adds stream: true; connection headers are added; no key, no x-api-key', () => {
  const built = build(
    { stream: true },
    { ...CONNECTION, apiKey: '', baseUrl: 'http://127.0.0.1:8080', headers: { 'x-team': 'a' } },
  );
  assert.equal(built.url, 'http://127.0.0.1:8080/v1/messages');
  assert.equal(built.stream, true);
  assert.deepEqual(built.headers, {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-team': 'a',
  });
  assert.deepEqual(bodyOf({ stream: true }), { ...BASE_BODY, stream: true });
});

test('system messages are hoisted, same-role turns merged, tool results join one user turn', () => {
  const messages: ChatMessage[] = [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    USER_HELLO,
    { role: 'user', content: [{ type: 'text', text: 'Weather in Seoul and Busan?' }] },
    { role: 'system', content: [{ type: 'text', text: 'Use tools.' }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: '' },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Seoul"}' },
        { type: 'tool-call', id: 'toolu_2', name: 'get_time', arguments: '' },
      ],
    },
    { role: 'tool', toolCallId: 'toolu_1', content: [{ type: 'text', text: '21°C' }] },
    { role: 'tool', toolCallId: 'toolu_2', content: [] },
    { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Seoul is 21°C.' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Anything else?' }] },
  ];
  assert.deepEqual(bodyOf({ messages }), {
    ...BASE_BODY,
    system: [
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Use tools.' },
    ],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hello' },
          { type: 'text', text: 'Weather in Seoul and Busan?' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Seoul' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [{ type: 'text', text: '21°C' }],
          },
          { type: 'tool_result', tool_use_id: 'toolu_2' },
          { type: 'text', text: 'Thanks' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Seoul is 21°C.' },
          { type: 'text', text: 'Anything else?' },
        ],
      },
    ],
  });
});

test('images: data URLs become base64 sources, other URLs URL sources', () => {
  const messages: ChatMessage[] = [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Compare' },
        { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' },
        { type: 'image', url: 'https://example.com/cat.jpg' },
      ],
    },
  ];
  assert.deepEqual(bodyOf({ messages }), {
    ...BASE_BODY,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
          },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ],
  });
});

test('a data URL that is not base64 is refused, naming the part', () => {
  for (const url of ['data:image/png,rawbytes', 'data:;base64,AAAA', 'data:image/png;base64']) {
    const error = buildError({
      messages: [USER_HELLO, { role: 'user', content: [{ type: 'image', url }] }],
    });
    assert.equal(error.code, 'GW_ERR_INVALID_REQUEST', url);
    assert.equal(error.param, 'messages[1].content[0]', url);
  }
});

test('tool-call arguments that are not a JSON object are refused, naming the message', () => {
  for (const badArguments of ['{"city":', '[1,2]', '"text"']) {
    const error = buildError({
      messages: [
        USER_HELLO,
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', id: 'toolu_1', name: 'ok', arguments: '{}' },
            { type: 'tool-call', id: 'toolu_2', name: 'get_weather', arguments: badArguments },
          ],
        },
      ],
    });
    assert.equal(error.code, 'GW_ERR_INVALID_REQUEST');
    assert.equal(error.status, 400);
    assert.equal(error.param, 'messages[1].tool_calls[1].function.arguments');
    assert.match(error.message, /^messages\[1\]\.tool_calls\[1\]: .*`get_weather`/);
  }
});

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

test('tools map to input_schema; an empty schema becomes an empty object schema', () => {
  assert.deepEqual(
    bodyOf({ tools: [WEATHER_TOOL, { name: 'get_time', parameters: {}, strict: true }] }),
    {
      ...BASE_BODY,
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather',
          input_schema: WEATHER_TOOL.parameters,
        },
        { name: 'get_time', input_schema: { type: 'object', properties: {} }, strict: true },
      ],
    },
  );
});

test('tool_choice variants, with and without parallel tool calls', () => {
  const choiceOf = (overrides: Partial<ChatRequest>): unknown => {
    const body = bodyOf({ tools: [WEATHER_TOOL], ...overrides });
    assert.ok(typeof body === 'object' && body !== null);
    return 'tool_choice' in body ? body.tool_choice : 'absent';
  };
  const named = { type: 'tool', name: 'get_weather' } as const;
  assert.equal(choiceOf({}), 'absent');
  assert.equal(choiceOf({ parallelToolCalls: true }), 'absent');
  assert.deepEqual(choiceOf({ toolChoice: 'auto' }), { type: 'auto' });
  assert.deepEqual(choiceOf({ toolChoice: 'none' }), { type: 'none' });
  assert.deepEqual(choiceOf({ toolChoice: 'required' }), { type: 'any' });
  assert.deepEqual(choiceOf({ toolChoice: named }), named);
  const single = { parallelToolCalls: false };
  assert.deepEqual(choiceOf(single), { type: 'auto', disable_parallel_tool_use: true });
  assert.deepEqual(choiceOf({ ...single, toolChoice: 'auto' }), {
    type: 'auto',
    disable_parallel_tool_use: true,
  });
  assert.deepEqual(choiceOf({ ...single, toolChoice: 'none' }), { type: 'none' });
  assert.deepEqual(choiceOf({ ...single, toolChoice: 'required' }), {
    type: 'any',
    disable_parallel_tool_use: true,
  });
  assert.deepEqual(choiceOf({ ...single, toolChoice: named }), {
    ...named,
    disable_parallel_tool_use: true,
  });
});

test('without tools, auto/none/parallel are not sent and required is refused', () => {
  assert.deepEqual(bodyOf({ toolChoice: 'auto', parallelToolCalls: false }), BASE_BODY);
  assert.deepEqual(bodyOf({ toolChoice: 'none', tools: [] }), BASE_BODY);
  for (const toolChoice of ['required', { type: 'tool', name: 'x' }] as const) {
    const error = buildError({ toolChoice });
    assert.equal(error.code, 'GW_ERR_INVALID_REQUEST');
    assert.equal(error.param, 'tool_choice');
  }
});

test('stop, temperature, top_p and user', () => {
  assert.deepEqual(
    bodyOf({ stop: ['END', '###'], temperature: 0.2, topP: 0.9, user: 'user-7f3a' }),
    {
      ...BASE_BODY,
      stop_sequences: ['END', '###'],
      temperature: 0.2,
      top_p: 0.9,
      metadata: { user_id: 'user-7f3a' },
    },
  );
  assert.deepEqual(bodyOf({ stop: [], temperature: 0 }), { ...BASE_BODY, temperature: 0 });
});

test('whitespace-only stop entries are left out; none left means no stop_sequences', () => {
  assert.deepEqual(bodyOf({ stop: ['\n', 'END', ' \t', ''] }), {
    ...BASE_BODY,
    stop_sequences: ['END'],
  });
  assert.deepEqual(bodyOf({ stop: ['\n'] }), BASE_BODY);
  assert.deepEqual(bodyOf({ stop: ['\n\nHuman:'] }), {
    ...BASE_BODY,
    stop_sequences: ['\n\nHuman:'],
  });
});

test('a temperature above Anthropic’s range of 0–1 is refused, not clamped', () => {
  const error = buildError({ temperature: 1.5 });
  assert.equal(error.code, 'GW_ERR_INVALID_REQUEST');
  assert.equal(error.param, 'temperature');
});

test('reasoning_effort maps to a thinking budget below max_tokens', () => {
  const thinkingOf = (overrides: Partial<ChatRequest>): unknown => {
    const body = bodyOf(overrides);
    assert.ok(typeof body === 'object' && body !== null);
    return 'thinking' in body ? body.thinking : 'absent';
  };
  const enabled = (budget: number) => ({ type: 'enabled', budget_tokens: budget });
  assert.equal(thinkingOf({}), 'absent');
  assert.equal(thinkingOf({ reasoningEffort: 'none' }), 'absent');
  assert.deepEqual(thinkingOf({ reasoningEffort: 'minimal' }), enabled(1024));
  assert.deepEqual(thinkingOf({ reasoningEffort: 'low' }), enabled(4096));
  assert.deepEqual(thinkingOf({ reasoningEffort: 'medium' }), enabled(10240));
  assert.deepEqual(thinkingOf({ reasoningEffort: 'high' }), enabled(24576));
  assert.deepEqual(thinkingOf({ reasoningEffort: 'high', maxOutputTokens: 8000 }), enabled(7999));
  assert.deepEqual(thinkingOf({ reasoningEffort: 'low', maxOutputTokens: 1025 }), enabled(1024));
  const error = buildError({ reasoningEffort: 'minimal', maxOutputTokens: 1024 });
  assert.equal(error.code, 'GW_ERR_INVALID_REQUEST');
  assert.equal(error.param, 'reasoning_effort');
});

test('with thinking on, temperature ≠ 1, top_p < 0.95 and a forced tool_choice are refused', () => {
  const thinking = { reasoningEffort: 'low', maxOutputTokens: 8000 } as const;
  const named = { type: 'tool', name: 'get_weather' } as const;
  const cases: Array<[Partial<ChatRequest>, string]> = [
    [{ temperature: 0.2 }, 'temperature'],
    [{ temperature: 0 }, 'temperature'],
    [{ topP: 0.9 }, 'top_p'],
    [{ tools: [WEATHER_TOOL], toolChoice: 'required' }, 'tool_choice'],
    [{ tools: [WEATHER_TOOL], toolChoice: named }, 'tool_choice'],
  ];
  for (const [overrides, param] of cases) {
    const error = buildError({ ...thinking, ...overrides });
    assert.equal(error.code, 'GW_ERR_UNSUPPORTED_PARAMETER', param);
    assert.equal(error.status, 400, param);
    assert.equal(error.param, param);
    assert.match(error.message, new RegExp(`\`${param}\`.*Anthropic.*thinking`));
  }
  const accepted = bodyOf({
    ...thinking,
    temperature: 1,
    topP: 0.95,
    tools: [WEATHER_TOOL],
    toolChoice: 'auto',
  });
  assert.ok(typeof accepted === 'object' && accepted !== null && 'thinking' in accepted);
  assert.doesNotThrow(() => build({ ...thinking, tools: [WEATHER_TOOL], toolChoice: 'none' }));
  // Without thinking the same values are sent as before.
  assert.doesNotThrow(() => build({ temperature: 0.2, topP: 0.5, reasoningEffort: 'none' }));
  assert.doesNotThrow(() => build({ tools: [WEATHER_TOOL], toolChoice: 'required' }));
});

test('thinking round trip: signed thinking and redacted thinking go back, unsigned is left out', () => {
  const messages: ChatMessage[] = [
    USER_HELLO,
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Check the weather tool.', signature: 'EqQBsig' },
        { type: 'reasoning', text: '', redactedData: 'EmwKredacted' },
        { type: 'reasoning', text: 'From another model, unsigned.' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Seoul"}' },
      ],
    },
    { role: 'tool', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'Sunny' }] },
  ];
  const body = bodyOf({ messages, reasoningEffort: 'low', maxOutputTokens: 8000 });
  assert.deepEqual(body, {
    ...BASE_BODY,
    max_tokens: 8000,
    thinking: { type: 'enabled', budget_tokens: 4096 },
    messages: [
      BASE_BODY.messages[0],
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Check the weather tool.', signature: 'EqQBsig' },
          { type: 'redacted_thinking', data: 'EmwKredacted' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Seoul' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [{ type: 'text', text: 'Sunny' }],
          },
        ],
      },
    ],
  });
});

test('parameters Anthropic cannot honour are refused by their OpenAI names', () => {
  const cases: Array<[Partial<ChatRequest>, string]> = [
    [{ seed: 7 }, 'seed'],
    [{ frequencyPenalty: 0.5 }, 'frequency_penalty'],
    [{ presencePenalty: -1 }, 'presence_penalty'],
    [{ responseFormat: { type: 'json_object' } }, 'response_format'],
    [{ responseFormat: { type: 'json_schema', name: 'x', schema: {} } }, 'response_format'],
    [{ passthrough: { top_k: 40 } }, 'top_k'],
    [{ passthrough: { thinking: { type: 'enabled' } } }, 'thinking'],
  ];
  for (const [overrides, param] of cases) {
    const error = buildError(overrides);
    assert.equal(error.code, 'GW_ERR_UNSUPPORTED_PARAMETER', param);
    assert.equal(error.status, 400, param);
    assert.equal(error.isRetryable, false, param);
    assert.equal(error.param, param);
    assert.match(error.message, new RegExp(`\`${param}\`.*Anthropic`));
  }
});

test("OpenAI's answer-neutral fields are left out, not refused: clients send them whatever the model", () => {
  const passthrough = {
    store: false,
    metadata: { team: 'a' },
    prompt_cache_key: 'k',
    prompt_cache_retention: '24h',
    safety_identifier: 'user-1',
    service_tier: 'auto',
  };
  assert.deepEqual(bodyOf({ passthrough }), BASE_BODY);
  assert.equal(
    buildError({ passthrough: { ...passthrough, verbosity: 'low' } }).param,
    'verbosity',
  );
});

test('neutral values are accepted: zero penalties and a text response format', () => {
  assert.deepEqual(
    bodyOf({ frequencyPenalty: 0, presencePenalty: 0, responseFormat: { type: 'text' } }),
    BASE_BODY,
  );
});

test('top_p 1 (no truncation, what chat UIs send by default) is left out beside a temperature', () => {
  // Claude Sonnet 4.5, Haiku 4.5 and Opus 4.1 refuse `temperature` and `top_p` together (400
  // "cannot both be specified"); NextChat and older LangChain.js send `top_p: 1` on every call.
  assert.deepEqual(bodyOf({ temperature: 0.5, topP: 1 }), { ...BASE_BODY, temperature: 0.5 });
  assert.deepEqual(bodyOf({ topP: 1 }), BASE_BODY);
  assert.deepEqual(bodyOf({ temperature: 0.5, topP: 0.9 }), {
    ...BASE_BODY,
    temperature: 0.5,
    top_p: 0.9,
  });
});

test('max_tokens above the catalogue maximum is refused, naming the limit; at it is sent', () => {
  const error = buildError({ maxOutputTokens: 200000 });
  assert.equal(error.code, 'GW_ERR_INVALID_REQUEST');
  assert.equal(error.status, 400);
  assert.equal(error.param, 'max_tokens');
  assert.match(error.message, /200000.*at most 64000/);
  assert.deepEqual(bodyOf({ maxOutputTokens: 64000 }), BASE_BODY);
});

test('without a client max_tokens, the held output cap is sent instead of the catalogue maximum', () => {
  const buildWithCap = (
    overrides: Partial<ChatRequest>,
    outputTokensWhenUnset: number,
  ): unknown => {
    const parsed = safeParseJson(
      anthropicAdapter.buildRequest({
        request: chatRequest(overrides),
        upstreamModel: 'claude-sonnet-4-20250514',
        connection: CONNECTION,
        catalogMaxOutputTokens: 64000,
        outputTokensWhenUnset,
      }).body,
    );
    assert.ok(parsed.ok);
    return parsed.value;
  };
  assert.deepEqual(buildWithCap({}, 4096), { ...BASE_BODY, max_tokens: 4096 });
  // The client's own limit wins; the cap never exceeds the catalogue maximum.
  assert.deepEqual(buildWithCap({ maxOutputTokens: 300 }, 4096), { ...BASE_BODY, max_tokens: 300 });
  assert.deepEqual(buildWithCap({}, 100000), BASE_BODY);
  // Thinking keeps its budget below the smaller cap.
  assert.deepEqual(buildWithCap({ reasoningEffort: 'high' }, 4096), {
    ...BASE_BODY,
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 4095 },
  });
});

test('a conversation whose only user text is empty is refused on messages', () => {
  const error = buildError({
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: '' }] },
    ],
  });
  assert.equal(error.code, 'GW_ERR_INVALID_REQUEST');
  assert.equal(error.status, 400);
  assert.equal(error.param, 'messages');
  assert.match(error.message, /No message has content/);
});
