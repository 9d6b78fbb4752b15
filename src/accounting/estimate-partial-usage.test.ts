import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createUsage, EMPTY_USAGE } from '../canonical/usage.ts';
import { countOutputTokens } from './count-output-tokens.ts';
import { capCostAtHold, estimatePartialUsage } from './estimate-partial-usage.ts';

const delivered = 'Once upon a time, in a land far away, there lived a gateway.';

test('without any reported usage: the prompt estimate and the delivered text counted', () => {
  assert.deepEqual(
    estimatePartialUsage({
      reportedUsage: undefined,
      promptTokensEstimate: 120,
      deliveredText: delivered,
    }),
    createUsage({ inputTokens: 120, outputTokens: countOutputTokens(delivered) }),
  );
});

test('the input the provider reported at the start wins over the estimate, cache split kept', () => {
  const reported = createUsage({
    inputTokens: 2_325,
    cachedInputTokens: 1_800,
    cacheWriteTokens: 500,
    cacheWrite1hTokens: 300,
    outputTokens: 1,
  });
  assert.deepEqual(
    estimatePartialUsage({
      reportedUsage: reported,
      promptTokensEstimate: 9_999,
      deliveredText: delivered,
    }),
    { ...reported, outputTokens: countOutputTokens(delivered) },
  );
});

test('a reported input of 0 (not arrived yet) falls back to the estimate', () => {
  const usage = estimatePartialUsage({
    reportedUsage: createUsage({}),
    promptTokensEstimate: 50,
    deliveredText: '',
  });
  assert.deepEqual(usage, createUsage({ inputTokens: 50 }));
});

test('a larger reported output wins over the count of what was delivered', () => {
  const usage = estimatePartialUsage({
    reportedUsage: createUsage({ inputTokens: 10, outputTokens: 500, reasoningTokens: 480 }),
    promptTokensEstimate: 1,
    deliveredText: 'Hi',
  });
  assert.equal(usage.outputTokens, 500);
  assert.equal(usage.reasoningTokens, 480);
});

test('reasoning and tool-call arguments are output too; reasoning is also reported as such', () => {
  const reasoning = 'The user wants the weather, so I should call the tool.';
  const toolArguments = '{"city":"Seoul","unit":"celsius"}';
  const usage = estimatePartialUsage({
    reportedUsage: undefined,
    promptTokensEstimate: 30,
    deliveredText: '',
    deliveredReasoning: reasoning,
    deliveredToolArguments: toolArguments,
  });
  assert.equal(usage.outputTokens, countOutputTokens(reasoning) + countOutputTokens(toolArguments));
  assert.equal(usage.reasoningTokens, countOutputTokens(reasoning));
});

test('nothing reported and nothing delivered: nothing to bill', () => {
  assert.deepEqual(
    estimatePartialUsage({ reportedUsage: undefined, promptTokensEstimate: 80, deliveredText: '' }),
    EMPTY_USAGE,
  );
});

test('property: never 0 output when text was delivered, never below what was reported', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, unit: 'grapheme' }),
      fc.nat(1_000),
      fc.nat(1_000),
      (text, reportedInput, reportedOutput) => {
        const reportedUsage = createUsage({
          inputTokens: reportedInput,
          outputTokens: reportedOutput,
        });
        const usage = estimatePartialUsage({
          reportedUsage,
          promptTokensEstimate: 7,
          deliveredText: text,
        });
        assert.ok(usage.outputTokens >= 1);
        assert.ok(usage.outputTokens >= reportedOutput);
        assert.equal(usage.inputTokens, reportedInput > 0 ? reportedInput : 7);
        assert.ok(usage.reasoningTokens <= usage.outputTokens);
      },
    ),
    { numRuns: 50 },
  );
});

test('capCostAtHold: an estimated cost never exceeds the hold', () => {
  assert.equal(capCostAtHold(500n, 1_000n), 500n);
  assert.equal(capCostAtHold(1_500n, 1_000n), 1_000n);
  assert.equal(capCostAtHold(0n, 0n), 0n);
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 10n ** 20n }),
      fc.bigInt({ min: 0n, max: 10n ** 20n }),
      (cost, hold) => {
        const capped = capCostAtHold(cost, hold);
        assert.ok(capped <= hold && capped <= cost);
        assert.ok(capped === cost || capped === hold);
      },
    ),
  );
});
