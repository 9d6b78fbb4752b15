import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import { parseOpenaiChatRequest } from './parse-openai-chat-request.ts';

const USER_HI = { role: 'user', content: 'hi' };

function body(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-4.1', messages: [USER_HI], ...extra };
}

const MINIMAL: ChatRequest = {
  model: 'gpt-4.1',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  includeUsage: false,
  passthrough: {},
};

interface ExpectedError {
  code: GatewayError['code'];
  param: string | undefined;
  message: string;
}

function assertRefused(input: unknown, expected: ExpectedError): void {
  assert.throws(
    () => parseOpenaiChatRequest(input),
    (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.deepEqual({ code: error.code, param: error.param, message: error.message }, expected);
      assert.equal(error.status, 400);
      return true;
    },
  );
}

function invalid(param: string | undefined, message: string): ExpectedError {
  return { code: 'GW_ERR_INVALID_REQUEST', param, message };
}

function unsupported(param: string, message: string): ExpectedError {
  return { code: 'GW_ERR_UNSUPPORTED_PARAMETER', param, message };
}

describe('parseOpenaiChatRequest: accepted requests', () => {
  it('maps a minimal request without inventing fields', () => {
    assert.deepEqual(parseOpenaiChatRequest(body()), MINIMAL);
  });

  it('round-trips a full openai-SDK / LangChain style request from its JSON text', () => {
    const text = JSON.stringify({
      model: 'claude-sonnet-4',
      messages: [
        { role: 'developer', content: 'You are terse.' },
        { role: 'system', content: [{ type: 'text', text: 'Answer in English.' }] },
        {
          role: 'user',
          name: 'alice',
          content: [
            { type: 'text', text: 'What is in this image, and the weather in Seoul?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          refusal: null,
          annotations: [],
          audio: null,
          function_call: null,
          reasoning_content: 'Need the weather tool.',
          thinking_blocks: [
            { type: 'thinking', thinking: 'Need the weather tool.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'opaque' },
          ],
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Seoul"}' },
            },
            {
              id: 'call_2',
              type: 'function',
              function: { name: 'get_time', arguments: '{}', thought_signature: 'gem-sig' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '10:00' }] },
        { role: 'assistant', content: 'It is 21°C at 10:00.', reasoning_content: 'Easy.' },
        { role: 'user', content: 'Thanks' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 512,
      stop: ['END'],
      stream: true,
      stream_options: { include_usage: true },
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
            strict: true,
          },
        },
        { type: 'function', function: { name: 'get_time' } },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, description: 'd', strict: true },
      },
      reasoning_effort: 'low',
      user: 'user-42',
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      n: 1,
      logprobs: false,
      metadata: { team: 'a' },
      top_k: 40,
    });
    const parsed = safeParseJson(text);
    assert.ok(parsed.ok);
    const expected: ChatRequest = {
      model: 'claude-sonnet-4',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
        { role: 'system', content: [{ type: 'text', text: 'Answer in English.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image, and the weather in Seoul?' },
            { type: 'image', url: 'https://example.com/a.png', detail: 'high' },
          ],
          name: 'alice',
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Need the weather tool.', signature: 'sig-1' },
            { type: 'reasoning', text: '', redactedData: 'opaque' },
            { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Seoul"}' },
            {
              type: 'tool-call',
              id: 'call_2',
              name: 'get_time',
              arguments: '{}',
              signature: 'gem-sig',
            },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"celsius":21}' }] },
        { role: 'tool', toolCallId: 'call_2', content: [{ type: 'text', text: '10:00' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Easy.' },
            { type: 'text', text: 'It is 21°C at 10:00.' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
      stream: true,
      includeUsage: true,
      passthrough: { metadata: { team: 'a' }, top_k: 40 },
      maxOutputTokens: 512,
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
      tools: [
        {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          description: 'Current weather',
          strict: true,
        },
        { name: 'get_time', parameters: { type: 'object', properties: {} } },
      ],
      parallelToolCalls: true,
      toolChoice: 'auto',
      responseFormat: {
        type: 'json_schema',
        name: 'answer',
        schema: { type: 'object' },
        description: 'd',
        strict: true,
      },
      reasoningEffort: 'low',
      user: 'user-42',
      seed: 7,
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
    };
    assert.deepEqual(parseOpenaiChatRequest(parsed.value), expected);
  });

  it('treats null optional fields as absent, at the top level and inside messages', () => {
    const nulls = Object.fromEntries(
      [
        'temperature',
        'top_p',
        'max_tokens',
        'max_completion_tokens',
        'stop',
        'stream',
        'stream_options',
        'tools',
        'tool_choice',
        'parallel_tool_calls',
        'response_format',
        'reasoning_effort',
        'user',
        'seed',
        'frequency_penalty',
        'presence_penalty',
        'n',
        'logit_bias',
        'logprobs',
        'top_logprobs',
        'metadata',
        'store',
        'service_tier',
        'prediction',
        'modalities',
        'audio',
        'web_search_options',
        'top_k',
      ].map((key) => [key, null]),
    );
    assert.deepEqual(
      parseOpenaiChatRequest(body({ ...nulls, messages: [{ ...USER_HI, name: null }] })),
      MINIMAL,
    );
  });

  it('accepts logprobs: false and top_logprobs: 0 as asking for nothing, and sends neither', () => {
    assert.deepEqual(parseOpenaiChatRequest(body({ logprobs: false, top_logprobs: 0 })), MINIMAL);
    assert.deepEqual(
      parseOpenaiChatRequest(
        body({
          logprobs: false,
          top_logprobs: 0,
          tools: [{ type: 'function', function: { name: 'f' } }],
        }),
      ).passthrough,
      {},
    );
  });

  it('reads `models` (fallback order) for routing and never passes it upstream', () => {
    const parsed = parseOpenaiChatRequest(body({ models: ['claude-sonnet-4', 'deepseek-chat'] }));
    assert.deepEqual(parsed.fallbackModels, ['claude-sonnet-4', 'deepseek-chat']);
    assert.deepEqual(parsed.passthrough, {});
    assert.equal(parseOpenaiChatRequest(body({ models: null })).fallbackModels, undefined);
    assert.throws(() => parseOpenaiChatRequest(body({ models: [] })), { param: 'models' });
    assert.throws(() => parseOpenaiChatRequest(body({ models: ['a', 7] })), {
      param: 'models[1]',
    });
  });

  it('keeps unknown and OpenAI-only fields in passthrough', () => {
    const extra = {
      logit_bias: { '50256': -100 },
      metadata: { a: 'b' },
      store: true,
      service_tier: 'default',
      prediction: { type: 'content', content: 'x' },
      modalities: ['text'],
      web_search_options: {},
      thinking: { type: 'enabled' },
    };
    assert.deepEqual(parseOpenaiChatRequest(body(extra)).passthrough, extra);
  });

  it('uses whichever of max_tokens / max_completion_tokens is given', () => {
    assert.equal(parseOpenaiChatRequest(body({ max_tokens: 10 })).maxOutputTokens, 10);
    assert.equal(parseOpenaiChatRequest(body({ max_completion_tokens: 20 })).maxOutputTokens, 20);
    assert.equal(
      parseOpenaiChatRequest(body({ max_tokens: 30, max_completion_tokens: 30 })).maxOutputTokens,
      30,
    );
  });

  it('normalises stop to a list and drops an empty one', () => {
    assert.deepEqual(parseOpenaiChatRequest(body({ stop: 'END' })).stop, ['END']);
    assert.deepEqual(parseOpenaiChatRequest(body({ stop: ['a', 'b', 'c', 'd'] })).stop, [
      'a',
      'b',
      'c',
      'd',
    ]);
    assert.equal(Object.hasOwn(parseOpenaiChatRequest(body({ stop: [] })), 'stop'), false);
  });

  it('sets includeUsage only for stream_options.include_usage === true', () => {
    const streaming = (options?: Record<string, unknown>) =>
      parseOpenaiChatRequest(body({ stream: true, stream_options: options })).includeUsage;
    assert.equal(streaming({ include_usage: true }), true);
    assert.equal(streaming({ include_usage: false }), false);
    assert.equal(streaming({}), false);
    assert.equal(streaming({ include_obfuscation: false }), false);
    assert.equal(parseOpenaiChatRequest(body({ stream: true })).includeUsage, false);
  });

  it('maps tool_choice and drops none/auto and parallel_tool_calls when there are no tools', () => {
    const tools = [{ type: 'function', function: { name: 'lookup' } }];
    assert.deepEqual(
      parseOpenaiChatRequest(
        body({ tools, tool_choice: { type: 'function', function: { name: 'lookup' } } }),
      ).toolChoice,
      { type: 'tool', name: 'lookup' },
    );
    assert.equal(
      parseOpenaiChatRequest(body({ tools, tool_choice: 'required' })).toolChoice,
      'required',
    );
    assert.deepEqual(
      parseOpenaiChatRequest(body({ tools: [], tool_choice: 'none', parallel_tool_calls: false })),
      MINIMAL,
    );
    assert.deepEqual(parseOpenaiChatRequest(body({ tool_choice: 'auto' })), MINIMAL);
  });

  it('maps response formats', () => {
    assert.deepEqual(
      parseOpenaiChatRequest(body({ response_format: { type: 'text' } })).responseFormat,
      {
        type: 'text',
      },
    );
    assert.deepEqual(
      parseOpenaiChatRequest(body({ response_format: { type: 'json_object' } })).responseFormat,
      { type: 'json_object' },
    );
    assert.deepEqual(
      parseOpenaiChatRequest(
        body({
          response_format: { type: 'json_schema', json_schema: { name: 'x', strict: null } },
        }),
      ).responseFormat,
      { type: 'json_schema', name: 'x', schema: {} },
    );
  });

  it('maps assistant reasoning_content alone to one unsigned reasoning part', () => {
    const request = parseOpenaiChatRequest(
      body({
        messages: [
          USER_HI,
          { role: 'assistant', content: 'Hello', reasoning_content: 'think' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'A' },
              { type: 'refusal', refusal: 'no' },
            ],
          },
          {
            role: 'assistant',
            content: '',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '' } }],
          },
        ],
      }),
    );
    assert.deepEqual(request.messages.slice(1), [
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'think' },
          { type: 'text', text: 'Hello' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'A' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '' }],
      },
    ]);
  });

  it('accepts names on every role and keeps only the user one', () => {
    const request = parseOpenaiChatRequest(
      body({
        messages: [
          { role: 'system', content: 's', name: 'sys' },
          { role: 'user', content: 'u', name: 'alice' },
          { role: 'assistant', content: 'a', name: 'bot' },
          { role: 'tool', tool_call_id: 't', content: 'r', name: 'f' },
        ],
      }),
    );
    assert.deepEqual(request.messages, [
      { role: 'system', content: [{ type: 'text', text: 's' }] },
      { role: 'user', content: [{ type: 'text', text: 'u' }], name: 'alice' },
      { role: 'assistant', content: [{ type: 'text', text: 'a' }] },
      { role: 'tool', toolCallId: 't', content: [{ type: 'text', text: 'r' }] },
    ]);
  });

  it("accepts the parsed fields the openai SDK's stream and parse helpers echo back", () => {
    // `client.chat.completions.stream(...).finalChatCompletion()` and `.parse(...)` return
    // messages with `parsed` and tool calls with `parsed_arguments`; clients append them as-is.
    const request = parseOpenaiChatRequest(
      body({
        messages: [
          USER_HI,
          {
            role: 'assistant',
            content: null,
            refusal: null,
            parsed: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'f', arguments: '{"a":1}', parsed_arguments: { a: 1 } },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
          { role: 'assistant', content: '{"city":"Seoul"}', parsed: { city: 'Seoul' } },
          USER_HI,
        ],
      }),
    );
    assert.deepEqual(request.messages.slice(1, 4), [
      {
        role: 'assistant',
        content: [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: 'ok' }] },
      { role: 'assistant', content: [{ type: 'text', text: '{"city":"Seoul"}' }] },
    ]);
  });
});

describe('parseOpenaiChatRequest: refused requests name their field', () => {
  it('refuses bodies that are not objects', () => {
    assertRefused(null, invalid(undefined, 'The request body must be a JSON object, got null'));
    assertRefused([], invalid(undefined, 'The request body must be a JSON object, got an array'));
    assertRefused('hi', invalid(undefined, 'The request body must be a JSON object, got string'));
    assertRefused(5, invalid(undefined, 'The request body must be a JSON object, got number'));
  });

  for (const field of [
    'api_key',
    'api_base',
    'base_url',
    'extra_headers',
    'headers',
    'custom_llm_provider',
  ]) {
    it(`refuses the upstream-redirecting field ${field}`, () => {
      assertRefused(
        body({ [field]: 'http://169.254.169.254' }),
        invalid(
          field,
          `The field \`${field}\` is not allowed: the gateway chooses the upstream and its credentials.`,
        ),
      );
    });
  }

  it('refuses a __proto__ key', () => {
    const parsed = safeParseJson('{"model":"m","messages":[],"__proto__":{"x":1}}');
    assert.ok(parsed.ok);
    assertRefused(parsed.value, invalid('__proto__', 'The field `__proto__` is not allowed.'));
  });

  const cases: Array<[string, Record<string, unknown>, ExpectedError]> = [
    ['missing model', { messages: [USER_HI] }, invalid('model', '`model` is required')],
    ['empty model', body({ model: '' }), invalid('model', '`model` must not be empty')],
    ['numeric model', body({ model: 4 }), invalid('model', '`model` must be a string, got number')],
    [
      'messages as a string',
      body({ messages: 'hi' }),
      invalid('messages', '`messages` must be an array, got string'),
    ],
    ['empty messages', body({ messages: [] }), invalid('messages', '`messages` must not be empty')],
    [
      'a message that is a string',
      body({ messages: ['hi'] }),
      invalid('messages[0]', '`messages[0]` must be an object, got string'),
    ],
    [
      'missing role',
      body({ messages: [USER_HI, { content: 'x' }] }),
      invalid('messages[1].role', '`messages[1].role` is required'),
    ],
    [
      'unknown role',
      body({ messages: [{ role: 'bot', content: 'x' }] }),
      invalid(
        'messages[0].role',
        "`messages[0].role` must be one of 'system', 'developer', 'user', 'assistant', 'tool', 'function', got 'bot'",
      ),
    ],
    [
      'content of the wrong type',
      body({ messages: [USER_HI, USER_HI, { role: 'user', content: 5 }] }),
      invalid(
        'messages[2].content',
        '`messages[2].content` must be a string or an array, got number',
      ),
    ],
    [
      'missing user content',
      body({ messages: [{ role: 'user' }] }),
      invalid('messages[0].content', '`messages[0].content` is required'),
    ],
    [
      'an empty content array',
      body({ messages: [{ role: 'user', content: [] }] }),
      invalid('messages[0].content', '`messages[0].content` must not be empty'),
    ],
    [
      'a text part with a numeric text',
      body({ messages: [{ role: 'user', content: [{ type: 'text', text: 1 }] }] }),
      invalid(
        'messages[0].content[0].text',
        '`messages[0].content[0].text` must be a string, got number',
      ),
    ],
    [
      'an unknown part type',
      body({ messages: [{ role: 'user', content: [{ type: 'video' }] }] }),
      invalid(
        'messages[0].content[0].type',
        "`messages[0].content[0].type` must be one of 'text', 'image_url', 'input_audio', 'file', got 'video'",
      ),
    ],
    [
      'an image part in a system message',
      body({
        messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'u' } }] }],
      }),
      invalid(
        'messages[0].content[0].type',
        "`messages[0].content[0].type` must be 'text', got 'image_url'",
      ),
    ],
    [
      'a bad image detail',
      body({
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'u', detail: 'max' } }],
          },
        ],
      }),
      invalid(
        'messages[0].content[0].image_url.detail',
        "`messages[0].content[0].image_url.detail` must be one of 'auto', 'low', 'high', got 'max'",
      ),
    ],
    [
      'an unknown message field',
      body({ messages: [{ role: 'user', content: 'x', mood: 'happy' }] }),
      invalid('messages[0].mood', 'Unrecognized field `messages[0].mood`: remove it and try again'),
    ],
    [
      'assistant without content or tool calls',
      body({ messages: [USER_HI, { role: 'assistant', content: null }] }),
      invalid(
        'messages[1].content',
        '`messages[1].content` is required unless `messages[1].tool_calls` is given',
      ),
    ],
    [
      'a tool call without arguments',
      body({
        messages: [
          {
            role: 'assistant',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f' } }],
          },
        ],
      }),
      invalid(
        'messages[0].tool_calls[0].function.arguments',
        '`messages[0].tool_calls[0].function.arguments` is required',
      ),
    ],
    [
      'a bad thinking block',
      body({
        messages: [{ role: 'assistant', content: 'a', thinking_blocks: [{ type: 'thinking' }] }],
      }),
      invalid(
        'messages[0].thinking_blocks[0].thinking',
        '`messages[0].thinking_blocks[0].thinking` is required',
      ),
    ],
    [
      'a tool message without tool_call_id',
      body({ messages: [{ role: 'tool', content: 'x' }] }),
      invalid('messages[0].tool_call_id', '`messages[0].tool_call_id` is required'),
    ],
    [
      'max_tokens as a string',
      body({ max_tokens: '10' }),
      invalid('max_tokens', '`max_tokens` must be an integer, got string'),
    ],
    [
      'a fractional max_tokens',
      body({ max_tokens: 1.5 }),
      invalid('max_tokens', '`max_tokens` must be an integer, got 1.5'),
    ],
    [
      'a negative max_tokens',
      body({ max_tokens: -1 }),
      invalid('max_tokens', '`max_tokens` must be greater than 0, got -1'),
    ],
    [
      'a zero max_completion_tokens',
      body({ max_completion_tokens: 0 }),
      invalid('max_completion_tokens', '`max_completion_tokens` must be greater than 0, got 0'),
    ],
    [
      'disagreeing output limits',
      body({ max_tokens: 10, max_completion_tokens: 20 }),
      invalid(
        'max_completion_tokens',
        '`max_tokens` (10) and `max_completion_tokens` (20) disagree; send only one of them',
      ),
    ],
    [
      'stream as a string',
      body({ stream: 'yes' }),
      invalid('stream', '`stream` must be a boolean, got string'),
    ],
    [
      'stream_options without stream',
      body({ stream_options: { include_usage: true } }),
      invalid('stream_options', '`stream_options` is only allowed when `stream` is true'),
    ],
    [
      'stream_options with stream false',
      body({ stream: false, stream_options: {} }),
      invalid('stream_options', '`stream_options` is only allowed when `stream` is true'),
    ],
    [
      'a bad include_usage',
      body({ stream: true, stream_options: { include_usage: 'yes' } }),
      invalid(
        'stream_options.include_usage',
        '`stream_options.include_usage` must be a boolean, got string',
      ),
    ],
    [
      'temperature above 2',
      body({ temperature: 2.5 }),
      invalid('temperature', '`temperature` must be at most 2, got 2.5'),
    ],
    [
      'top_p below 0',
      body({ top_p: -0.1 }),
      invalid('top_p', '`top_p` must be at least 0, got -0.1'),
    ],
    [
      'a penalty out of range',
      body({ presence_penalty: -3 }),
      invalid('presence_penalty', '`presence_penalty` must be at least -2, got -3'),
    ],
    [
      'frequency_penalty as a string',
      body({ frequency_penalty: '1' }),
      invalid('frequency_penalty', '`frequency_penalty` must be a number, got string'),
    ],
    [
      'five stop sequences',
      body({ stop: ['a', 'b', 'c', 'd', 'e'] }),
      invalid('stop', '`stop` must have at most 4 items, got 5'),
    ],
    [
      'a numeric stop entry',
      body({ stop: ['a', 2] }),
      invalid('stop[1]', '`stop[1]` must be a string, got number'),
    ],
    [
      'a numeric stop',
      body({ stop: 3 }),
      invalid('stop', '`stop` must be a string or an array, got number'),
    ],
    [
      'a fractional seed',
      body({ seed: 1.5 }),
      invalid('seed', '`seed` must be an integer, got 1.5'),
    ],
    ['user as a number', body({ user: 1 }), invalid('user', '`user` must be a string, got number')],
    [
      'an unknown reasoning_effort',
      body({ reasoning_effort: 'max' }),
      invalid(
        'reasoning_effort',
        "`reasoning_effort` must be one of 'none', 'minimal', 'low', 'medium', 'high', got 'max'",
      ),
    ],
    [
      'a tool name with a space',
      body({ tools: [{ type: 'function', function: { name: 'get weather' } }] }),
      invalid(
        'tools[0].function.name',
        "`tools[0].function.name` must match the pattern /^[a-zA-Z0-9_-]{1,64}$/, got 'get weather'",
      ),
    ],
    [
      'tool parameters that are not an object',
      body({ tools: [{ type: 'function', function: { name: 'f', parameters: [] } }] }),
      invalid(
        'tools[0].function.parameters',
        '`tools[0].function.parameters` must be an object, got array',
      ),
    ],
    [
      'a duplicate tool name',
      body({
        tools: [
          { type: 'function', function: { name: 'f' } },
          { type: 'function', function: { name: 'f' } },
        ],
      }),
      invalid(
        'tools[1].function.name',
        "`tools[1].function.name` repeats the tool name 'f'; tool names must be unique",
      ),
    ],
    [
      'an unknown tool_choice string',
      body({ tool_choice: 'any' }),
      invalid('tool_choice', "`tool_choice` must be one of 'none', 'auto', 'required', got 'any'"),
    ],
    [
      'a numeric tool_choice',
      body({ tool_choice: 1 }),
      invalid(
        'tool_choice',
        "`tool_choice` must be one of 'none', 'auto', 'required' or an object, got number",
      ),
    ],
    [
      'tool_choice naming an undeclared tool',
      body({
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'function', function: { name: 'g' } },
      }),
      invalid(
        'tool_choice.function.name',
        "`tool_choice.function.name` names the tool 'g', which is not in `tools`",
      ),
    ],
    [
      'tool_choice required without tools',
      body({ tool_choice: 'required' }),
      invalid('tool_choice', '`tool_choice` requires `tools`: no tools were given'),
    ],
    [
      'a json_schema format without json_schema',
      body({ response_format: { type: 'json_schema' } }),
      invalid('response_format.json_schema', '`response_format.json_schema` is required'),
    ],
    [
      'an unknown response_format type',
      body({ response_format: { type: 'yaml' } }),
      invalid(
        'response_format.type',
        "`response_format.type` must be one of 'text', 'json_object', 'json_schema', got 'yaml'",
      ),
    ],
    ['n as a string', body({ n: '2' }), invalid('n', '`n` must be an integer, got string')],
    [
      'n above 1',
      body({ n: 2 }),
      unsupported(
        'n',
        '`n` must be 1 or absent: the gateway returns one choice per request, got 2',
      ),
    ],
    [
      'logprobs: true',
      body({ logprobs: true }),
      unsupported(
        'logprobs',
        '`logprobs` is not supported: the gateway does not return log probabilities. Remove it or set it to false.',
      ),
    ],
    [
      'top_logprobs above 0',
      body({ logprobs: false, top_logprobs: 2 }),
      unsupported(
        'top_logprobs',
        '`top_logprobs` is not supported: the gateway does not return log probabilities, got 2. Remove it or set it to 0.',
      ),
    ],
    [
      'top_logprobs as a string',
      body({ top_logprobs: '2' }),
      invalid('top_logprobs', '`top_logprobs` must be an integer, got string'),
    ],
    [
      'an input_audio part',
      body({
        messages: [
          USER_HI,
          {
            role: 'user',
            content: [
              { type: 'text', text: 'x' },
              { type: 'input_audio', input_audio: {} },
            ],
          },
        ],
      }),
      unsupported(
        'messages[1].content[1]',
        'Content parts of type `input_audio` (`messages[1].content[1]`) are not supported; send text or `image_url` parts.',
      ),
    ],
    [
      'a file part',
      body({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'f' } }] }] }),
      unsupported(
        'messages[0].content[0]',
        'Content parts of type `file` (`messages[0].content[0]`) are not supported; send text or `image_url` parts.',
      ),
    ],
    [
      'the legacy function role',
      body({ messages: [USER_HI, { role: 'function', name: 'f', content: '1' }] }),
      unsupported(
        'messages[1].role',
        'The legacy `function` role in `messages[1].role` is not supported; send tool results as `tool` messages with a `tool_call_id`.',
      ),
    ],
    [
      'the legacy functions field',
      body({ functions: [{ name: 'legacy', parameters: { type: 'object' } }] }),
      unsupported(
        'functions',
        '`functions` (legacy function calling) is not supported: answers carry `tool_calls`, never `function_call`. Declare the functions in `tools` instead.',
      ),
    ],
    [
      'the legacy function_call field',
      body({ function_call: 'auto' }),
      unsupported(
        'function_call',
        '`function_call` (legacy function calling) is not supported: answers carry `tool_calls`, never `function_call`. Use `tool_choice` with `tools` instead.',
      ),
    ],
    [
      'audio output in modalities',
      body({ modalities: ['text', 'audio'] }),
      unsupported(
        'modalities',
        'Audio output (`"audio"` in `modalities`) is not supported: the gateway answers with text only. Remove it or send `["text"]`.',
      ),
    ],
    [
      'audio output settings',
      body({ audio: { voice: 'alloy', format: 'mp3' } }),
      unsupported(
        'audio',
        '`audio` (audio output settings) is not supported: the gateway answers with text only. Remove it.',
      ),
    ],
    [
      'the priority service tier',
      body({ service_tier: 'priority' }),
      unsupported(
        'service_tier',
        "`service_tier` 'priority' is not supported: the gateway bills every request at the standard tier's list prices. Remove it or send 'auto' or 'default'.",
      ),
    ],
    [
      'the flex service tier',
      body({ service_tier: 'flex' }),
      unsupported(
        'service_tier',
        "`service_tier` 'flex' is not supported: the gateway bills every request at the standard tier's list prices. Remove it or send 'auto' or 'default'.",
      ),
    ],
    [
      'a custom tool',
      body({ tools: [{ type: 'custom', custom: { name: 'grammar' } }] }),
      unsupported(
        'tools[0].type',
        'Tools of type `custom` are not supported; declare `function` tools.',
      ),
    ],
    [
      'an allowed_tools tool_choice',
      body({
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'allowed_tools', allowed_tools: {} },
      }),
      unsupported(
        'tool_choice.type',
        "`tool_choice` of type `allowed_tools` is not supported; use 'none', 'auto', 'required' or a function.",
      ),
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(`refuses ${name}`, () => assertRefused(input, expected));
  }
});
