import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ChatRequest } from '../canonical/chat-request.ts';
import { createUsage } from '../canonical/usage.ts';
import type { ModelEntry } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { billablePricing } from './billable-pricing.ts';
import { computeCostMicros } from './compute-cost.ts';
import { computeHoldMicros } from './compute-hold.ts';

const catalogue = loadConfig({ env: {} }).config.models;

function model(id: string): ModelEntry {
  const found = catalogue.find((entry) => entry.id === id);
  assert.ok(found, id);
  return found;
}

function request(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'any',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    stream: true,
    includeUsage: false,
    passthrough: {},
    ...extra,
  };
}

const hold = (chatRequest: ChatRequest, entry: ModelEntry, defaultHoldOutputTokens = 4096) =>
  computeHoldMicros({
    request: chatRequest,
    model: entry,
    exchangeRate: '1400',
    defaultHoldOutputTokens,
  });

test('worst case: prompt estimate at the input price + default output at the output price', () => {
  // "hello": ceil(5 / 3) + 4 = 6 prompt tokens; (6 × 3 + 4096 × 15) × 1400 / 10^6 = ₩86.0412
  assert.deepEqual(hold(request('hello'), model('claude-sonnet-4-20250514')), {
    holdMicros: 86_041_200n,
    promptTokens: 6,
    outputTokens: 4_096,
  });
});

test("the client's max_tokens is held, capped at the model's maximum output", () => {
  const sonnet = model('claude-sonnet-4-20250514');
  assert.equal(hold(request('hello', { maxOutputTokens: 100 }), sonnet).outputTokens, 100);
  assert.equal(hold(request('hello', { maxOutputTokens: 500_000 }), sonnet).outputTokens, 64_000);
  // (6 × 3 + 64000 × 15) × 1400 / 10^6
  assert.equal(
    hold(request('hello', { maxOutputTokens: 500_000 }), sonnet).holdMicros,
    1_344_025_200n,
  );
});

test('the default output hold is capped by the model too', () => {
  const chat = model('deepseek-v3.2');
  assert.equal(hold(request('hi'), chat, 4_096).outputTokens, 4_096);
  assert.equal(hold(request('hi'), chat, 10_000).outputTokens, 8_192);
});

test('free models hold nothing, even with a price listed', () => {
  const local: ModelEntry = { ...model('gpt-4.1'), id: 'local', free: true };
  const { pricing: _, ...unpriced } = local;
  for (const entry of [local, unpriced]) {
    const result = hold(request('hello'), entry);
    assert.equal(result.holdMicros, 0n);
    assert.equal(result.promptTokens, 6);
    assert.equal(billablePricing(entry), undefined);
  }
  assert.equal(billablePricing(model('gpt-4.1')), model('gpt-4.1').pricing);
});

test('property: the hold covers any usage within its prompt and output counts (no cache writes)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...catalogue),
      fc.string({ maxLength: 2_000 }),
      fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (entry, text, maxOutputTokens, inputShare, cachedShare, outputShare) => {
        const result = hold(
          request(text, maxOutputTokens === undefined ? {} : { maxOutputTokens }),
          entry,
        );
        const inputTokens = Math.floor(result.promptTokens * inputShare);
        const usage = createUsage({
          inputTokens,
          cachedInputTokens: Math.floor(inputTokens * cachedShare),
          outputTokens: Math.floor(result.outputTokens * outputShare),
        });
        const pricing = entry.pricing;
        assert.ok(pricing);
        assert.ok(computeCostMicros({ usage, pricing, exchangeRate: '1400' }) <= result.holdMicros);
      },
    ),
  );
});
