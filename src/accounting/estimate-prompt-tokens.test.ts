import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ChatMessage, ChatRequest } from '../canonical/chat-request.ts';
import { countOutputTokens } from './count-output-tokens.ts';
import {
  estimatePromptTokens,
  TOKENS_PER_IMAGE,
  TOKENS_PER_MESSAGE,
} from './estimate-prompt-tokens.ts';

function request(messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'm', messages, stream: true, includeUsage: false, passthrough: {}, ...extra };
}

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });

test('UTF-8 bytes ÷ 3, rounded up, plus 4 per message', () => {
  assert.equal(estimatePromptTokens(request([user('hello')])), 2 + 4);
  // Five Hangul syllables are 15 bytes: about one token each.
  assert.equal(estimatePromptTokens(request([user('안녕하세요')])), 5 + 4);
  assert.equal(estimatePromptTokens(request([])), 0);
  assert.equal(
    estimatePromptTokens(
      request([{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, user('hi')]),
    ),
    Math.ceil(11 / 3) + 2 * TOKENS_PER_MESSAGE,
  );
});

test('an image counts 1,600 tokens whatever its URL, which is never measured', () => {
  const image = `data:image/png;base64,${'A'.repeat(3_000_000)}`;
  const estimate = estimatePromptTokens(
    request([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'abc' },
          { type: 'image', url: image, detail: 'high' },
          { type: 'image', url: 'https://example.com/cat.png' },
        ],
      },
    ]),
  );
  assert.equal(estimate, 1 + TOKENS_PER_MESSAGE + 2 * TOKENS_PER_IMAGE);
  assert.equal(TOKENS_PER_IMAGE, 1_600);
});

test('counts tool calls, tool results, reasoning, names, tool definitions and a response schema', () => {
  const tool = {
    name: 'get_weather',
    description: 'Weather by city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  };
  const schema = { type: 'object', properties: { answer: { type: 'string' } } };
  const messages: ChatMessage[] = [
    { role: 'user', name: 'kim', content: [{ type: 'text', text: 'Weather in Seoul?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Call the tool.', signature: 'opaque-signature-not-counted' },
        { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Seoul"}' },
      ],
    },
    { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"temp":21}' }] },
  ];
  const bytes =
    'kim'.length +
    'Weather in Seoul?'.length +
    'Call the tool.'.length +
    'get_weather'.length +
    '{"city":"Seoul"}'.length +
    '{"temp":21}'.length +
    JSON.stringify(tool).length +
    JSON.stringify(schema).length;
  assert.equal(
    estimatePromptTokens(
      request(messages, {
        tools: [tool],
        responseFormat: { type: 'json_schema', name: 'reply', schema },
      }),
    ),
    Math.ceil(bytes / 3) + 3 * TOKENS_PER_MESSAGE,
  );
});

const ENGLISH_WORDS = (
  'the of and to in is you that it he was for on are as with his they at be this have from or ' +
  'one had by word but not what all were we when your can said there use an each which she do ' +
  'how their if will up other about out many then them these so some her would make like him ' +
  'into time has look two more write go see number no way could people my than first water ' +
  'been call who oil its now find long down day did get come made may part weather tomorrow'
).split(' ');

test('property: never below the o200k count of English prose', () => {
  const sentence = fc
    .array(fc.constantFrom(...ENGLISH_WORDS), { minLength: 1, maxLength: 30 })
    .map((words) => `${words.join(' ')}.`);
  fc.assert(
    fc.property(fc.array(sentence, { maxLength: 20 }), (sentences) => {
      const text = sentences.join(' ');
      assert.ok(estimatePromptTokens(request([user(text)])) >= countOutputTokens(text));
    }),
    { numRuns: 50 },
  );
});

test('property: adding a message never lowers the estimate', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'grapheme' })), fc.string(), (texts, extra) => {
      const messages = texts.map(user);
      assert.ok(
        estimatePromptTokens(request([...messages, user(extra)])) >=
          estimatePromptTokens(request(messages)) + TOKENS_PER_MESSAGE,
      );
    }),
  );
});
