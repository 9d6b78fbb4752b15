import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isPlainChatRequest } from './is-plain-chat-request.ts';
import { KNOWN_REQUEST_FIELDS, openaiChatRequestSchema } from './openai-chat-request-schema.ts';

/** Values of every kind a field may be sent, valid for some fields and not for others. */
const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  {
    arbitrary: fc.constantFrom(-2.5, -2, -1, 0, 0.5, 1, 1.5, 2, 2.5, 3, 4096, 2 ** 53, -0),
    weight: 4,
  },
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constantFrom('gpt-4.1', '', 'low', 'high', 'max', 'auto', 'none'),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 6 }),
  fc.constant([{ type: 'text', text: 'hi' }]),
  fc.constantFrom(
    { include_usage: true },
    { include_usage: null, include_obfuscation: false },
    { include_usage: true, extra: true },
    { type: 'function', function: { name: 'f' } },
    {},
  ),
);

/** A message of any role: role and content, and maybe one more field, each of any value. */
const message = fc
  .tuple(
    fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function', 'robot'),
    anyValue,
    fc.option(
      fc.tuple(fc.constantFrom('name', 'tool_calls', 'tool_call_id', 'refusal'), anyValue),
      { freq: 2 },
    ),
  )
  .map(([role, content, extra]) => {
    const built: Record<string, unknown> = { role, content };
    if (extra !== null) built[extra[0]] = extra[1];
    return built;
  });

/** The schema's own optional fields: a field it gains is generated here too. */
const fieldNames = [...KNOWN_REQUEST_FIELDS].filter(
  (name) => name !== 'model' && name !== 'messages',
);

const plainMessage = fc.oneof(
  fc.record(
    {
      role: fc.constantFrom('system', 'developer', 'user'),
      content: fc.string(),
      name: fc.option(fc.string(), { nil: null }),
    },
    { requiredKeys: ['role', 'content'], noNullPrototype: true },
  ),
  fc.record(
    {
      role: fc.constant('assistant'),
      content: fc.option(fc.string(), { nil: null }),
      name: fc.string(),
    },
    { requiredKeys: ['role'], noNullPrototype: true },
  ),
);

/** Bodies the way most clients send them: text messages and valid scalar options. */
const plainBody = fc.record(
  {
    model: fc.string({ minLength: 1 }),
    messages: fc.array(plainMessage, { minLength: 1, maxLength: 5 }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: null }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    max_tokens: fc.integer({ min: 1, max: 1_000_000 }),
    max_completion_tokens: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
    stop: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 4 })),
    stream: fc.boolean(),
    stream_options: fc.record(
      { include_usage: fc.boolean(), include_obfuscation: fc.boolean() },
      { requiredKeys: [], noNullPrototype: true },
    ),
    parallel_tool_calls: fc.boolean(),
    reasoning_effort: fc.constantFrom('none', 'minimal', 'low', 'medium', 'high'),
    user: fc.string(),
    seed: fc.integer(),
    frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    n: fc.integer({ min: -2, max: 3 }),
    logprobs: fc.option(fc.boolean(), { nil: null }),
    top_logprobs: fc.integer({ min: 0, max: 20 }),
    tools: fc.constant(null),
    metadata: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2, noNullPrototype: true }),
  },
  { requiredKeys: ['model', 'messages'], noNullPrototype: true },
);

/**
 * Bodies of every shape, most of them near misses: a plain body as it is, with one field (known,
 * passthrough, the model or the messages) set to any value, or with one message replaced by a
 * message of any role and fields.
 */
const anyBody = fc.oneof(
  plainBody,
  fc
    .tuple(
      plainBody,
      fc.constantFrom(...fieldNames, 'model', 'messages', 'metadata', 'x_vendor'),
      fc.oneof(anyValue, fc.array(message, { maxLength: 3 })),
    )
    .map(([plain, field, value]): Record<string, unknown> => ({ ...plain, [field]: value })),
  fc.tuple(plainBody, fc.nat(), message).map(([plain, at, replacement]) => ({
    ...plain,
    messages: plain.messages.map((original, index) =>
      index === at % plain.messages.length ? replacement : original,
    ),
  })),
);

describe('isPlainChatRequest', () => {
  test('a body it accepts is one the schema accepts unchanged', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyBody, (body) => {
        if (!isPlainChatRequest(body)) return;
        accepted += 1;
        const result = openaiChatRequestSchema.safeParse(body);
        assert.equal(result.success, true, JSON.stringify(result.error?.issues));
        assert.deepStrictEqual(result.data, body);
      }),
      { numRuns: 10_000 },
    );
    // Not vacuous: enough generated bodies are plain for the check to have been tried.
    assert.ok(accepted >= 1_000, `only ${accepted} of 10,000 generated bodies were plain`);
  });

  test('accepts the bodies most clients send', () => {
    fc.assert(
      fc.property(plainBody, (body) => {
        assert.equal(isPlainChatRequest(body), true);
        assert.deepStrictEqual(openaiChatRequestSchema.parse(body), body);
      }),
      { numRuns: 1_000 },
    );
  });

  test('leaves tools, content parts, tool messages and bad values to the schema', () => {
    const base = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] };
    assert.equal(isPlainChatRequest(base), true);
    const others: Record<string, unknown>[] = [
      { ...base, tools: [{ type: 'function', function: { name: 'f' } }] },
      { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] },
      { ...base, messages: [{ role: 'tool', tool_call_id: 'c1', content: 'ok' }] },
      { ...base, messages: [{ role: 'user', content: 'Hi', extra: true }] },
      { ...base, messages: [] },
      { ...base, model: '' },
      { messages: base.messages },
      { model: 'gpt-4.1' },
      { ...base, temperature: 2.5 },
      { ...base, max_tokens: 0 },
      { ...base, max_tokens: 1.5 },
      { ...base, stop: ['a', 'b', 'c', 'd', 'e'] },
      { ...base, stream_options: { include_usage: true, extra: 1 } },
      { ...base, reasoning_effort: 'max' },
      { ...base, response_format: { type: 'json_object' } },
    ];
    for (const body of others) assert.equal(isPlainChatRequest(body), false, JSON.stringify(body));
  });
});
