import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iterate } from '../../test/helpers/replay-fixture.ts';
import { collectStream } from './collect-stream.ts';
import type { StreamEvent } from './stream-event.ts';
import { createUsage } from './usage.ts';

test('folds text, signed reasoning blocks, redacted blocks, tool calls and usage', async () => {
  const events: StreamEvent[] = [
    { type: 'response-start', id: 'msg_1', model: 'm' },
    { type: 'reasoning-delta', text: 'first ' },
    { type: 'reasoning-delta', text: 'thought' },
    { type: 'reasoning-signature', signature: 'sig-1' },
    { type: 'reasoning-redacted', data: 'opaque' },
    { type: 'reasoning-delta', text: 'second' },
    { type: 'reasoning-signature', signature: 'sig-2' },
    { type: 'text-delta', text: 'Hel' },
    { type: 'text-delta', text: 'lo' },
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'a' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x":' },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'b', signature: 'ts' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
    { type: 'usage', usage: createUsage({ inputTokens: 5, outputTokens: 1 }) },
    { type: 'usage', usage: createUsage({ inputTokens: 5, outputTokens: 9 }) },
    { type: 'response-end', finishReason: 'tool-calls' },
  ];
  assert.deepEqual(await collectStream(iterate(events)), {
    id: 'msg_1',
    model: 'm',
    content: [
      { type: 'reasoning', text: 'first thought', signature: 'sig-1' },
      { type: 'reasoning', text: '', redactedData: 'opaque' },
      { type: 'reasoning', text: 'second', signature: 'sig-2' },
      { type: 'text', text: 'Hello' },
      { type: 'tool-call', id: 'call_a', name: 'a', arguments: '{"x":1}' },
      { type: 'tool-call', id: 'call_b', name: 'b', arguments: '{}', signature: 'ts' },
    ],
    finishReason: 'tool-calls',
    usage: createUsage({ inputTokens: 5, outputTokens: 9 }),
  });
});

test('a refusal is one text part marked as a refusal, apart from any answer text', async () => {
  const events: StreamEvent[] = [
    { type: 'response-start', id: 'c_1', model: 'm' },
    { type: 'text-delta', text: 'Well.' },
    { type: 'refusal-delta', text: "I'm sorry, " },
    { type: 'refusal-delta', text: "I can't." },
    { type: 'response-end', finishReason: 'stop' },
  ];
  const collected = await collectStream(iterate(events));
  assert.deepEqual(collected.content, [
    { type: 'text', text: 'Well.' },
    { type: 'text', text: "I'm sorry, I can't.", refusal: true },
  ]);
});
