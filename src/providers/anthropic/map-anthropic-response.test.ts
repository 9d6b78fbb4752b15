import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import { anthropicAdapter } from './index.ts';

async function fixtureJson(name: string): Promise<unknown> {
  const text = await readFile(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  const parsed = safeParseJson(text);
  assert.ok(parsed.ok);
  return parsed.value;
}

test('text response: adjacent text blocks merge; cache reads and writes join input tokens', async () => {
  assert.deepEqual(anthropicAdapter.mapResponse(await fixtureJson('response-text.json')), {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    model: 'claude-sonnet-4-20250514',
    content: [{ type: 'text', text: 'Hello! How can I help?' }],
    finishReason: 'stop',
    usage: {
      inputTokens: 2112,
      cachedInputTokens: 2000,
      cacheWriteTokens: 100,
      cacheWrite1hTokens: 60,
      outputTokens: 9,
      reasoningTokens: 0,
    },
  });
});

test('tool_use response: input becomes JSON arguments, finish tool-calls', async () => {
  assert.deepEqual(anthropicAdapter.mapResponse(await fixtureJson('response-tool-use.json')), {
    id: 'msg_01Aq9w938a90dw8q',
    model: 'claude-sonnet-4-20250514',
    content: [
      { type: 'text', text: "I'll look that up." },
      {
        type: 'tool-call',
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'get_weather',
        arguments: '{"city":"Seoul","unit":"celsius"}',
      },
      { type: 'tool-call', id: 'toolu_01Empty', name: 'get_current_time', arguments: '{}' },
    ],
    finishReason: 'tool-calls',
    usage: {
      inputTokens: 472,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 91,
      reasoningTokens: 0,
    },
  });
});

test('thinking response: signature and redacted data kept, max_tokens is length', async () => {
  assert.deepEqual(anthropicAdapter.mapResponse(await fixtureJson('response-thinking.json')), {
    id: 'msg_01ThinkingResponse',
    model: 'claude-sonnet-4-20250514',
    content: [
      {
        type: 'reasoning',
        text: '27 * 453 = 12231.',
        signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
      },
      {
        type: 'reasoning',
        text: '',
        redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw',
      },
      { type: 'text', text: '12,231' },
    ],
    finishReason: 'length',
    usage: {
      inputTokens: 48,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 300,
      reasoningTokens: 280,
    },
  });
});

const minimal = (overrides: Record<string, unknown>) => ({
  id: 'msg_1',
  model: 'claude-x',
  content: [{ type: 'text', text: 'ok' }],
  usage: { input_tokens: 1, output_tokens: 1 },
  ...overrides,
});

test('every stop reason maps to its finish reason', () => {
  const cases: Array<[string | null, string]> = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['something_new', 'stop'],
    [null, 'stop'],
  ];
  for (const [stopReason, finishReason] of cases) {
    const response = anthropicAdapter.mapResponse(minimal({ stop_reason: stopReason }));
    assert.equal(response.finishReason, finishReason, String(stopReason));
  }
});

test('a tool_use block makes the finish tool-calls whatever the stop reason', () => {
  const content = [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }];
  const response = anthropicAdapter.mapResponse(minimal({ content, stop_reason: 'end_turn' }));
  assert.equal(response.finishReason, 'tool-calls');
});

test('unknown block types are skipped; a known block with missing fields is a bad response', () => {
  const content = [
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
    { type: 'text', text: 'ok' },
  ];
  assert.deepEqual(anthropicAdapter.mapResponse(minimal({ content })).content, [
    { type: 'text', text: 'ok' },
  ]);
  for (const body of [
    minimal({ content: [{ type: 'text' }] }),
    minimal({ content: [{ type: 'tool_use', name: 'f' }] }),
    minimal({ id: 5 }),
    'not an object',
  ]) {
    assert.throws(
      () => anthropicAdapter.mapResponse(body),
      (error: unknown) =>
        error instanceof GatewayError && error.code === 'GW_ERR_UPSTREAM_BAD_RESPONSE',
    );
  }
});
