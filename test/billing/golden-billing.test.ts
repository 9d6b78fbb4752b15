import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { type CostKind, computeCostBreakdown } from '../../src/accounting/compute-cost.ts';
import { estimatePartialUsage } from '../../src/accounting/estimate-partial-usage.ts';
import type { StreamEvent } from '../../src/canonical/stream-event.ts';
import type { Usage } from '../../src/canonical/usage.ts';
import type { ModelPricing } from '../../src/config/config-schema.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import type { ProviderAdapter } from '../../src/providers/provider-adapter.ts';
import { PROVIDER_ADAPTERS } from '../../src/providers/provider-registry.ts';
import { decodeSse } from '../../src/sse/decode-sse.ts';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';
import { iterate } from '../helpers/replay-fixture.ts';

/**
 * Golden billing: recorded provider streams go through the real adapters, and the cost of the last
 * usage snapshot is checked to the micro-unit. `billed` restates the provider's own counts from the
 * fixture, per price kind, so a mapping that loses cache or reasoning tokens fails here.
 */

const { config } = loadConfig({ env: {} });
const EXCHANGE_RATE = config.billing.exchangeRate;

function pricingOf(modelId: string): ModelPricing {
  const pricing = config.models.find((model) => model.id === modelId)?.pricing;
  assert.ok(pricing, modelId);
  return pricing;
}

const none: Record<CostKind, number> = {
  input: 0,
  cachedInput: 0,
  cacheWrite: 0,
  cacheWrite1h: 0,
  output: 0,
};

const fixture = (provider: string, name: string) =>
  new URL(`../../src/providers/${provider}/__fixtures__/${name}`, import.meta.url);

/** Maps a recorded stream; a stream that fails returns the events before the failure. */
async function mapRecordedStream(
  adapter: ProviderAdapter,
  url: URL,
): Promise<{ events: StreamEvent[]; error: GatewayError | undefined }> {
  const events: StreamEvent[] = [];
  try {
    for await (const event of adapter.mapStream(decodeSse(iterate([await readFile(url)])))) {
      events.push(event);
    }
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return { events, error };
  }
  return { events, error: undefined };
}

function lastUsage(events: StreamEvent[]): Usage | undefined {
  let usage: Usage | undefined;
  for (const event of events) if (event.type === 'usage') usage = event.usage;
  return usage;
}

function billedTokens(usage: Usage, modelId: string): Record<CostKind, number> {
  const breakdown = computeCostBreakdown({
    usage,
    pricing: pricingOf(modelId),
    exchangeRate: EXCHANGE_RATE,
  });
  const tokens = { ...none };
  for (const line of breakdown.lines) tokens[line.kind] = line.tokens;
  return tokens;
}

const costOf = (usage: Usage, modelId: string) =>
  computeCostBreakdown({ usage, pricing: pricingOf(modelId), exchangeRate: EXCHANGE_RATE })
    .costMicros;

interface Golden {
  provider: 'anthropic' | 'gemini' | 'openai-compatible';
  adapter: ProviderAdapter;
  fixture: string;
  modelId: string;
  billed: Record<CostKind, number>;
  reasoningTokens: number;
  /** At ₩1,400 per USD; the arithmetic is in the comment. */
  costMicros: bigint;
}

const GOLDENS: Golden[] = [
  {
    // input_tokens 25, cache_read 1800, cache_creation 500 = 5m 200 + 1h 300, output 6.
    // (25×3 + 1800×0.3 + 200×3.75 + 300×6 + 6×15) × 1400 / 10^6 = ₩4.557
    provider: 'anthropic',
    adapter: PROVIDER_ADAPTERS.anthropic,
    fixture: 'cache-usage.sse',
    modelId: 'claude-sonnet-4-20250514',
    billed: { input: 25, cachedInput: 1_800, cacheWrite: 200, cacheWrite1h: 300, output: 6 },
    reasoningTokens: 0,
    costMicros: 4_557_000n,
  },
  {
    // input 48; output 96 of which thinking 71 (billed as output). (48×3 + 96×15) × 1400 = ₩2.2176
    provider: 'anthropic',
    adapter: PROVIDER_ADAPTERS.anthropic,
    fixture: 'thinking-then-text.sse',
    modelId: 'claude-sonnet-4-5',
    billed: { ...none, input: 48, output: 96 },
    reasoningTokens: 71,
    costMicros: 2_217_600n,
  },
  {
    // Cumulative deltas, latest wins: input 5300, output 120. (15900 + 1800) × 1400 = ₩24.78
    provider: 'anthropic',
    adapter: PROVIDER_ADAPTERS.anthropic,
    fixture: 'cumulative-message-deltas.sse',
    modelId: 'claude-sonnet-4-20250514',
    billed: { ...none, input: 5_300, output: 120 },
    reasoningTokens: 0,
    costMicros: 24_780_000n,
  },
  {
    // 0 in message_start, real counts in message_delta: input 42, cache_read 8, output 17.
    // (42×3 + 8×0.3 + 17×15) × 1400 = 383.4 × 1400 = ₩0.53676
    provider: 'anthropic',
    adapter: PROVIDER_ADAPTERS.anthropic,
    fixture: 'zero-start-usage.sse',
    modelId: 'claude-sonnet-4-20250514',
    billed: { ...none, input: 42, cachedInput: 8, output: 17 },
    reasoningTokens: 0,
    costMicros: 536_760n,
  },
  {
    // input 472, output 89. (1416 + 1335) × 1400 = ₩3.8514
    provider: 'anthropic',
    adapter: PROVIDER_ADAPTERS.anthropic,
    fixture: 'tool-use-split-json.sse',
    modelId: 'claude-sonnet-4-20250514',
    billed: { ...none, input: 472, output: 89 },
    reasoningTokens: 0,
    costMicros: 3_851_400n,
  },
  {
    // promptTokenCount 14; candidates 9 + thoughts 290 = 299 output. (14×0.3 + 299×2.5) × 1400
    // = 751.7 × 1400 = ₩1.05238
    provider: 'gemini',
    adapter: PROVIDER_ADAPTERS.gemini,
    fixture: 'thinking-stream.sse',
    modelId: 'gemini-2.5-flash',
    billed: { ...none, input: 14, output: 299 },
    reasoningTokens: 290,
    costMicros: 1_052_380n,
  },
  {
    // promptTokenCount 64; candidates 27 + thoughts 95 = 122. (19.2 + 305) × 1400 = ₩0.45388
    provider: 'gemini',
    adapter: PROVIDER_ADAPTERS.gemini,
    fixture: 'function-call-stream.sse',
    modelId: 'gemini-2.5-flash',
    billed: { ...none, input: 64, output: 122 },
    reasoningTokens: 95,
    costMicros: 453_880n,
  },
  {
    // Running totals, last wins: prompt 8, candidates 15. (2.4 + 37.5) × 1400 = ₩0.05586
    provider: 'gemini',
    adapter: PROVIDER_ADAPTERS.gemini,
    fixture: 'text-stream.sse',
    modelId: 'gemini-2.5-flash',
    billed: { ...none, input: 8, output: 15 },
    reasoningTokens: 0,
    costMicros: 55_860n,
  },
  {
    // prompt_tokens 1187 of which cached 1024; completion 9. (163×2 + 1024×0.5 + 9×8) × 1400 = ₩1.274
    provider: 'openai-compatible',
    adapter: PROVIDER_ADAPTERS.openai,
    fixture: 'openai-text-stream.sse',
    modelId: 'gpt-4.1',
    billed: { ...none, input: 163, cachedInput: 1_024, output: 9 },
    reasoningTokens: 0,
    costMicros: 1_274_000n,
  },
  {
    // prompt 156, completion 48. (312 + 384) × 1400 = ₩0.9744
    provider: 'openai-compatible',
    adapter: PROVIDER_ADAPTERS.openai,
    fixture: 'openai-parallel-tool-calls-stream.sse',
    modelId: 'gpt-4.1',
    billed: { ...none, input: 156, output: 48 },
    reasoningTokens: 0,
    costMicros: 974_400n,
  },
  {
    // prompt_cache_miss 21 at 0.28, prompt_cache_hit 1024 at 0.028; completion 37 (reasoning 26).
    // (5.88 + 28.672 + 15.54) × 1400 = ₩0.0701288 → 70,128.8 micros, rounded up once.
    provider: 'openai-compatible',
    adapter: PROVIDER_ADAPTERS['openai-compatible'],
    fixture: 'deepseek-reasoner-stream.sse',
    modelId: 'deepseek-v3.2-reasoner',
    billed: { ...none, input: 21, cachedInput: 1_024, output: 37 },
    reasoningTokens: 26,
    costMicros: 70_129n,
  },
];

for (const golden of GOLDENS) {
  test(`${golden.provider}/${golden.fixture}: bills the provider's tokens, ${golden.costMicros} micros`, async () => {
    const { events, error } = await mapRecordedStream(
      golden.adapter,
      fixture(golden.provider, golden.fixture),
    );
    assert.equal(error, undefined);
    const usage = lastUsage(events);
    assert.ok(usage, 'the stream reported usage');
    assert.deepEqual(billedTokens(usage, golden.modelId), golden.billed);
    assert.equal(usage.reasoningTokens, golden.reasoningTokens);
    assert.ok(usage.reasoningTokens <= usage.outputTokens, 'reasoning is part of output');
    assert.equal(costOf(usage, golden.modelId), golden.costMicros);
  });
}

test('gemini/response-cached-content.json: cached and tool-use prompt tokens, thoughts as output', async () => {
  const parsed = safeParseJson(
    await readFile(fixture('gemini', 'response-cached-content.json'), 'utf8'),
  );
  assert.ok(parsed.ok);
  const { usage } = PROVIDER_ADAPTERS.gemini.mapResponse(parsed.value);
  assert.ok(usage);
  // promptTokenCount 4200 (cached 4096) + toolUsePromptTokenCount 100; candidates 10 + thoughts 200.
  // (204×0.3 + 4096×0.03 + 210×2.5) × 1400 = 709.08 × 1400 = ₩0.992712
  assert.deepEqual(billedTokens(usage, 'gemini-2.5-flash'), {
    ...none,
    input: 204,
    cachedInput: 4_096,
    output: 210,
  });
  assert.equal(costOf(usage, 'gemini-2.5-flash'), 992_712n);
});

/** Joins what a cut stream delivered, as the pipeline does before estimating. */
function deliveredOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

test('cut streams: billed from the usage that arrived plus the delivered text, never 0', async () => {
  const promptTokensEstimate = 40;
  const cases = [
    {
      // message_start reported input 30 and output 1; "Once upon" is 2 o200k tokens.
      // (30×3 + 2×15) × 1400 / 10^6 = ₩0.168
      provider: 'anthropic',
      adapter: PROVIDER_ADAPTERS.anthropic,
      name: 'cut-without-message-stop.sse',
      modelId: 'claude-sonnet-4-20250514',
      input: 30,
      output: 2,
      costMicros: 168_000n,
    },
    {
      // Gemini's running totals are reported as they move, so a cut keeps the last one: input
      // 10 (not the prompt estimate), output 7. (10×0.3 + 7×2.5) × 1400 / 10^6 = ₩0.0287
      provider: 'gemini',
      adapter: PROVIDER_ADAPTERS.gemini,
      name: 'cut-stream.sse',
      modelId: 'gemini-2.5-flash',
      input: 10,
      output: 7,
      costMicros: 28_700n,
    },
    {
      // No usage at all; "The answer is" is 3 tokens. (40×2 + 3×8) × 1400 = ₩0.1456
      provider: 'openai-compatible',
      adapter: PROVIDER_ADAPTERS.openai,
      name: 'stream-cut-without-finish.sse',
      modelId: 'gpt-4.1',
      input: 40,
      output: 3,
      costMicros: 145_600n,
    },
  ] as const;
  for (const { provider, adapter, name, modelId, input, output, costMicros } of cases) {
    const { events, error } = await mapRecordedStream(adapter, fixture(provider, name));
    assert.ok(error, `${name} fails`);
    const usage = estimatePartialUsage({
      reportedUsage: lastUsage(events),
      promptTokensEstimate,
      deliveredText: deliveredOf(events),
    });
    assert.equal(usage.inputTokens, input, name);
    assert.equal(usage.outputTokens, output, name);
    assert.equal(costOf(usage, modelId), costMicros, name);
  }
});
