import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildToolArguments } from './build-tool-arguments.ts';
import { parseSimulateDirective } from './parse-simulate-directive.ts';
import { DEFAULT_ANSWER_TOKENS, planSimulatedAnswer } from './plan-simulated-answer.ts';
import type { SimulationInput } from './simulation-input.ts';

const NO_CACHE = { readTokens: 0, writeTokens: 0 };

function input(overrides: Partial<SimulationInput> = {}): SimulationInput {
  return {
    model: 'gpt-4.1',
    segments: [{ text: 'Say hello to the gateway', cacheBreakpoint: false }],
    endsWithUserText: true,
    lastUserText: 'Say hello to the gateway',
    tools: [],
    toolChoice: { mode: 'auto' },
    maxOutputTokens: undefined,
    reasoning: 'none',
    ...overrides,
  };
}

const weatherTool = {
  name: 'get_weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer' }, unit: { enum: ['c', 'f'] } },
    required: ['city', 'days', 'unit'],
  },
};

describe('planSimulatedAnswer', () => {
  test('answers with the default length, saying it is simulated and echoing the user', () => {
    const answer = planSimulatedAnswer(input(), NO_CACHE);
    assert.equal(answer.textTokens.length, DEFAULT_ANSWER_TOKENS);
    assert.equal(answer.finish, 'stop');
    assert.match(
      answer.textTokens.join(''),
      /^Simulated reply from Shepherd's provider simulator \(model gpt-4\.1\): you wrote "Say hello to the gateway"\. This answer/,
    );
    assert.deepEqual(answer.usage, {
      promptTokens: 6, // ceil(24 / 4)
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      outputTokens: 30,
    });
  });

  test('is deterministic for the same input', () => {
    assert.deepEqual(
      planSimulatedAnswer(input(), NO_CACHE),
      planSimulatedAnswer(input(), NO_CACHE),
    );
  });

  test('the directive sets the length; max tokens truncates with finish length', () => {
    const directed = input({ lastUserText: 'hi [simulate tokens=7]' });
    assert.equal(planSimulatedAnswer(directed, NO_CACHE).textTokens.length, 7);
    const capped = planSimulatedAnswer({ ...directed, maxOutputTokens: 4 }, NO_CACHE);
    assert.deepEqual(capped.textTokens, ['Simulated', ' reply', ' from', " Shepherd's"]);
    assert.equal(capped.finish, 'length');
    assert.equal(capped.usage.outputTokens, 4);
  });

  test('reasoning is spent first from the output budget', () => {
    const reasoning = input({
      reasoning: 'visible',
      lastUserText: 'x [simulate tokens=5 reasoning=3]',
    });
    const full = planSimulatedAnswer(reasoning, NO_CACHE);
    assert.equal(full.reasoningTokens.join(''), 'Simulated reasoning from');
    assert.equal(full.usage.outputTokens, 8);
    assert.equal(full.usage.reasoningTokens, 3);
    const capped = planSimulatedAnswer({ ...reasoning, maxOutputTokens: 2 }, NO_CACHE);
    assert.deepEqual(
      [capped.reasoningTokens.length, capped.textTokens.length, capped.finish],
      [2, 0, 'length'],
    );
  });

  test('calls the first tool with arguments from the required properties', () => {
    const answer = planSimulatedAnswer(input({ tools: [weatherTool] }), NO_CACHE);
    assert.equal(answer.finish, 'tool_call');
    assert.equal(answer.toolCall?.name, 'get_weather');
    assert.deepEqual(answer.toolCall?.arguments, { city: 'simulated-city', days: 1, unit: 'c' });
    assert.equal(answer.toolCall?.argumentPieces.join(''), answer.toolCall?.argumentsJson);
    assert.ok((answer.toolCall?.argumentPieces.length ?? 0) > 1);
    // one token for the name + ceil(12 / 4) for each of the fragments "{"city":"sim", "ulated-city"", ",\"days\":1,\"u", "nit\":\"c\"}"
    assert.equal(answer.toolCall?.tokens, 1 + 3 + 3 + 3 + 3);
    assert.equal(answer.usage.outputTokens, answer.toolCall?.tokens);
  });

  test('uses the named tool, and answers in text when the choice is none or after a tool result', () => {
    const other = { name: 'lookup', parameters: { type: 'object', properties: {} } };
    const named = planSimulatedAnswer(
      input({ tools: [weatherTool, other], toolChoice: { mode: 'named', name: 'lookup' } }),
      NO_CACHE,
    );
    assert.equal(named.toolCall?.name, 'lookup');
    assert.equal(named.toolCall?.argumentsJson, '{}');
    const none = planSimulatedAnswer(
      input({ tools: [weatherTool], toolChoice: { mode: 'none' } }),
      NO_CACHE,
    );
    assert.equal(none.toolCall, undefined);
    const afterResult = planSimulatedAnswer(
      input({ tools: [weatherTool], endsWithUserText: false }),
      NO_CACHE,
    );
    assert.equal(afterResult.toolCall, undefined);
    assert.equal(afterResult.finish, 'stop');
  });

  test('reports the cache lookup in usage', () => {
    const answer = planSimulatedAnswer(input(), { readTokens: 4, writeTokens: 2 });
    assert.equal(answer.usage.cacheReadTokens, 4);
    assert.equal(answer.usage.cacheWriteTokens, 2);
  });
});

describe('parseSimulateDirective', () => {
  test('reads tokens and reasoning, ignores the rest', () => {
    assert.deepEqual(parseSimulateDirective('a [simulate tokens=12 reasoning=4 colour=red] b'), {
      tokens: 12,
      reasoning: 4,
    });
    assert.deepEqual(parseSimulateDirective('[SIMULATE tokens=0]'), { tokens: 0 });
    assert.deepEqual(parseSimulateDirective('no directive here'), {});
    assert.deepEqual(parseSimulateDirective('[simulate tokens=999999999]'), { tokens: 100_000 });
  });
});

describe('buildToolArguments', () => {
  test('fills nested required objects, arrays with minItems and Gemini upper-case types', () => {
    const schema = {
      type: 'OBJECT',
      properties: {
        flag: { type: 'BOOLEAN' },
        place: {
          type: 'object',
          properties: { lat: { type: 'number', minimum: 5.5 } },
          required: ['lat'],
        },
        tags: { type: 'array', minItems: 1, items: { type: 'string' } },
        optional: { type: 'string' },
        either: { anyOf: [{ type: 'null' }, { type: 'string' }] },
      },
      required: ['flag', 'place', 'tags', 'either'],
    };
    assert.deepEqual(buildToolArguments(schema), {
      flag: true,
      place: { lat: 6 },
      tags: ['simulated-tags'],
      either: null,
    });
    assert.deepEqual(buildToolArguments(undefined), {});
  });
});
