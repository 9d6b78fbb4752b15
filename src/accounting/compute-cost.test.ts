import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createUsage, type Usage } from '../canonical/usage.ts';
import type { ModelPricing } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { COST_DENOMINATOR, computeCostBreakdown, computeCostMicros } from './compute-cost.ts';

const catalogue = loadConfig({ env: {} }).config.models;

function pricingOf(modelId: string): ModelPricing {
  const pricing = catalogue.find((model) => model.id === modelId)?.pricing;
  assert.ok(pricing, `${modelId} has pricing in the default catalogue`);
  return pricing;
}

const cost = (usage: Partial<Usage>, pricing: ModelPricing, exchangeRate = '1400') =>
  computeCostMicros({ usage: createUsage(usage), pricing, exchangeRate });

test('1M output tokens of claude-sonnet-4 at ₩1,400/USD is 15 × 1,400 = ₩21,000', () => {
  assert.equal(
    cost({ outputTokens: 1_000_000 }, pricingOf('claude-sonnet-4-20250514')),
    21_000_000_000n,
  );
});

test('golden costs for every default catalogue model', () => {
  const cases: Array<[string, Partial<Usage>, string, bigint]> = [
    // 1,000 plain + 8,000 cache reads + 2,000 5-minute and 1,000 1-hour cache writes; 800 out.
    // (1000×3 + 8000×0.3 + 2000×3.75 + 1000×6 + 800×15) × 1400 / 10^6 = ₩43.26
    [
      'claude-sonnet-4-20250514',
      {
        inputTokens: 12_000,
        cachedInputTokens: 8_000,
        cacheWriteTokens: 3_000,
        cacheWrite1hTokens: 1_000,
        outputTokens: 800,
        reasoningTokens: 200,
      },
      '1400',
      43_260_000n,
    ],
    // (2500×3 + 1200×15) × 1400 / 10^6 = ₩35.7
    ['claude-sonnet-4-5', { inputTokens: 2_500, outputTokens: 1_200 }, '1400', 35_700_000n],
    // (163×2 + 1024×0.5 + 9×8) × 1400 / 10^6 = ₩1.274
    [
      'gpt-4.1',
      { inputTokens: 1_187, cachedInputTokens: 1_024, outputTokens: 9 },
      '1400',
      1_274_000n,
    ],
    // Thinking is output: (14×0.3 + 299×2.5) × 1400 / 10^6 = ₩1.05238
    [
      'gemini-2.5-flash',
      { inputTokens: 14, outputTokens: 299, reasoningTokens: 290 },
      '1400',
      1_052_380n,
    ],
    // (21×0.28 + 1024×0.028 + 37×0.42) × 1400 / 10^6 = ₩0.0701288 → 70,128.8 micros, rounded up
    [
      'deepseek-v3.2',
      { inputTokens: 1_045, cachedInputTokens: 1_024, outputTokens: 37, reasoningTokens: 26 },
      '1400',
      70_129n,
    ],
    // (40000×0.28 + 60000×0.028 + 20000×0.42) × 1400 / 10^6 = ₩29.792
    [
      'deepseek-v3.2-reasoner',
      { inputTokens: 100_000, cachedInputTokens: 60_000, outputTokens: 20_000 },
      '1400',
      29_792_000n,
    ],
    // The first case at a fractional rate: 30900 × 1437.35 / 10^6 = ₩44.414115
    [
      'claude-sonnet-4-20250514',
      {
        inputTokens: 12_000,
        cachedInputTokens: 8_000,
        cacheWriteTokens: 3_000,
        cacheWrite1hTokens: 1_000,
        outputTokens: 800,
      },
      '1437.35',
      44_414_115n,
    ],
  ];
  for (const [modelId, usage, rate, expected] of cases) {
    assert.equal(cost(usage, pricingOf(modelId), rate), expected, `${modelId} at ${rate}`);
  }
  const covered = new Set(cases.map(([modelId]) => modelId));
  assert.deepEqual(
    catalogue.map((model) => model.id).filter((id) => !covered.has(id)),
    [],
    'every catalogue model has a golden cost',
  );
});

test('cache hits and misses are priced separately (0.028 vs 0.28 USD per 1M)', () => {
  const pricing = pricingOf('deepseek-v3.2');
  assert.equal(cost({ inputTokens: 1_000, cachedInputTokens: 1_000 }, pricing), 39_200n);
  assert.equal(cost({ inputTokens: 1_000 }, pricing), 392_000n);
  assert.equal(cost({ inputTokens: 1_000, cachedInputTokens: 400 }, pricing), 235_200n + 15_680n);
});

test('missing cache prices fall back to the undiscounted price', () => {
  const usage = {
    inputTokens: 1_000_000,
    cachedInputTokens: 100_000,
    cacheWriteTokens: 300_000,
    cacheWrite1hTokens: 100_000,
  };
  // All at input: 1 × 2 USD.
  assert.equal(cost(usage, { input: '2', output: '8' }, '1'), 2_000_000n);
  // 1h writes at the 5-minute write price: 0.6 × 2 + 0.1 × 1 + 0.3 × 4 = 2.5 USD.
  assert.equal(
    cost(usage, { input: '2', cachedInput: '1', cacheWrite: '4', output: '8' }, '1'),
    2_500_000n,
  );
  // Only a 1h price: 5-minute writes at input. 0.6×2 + 0.1×2 + 0.2×2 + 0.1×10 = 2.8 USD.
  assert.equal(cost(usage, { input: '2', cacheWrite1h: '10', output: '8' }, '1'), 2_800_000n);
});

test('the breakdown lists each kind with the price applied and sums to the charge', () => {
  const breakdown = computeCostBreakdown({
    usage: createUsage({
      inputTokens: 2_325,
      cachedInputTokens: 1_800,
      cacheWriteTokens: 500,
      cacheWrite1hTokens: 300,
      outputTokens: 6,
    }),
    pricing: pricingOf('claude-sonnet-4-5'),
    exchangeRate: '1437.35',
  });
  assert.deepEqual(
    breakdown.lines.map(({ kind, tokens, priceUsdPerMillion }) => [
      kind,
      tokens,
      priceUsdPerMillion,
    ]),
    [
      ['input', 25, '3'],
      ['cachedInput', 1_800, '0.3'],
      ['cacheWrite', 200, '3.75'],
      ['cacheWrite1h', 300, '6'],
      ['output', 6, '15'],
    ],
  );
  // 3255 USD-per-1M × 1437.35 = 4,678,574.25 micros, rounded up once.
  assert.equal(breakdown.numerator, 4_678_574_250_000_000_000n);
  assert.equal(breakdown.costMicros, 4_678_575n);
  assert.equal(
    breakdown.lines.reduce((sum, line) => sum + line.numerator, 0n),
    breakdown.numerator,
  );
});

test('float traps: exact where binary floating point is not', () => {
  // 0.28 × 1400 is 392.00000000000006 in floats, which a float ceiling would charge as 393.
  assert.equal(cost({ inputTokens: 1 }, { input: '0.28', output: '0' }), 392n);
  const tenth = { input: '0.1', output: '0' };
  assert.equal(cost({ inputTokens: 1 }, tenth, '1437.35'), 144n); // 143.735
  assert.equal(cost({ inputTokens: 10 }, tenth, '1437.35'), 1_438n); // 1,437.35
  assert.equal(cost({ inputTokens: 1_000_000 }, tenth, '1437.35'), 143_735_000n); // exact, not rounded
});

test('10^7 requests: the total charged is exactly the sum of per-request charges (I12)', () => {
  const tenth = { input: '0.1', cachedInput: '0.01', output: '0.3' };
  const distinct = Array.from({ length: 1_000 }, (_, index) =>
    createUsage({ inputTokens: index + 1, cachedInputTokens: index % 7, outputTokens: index % 13 }),
  );
  const charges = distinct.map((usage) =>
    computeCostMicros({ usage, pricing: tenth, exchangeRate: '1437.35' }),
  );
  const exact = distinct.map(
    (usage) => computeCostBreakdown({ usage, pricing: tenth, exchangeRate: '1437.35' }).numerator,
  );
  let total = 0n;
  for (let request = 0; request < 10_000_000; request += 1) total += charges[request % 1_000] ?? 0n;
  const cycle = charges.reduce((sum, charge) => sum + charge, 0n);
  assert.equal(total, cycle * 10_000n);
  // Each request is rounded up by less than one micro-unit, never down.
  const exactTotal = exact.reduce((sum, numerator) => sum + numerator, 0n) * 10_000n;
  assert.ok(total * COST_DENOMINATOR >= exactTotal);
  assert.ok(total * COST_DENOMINATOR - exactTotal < 10_000_000n * COST_DENOMINATOR);
});

test('inconsistent provider counts are clamped, never billed negative', () => {
  const pricing = {
    input: '1',
    cachedInput: '0.5',
    cacheWrite: '2',
    cacheWrite1h: '4',
    output: '1',
  };
  // More cache reads than input: no negative plain input.
  assert.equal(cost({ inputTokens: 10, cachedInputTokens: 20 }, pricing, '1'), 10n);
  // More 1h writes than writes: all writes are 1h writes.
  assert.equal(
    cost({ inputTokens: 10, cacheWriteTokens: 10, cacheWrite1hTokens: 30 }, pricing, '1'),
    40n,
  );
});

test('rejects counts and prices that cannot be billed', () => {
  const pricing = pricingOf('gpt-4.1');
  for (const inputTokens of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
    assert.throws(() => cost({ inputTokens }, pricing), RangeError, String(inputTokens));
  }
  assert.throws(() => cost({ inputTokens: 1 }, { input: '-1', output: '1' }), RangeError);
  assert.throws(() => cost({ inputTokens: 1 }, pricing, '-1400'), RangeError);
  assert.throws(() => cost({ inputTokens: 1 }, pricing, '1e3'), SyntaxError);
});

/** Decimal text with up to 6 fractional digits, as the config schema accepts. */
const decimalText = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 11n }), fc.integer({ min: 0, max: 6 }))
  .map(([value, digits]) => {
    const unit = 10n ** BigInt(digits);
    const fraction = (value % unit).toString().padStart(digits, '0');
    return digits === 0 ? `${value}` : `${value / unit}.${fraction}`;
  });

const pricingArbitrary: fc.Arbitrary<ModelPricing> = fc.record(
  {
    input: decimalText,
    cachedInput: decimalText,
    cacheWrite: decimalText,
    cacheWrite1h: decimalText,
    output: decimalText,
  },
  { requiredKeys: ['input', 'output'] },
);

const count = fc.integer({ min: 0, max: 2_000_000_000 });

/** Token counts per billed kind; `toUsage` builds the canonical (inclusive) usage from them. */
interface Counts {
  plain: number;
  cached: number;
  write5m: number;
  write1h: number;
  output: number;
}
const countsArbitrary: fc.Arbitrary<Counts> = fc.record({
  plain: count,
  cached: count,
  write5m: count,
  write1h: count,
  output: count,
});
const KINDS = ['plain', 'cached', 'write5m', 'write1h', 'output'] as const;

function toUsage(counts: Counts): Usage {
  return createUsage({
    inputTokens: counts.plain + counts.cached + counts.write5m + counts.write1h,
    cachedInputTokens: counts.cached,
    cacheWriteTokens: counts.write5m + counts.write1h,
    cacheWrite1hTokens: counts.write1h,
    outputTokens: counts.output,
  });
}

function add(a: Counts, b: Counts): Counts {
  return {
    plain: a.plain + b.plain,
    cached: a.cached + b.cached,
    write5m: a.write5m + b.write5m,
    write1h: a.write1h + b.write1h,
    output: a.output + b.output,
  };
}

test('property: zero usage costs nothing', () => {
  fc.assert(
    fc.property(pricingArbitrary, decimalText, (pricing, exchangeRate) => {
      assert.equal(computeCostMicros({ usage: toUsage(zeroCounts()), pricing, exchangeRate }), 0n);
    }),
  );
});

test('property: rounded up once, never below the exact cost, less than one micro above it', () => {
  fc.assert(
    fc.property(countsArbitrary, pricingArbitrary, decimalText, (counts, pricing, exchangeRate) => {
      const charged = computeCostMicros({ usage: toUsage(counts), pricing, exchangeRate });
      const exact = independentExactCost(counts, pricing, exchangeRate);
      assert.ok(charged * COST_DENOMINATOR >= exact);
      assert.ok(charged * COST_DENOMINATOR - exact < COST_DENOMINATOR);
    }),
  );
});

test("property: the one-pass charge equals the breakdown's, the same pricing object used again", () => {
  fc.assert(
    fc.property(
      fc.array(countsArbitrary, { minLength: 1, maxLength: 3 }),
      pricingArbitrary,
      decimalText,
      (requests, pricing, exchangeRate) => {
        // The same object again and again, as the catalogue's pricing is: the cached prices.
        for (const counts of requests) {
          const usage = toUsage(counts);
          assert.equal(
            computeCostMicros({ usage, pricing, exchangeRate }),
            computeCostBreakdown({ usage, pricing, exchangeRate }).costMicros,
          );
        }
      },
    ),
  );
});

test('a pricing object changed after a charge is priced at its new prices', () => {
  const pricing: ModelPricing = { input: '1', output: '2' };
  const usage = createUsage({
    inputTokens: 1_000_000,
    cachedInputTokens: 500_000,
    outputTokens: 1_000_000,
  });
  assert.equal(computeCostMicros({ usage, pricing, exchangeRate: '1' }), 3_000_000n);
  pricing.cachedInput = '0.5';
  assert.equal(computeCostMicros({ usage, pricing, exchangeRate: '1' }), 2_750_000n);
  pricing.output = '-1';
  assert.throws(() => computeCostMicros({ usage, pricing, exchangeRate: '1' }), RangeError);
});

test('property: more tokens of any kind never cost less', () => {
  fc.assert(
    fc.property(
      countsArbitrary,
      pricingArbitrary,
      decimalText,
      fc.constantFrom(...KINDS),
      count,
      (counts, pricing, exchangeRate, kind, extra) => {
        const more = { ...counts, [kind]: counts[kind] + extra };
        assert.ok(
          computeCostMicros({ usage: toUsage(more), pricing, exchangeRate }) >=
            computeCostMicros({ usage: toUsage(counts), pricing, exchangeRate }),
        );
      },
    ),
  );
});

test('property: additive up to rounding, cost(a) + cost(b) − cost(a + b) ∈ {0, 1}', () => {
  fc.assert(
    fc.property(
      countsArbitrary,
      countsArbitrary,
      pricingArbitrary,
      decimalText,
      (a, b, pricing, exchangeRate) => {
        const of = (counts: Counts) =>
          computeCostMicros({ usage: toUsage(counts), pricing, exchangeRate });
        const difference = of(a) + of(b) - of(add(a, b));
        assert.ok(difference === 0n || difference === 1n, `difference ${difference}`);
      },
    ),
  );
});

function zeroCounts(): Counts {
  return { plain: 0, cached: 0, write5m: 0, write1h: 0, output: 0 };
}

/**
 * The exact cost × 10^12, computed another way: each price and the rate as a fraction over its own
 * power of ten (no common scale), cross-multiplied.
 */
function independentExactCost(counts: Counts, pricing: ModelPricing, rate: string): bigint {
  const fraction = (text: string): [bigint, bigint] => {
    const [whole = '', decimals = ''] = text.split('.');
    return [BigInt(whole + decimals), 10n ** BigInt(decimals.length)];
  };
  const write = pricing.cacheWrite ?? pricing.input;
  const kinds: Array<[number, string]> = [
    [counts.plain, pricing.input],
    [counts.cached, pricing.cachedInput ?? pricing.input],
    [counts.write5m, write],
    [counts.write1h, pricing.cacheWrite1h ?? write],
    [counts.output, pricing.output],
  ];
  const [rateNumerator, rateDenominator] = fraction(rate);
  let total = 0n;
  for (const [tokens, price] of kinds) {
    const [priceNumerator, priceDenominator] = fraction(price);
    // tokens × price / 10^6 wallet units × 10^6 micro-units, scaled by 10^12.
    total +=
      (BigInt(tokens) * priceNumerator * rateNumerator * 10n ** 12n) /
      (priceDenominator * rateDenominator);
  }
  return total;
}
