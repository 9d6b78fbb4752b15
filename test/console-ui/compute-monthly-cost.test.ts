import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  computeMonthlyCosts,
  MAX_MILLIONS,
  microsToDecimalText,
  type PricedModel,
  parseMicros,
  readVolume,
} from '../../web/src/pages/compute-monthly-cost.ts';

// The default catalogue's list prices (src/config/default-catalog.ts).
const MODELS: PricedModel[] = [
  { id: 'claude-sonnet-4-5', free: false, usdInput: '3', usdOutput: '15' },
  { id: 'gpt-4.1', free: false, usdInput: '2', usdOutput: '8' },
  { id: 'gemini-2.5-flash', free: false, usdInput: '0.3', usdOutput: '2.5' },
  { id: 'deepseek-v3.2', free: false, usdInput: '0.28', usdOutput: '0.42' },
];

const costs = (outputMillions: string, inputPerOutput = '0', exchangeRate = '1400') =>
  computeMonthlyCosts({
    models: MODELS,
    exchangeRate,
    outputMillionsMicros: parseMicros(outputMillions) ?? assert.fail(outputMillions),
    inputPerOutputMicros: parseMicros(inputPerOutput) ?? assert.fail(inputPerOutput),
  });

test('10M output tokens: $8/M × 10 × ₩1,400 = ₩112,000 on gpt-4.1, cheapest first', () => {
  const result = costs('10');
  assert.deepEqual(
    result.map((cost) => [cost.id, cost.walletMicros, cost.usdMicros, cost.permille]),
    [
      ['deepseek-v3.2', 5_880_000_000n, 4_200_000n, 28],
      ['gemini-2.5-flash', 35_000_000_000n, 25_000_000n, 167],
      ['gpt-4.1', 112_000_000_000n, 80_000_000n, 533],
      ['claude-sonnet-4-5', 210_000_000_000n, 150_000_000n, 1000],
    ],
  );
});

test('input per output token adds its input price: 2.5M out, 3 in per out on gemini', () => {
  // 2.5 × (2.5 + 3 × 0.3) = $8.5 → × 1,437.35 = ₩12,217.475
  const gemini = costs('2.5', '3', '1437.35').find((cost) => cost.id === 'gemini-2.5-flash');
  assert.equal(gemini?.usdMicros, 8_500_000n);
  assert.equal(gemini?.walletMicros, 12_217_475_000n);
});

test('rounds once, half up, to the micro-unit: 1 token of DeepSeek output', () => {
  // 0.000001M × $0.42 × 1400 = ₩0.000588 → 588 micros exactly; × ratio 0.5 at $0.28 adds 196.
  const deepseek = costs('0.000001', '0.5').find((cost) => cost.id === 'deepseek-v3.2');
  assert.equal(deepseek?.walletMicros, 784n);
  // USD: $0.00000042 + $0.00000014 = 0.56 micro-dollars → rounds up to 1.
  assert.equal(deepseek?.usdMicros, 1n);
});

test('free models cost nothing and unpriced ones come last with no amount', () => {
  const result = computeMonthlyCosts({
    models: [
      { id: 'priced', free: false, usdInput: '1', usdOutput: '1' },
      { id: 'unpriced', free: false, usdInput: undefined, usdOutput: undefined },
      { id: 'local', free: true, usdInput: undefined, usdOutput: undefined },
    ],
    exchangeRate: '1400',
    outputMillionsMicros: 1_000_000n,
    inputPerOutputMicros: 0n,
  });
  assert.deepEqual(
    result.map((cost) => [cost.id, cost.walletMicros, cost.permille]),
    [
      ['local', 0n, 0],
      ['priced', 1_400_000_000n, 1000],
      ['unpriced', null, 0],
    ],
  );
});

test('the cost is exactly proportional to N (integer arithmetic, no float drift)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 50 }), (n, k) => {
      const one = costs(String(n));
      const many = costs(String(n * k));
      for (const cost of one) {
        const scaled = many.find((other) => other.id === cost.id);
        assert.equal(scaled?.walletMicros, (cost.walletMicros ?? 0n) * BigInt(k));
      }
    }),
  );
});

test('the form text: plain decimals up to 6 places, anything else is refused with a reason', () => {
  assert.deepEqual(readVolume('10', MAX_MILLIONS), { ok: true, micros: 10_000_000n });
  assert.deepEqual(readVolume(' 2.5 ', MAX_MILLIONS), { ok: true, micros: 2_500_000n });
  for (const text of ['', '-1', '1e3', '1.2345678', 'abc', '1,000']) {
    assert.deepEqual(readVolume(text, MAX_MILLIONS), { ok: false, problem: 'notANumber' }, text);
  }
  assert.deepEqual(readVolume('100000000.000001', MAX_MILLIONS), {
    ok: false,
    problem: 'tooLarge',
  });
  assert.equal(microsToDecimalText(12_217_475_000n), '12217.475');
  assert.equal(microsToDecimalText(784n), '0.000784');
});
